"""Reading what a page shows: its tables (by caption, as text) and its charts' Plotly JSON."""
from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from typing import Any


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: list[str] | None = None
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._name = ""

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "table":
            self._rows, self._name = [], ""
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self._name = _squash("".join(self._caption))
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1].append(_squash("".join(self._cell)))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._name] = self._rows
            self._rows = None

    def handle_data(self, data: str) -> None:
        if self._caption is not None:
            self._caption.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _squash(text: str) -> str:
    return " ".join(text.split())


def tables(html: str) -> dict[str, list[list[str]]]:
    """Every table on the page by its caption: rows of cell texts (header row first)."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def charts(html: str) -> dict[str, dict[str, Any]]:
    """Every chart's figure, by the id of the element it is drawn in."""
    found = re.findall(r'<script type="application/json" id="([^"]+)-data">(.*?)</script>',
                       html, re.S)
    return {chart_id: json.loads(body) for chart_id, body in found}


def traces(figure: dict[str, Any], axis: str = "y") -> dict[str, list[Any]]:
    """name -> values of each trace."""
    return {trace.get("name", ""): trace[axis] for trace in figure["data"]}


def csv_sections(data: bytes) -> dict[str, list[list[str]]]:
    """The report CSV's sections by title: header row then rows."""
    text = data.decode("utf-8-sig")
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for row in csv.reader(io.StringIO(text, newline="")):
        if not row:
            current = None
        elif current is None:
            current = sections.setdefault(row[0], [])
        else:
            current.append(row)
    return sections
