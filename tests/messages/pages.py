"""Reading a page as a person does: the words inside the element with a given id."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

VOID = {"br", "img", "input", "meta", "link", "hr", "col", "area", "base", "source", "wbr"}


class _ById(HTMLParser):
    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted = wanted
        self.depth = 0
        self.parts: list[str] = []
        self.found = False

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in VOID:
            return
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.wanted:
            self.depth = 1
            self.found = True

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def text_by_id(html: str, element_id: str) -> str:
    parser = _ById(element_id)
    parser.feed(html)
    assert parser.found, f"no element with id {element_id!r}"
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()
