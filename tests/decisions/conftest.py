"""Helpers for the decisions tests: read a notice through the page as a browser would."""
from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from tests.conftest import sign_in

SEED = Path(__file__).resolve().parents[2] / "tracker" / "demo" / "seed"
EXPECTED = Path(__file__).resolve().parent / "expected"
WRITTEN = "decision-I50035813.txt"
DETAILS = "moderngov-decision-details-7356.txt"
ISSUE = "moderngov-issue-decisions-50035813.txt"


def seed_text(name: str) -> str:
    return (SEED / name).read_text(encoding="utf-8")


class FormReader(HTMLParser):
    """The fields of one form as a browser would submit them untouched (defaults, checked
    boxes, selected options), plus every form's action."""

    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action", "") == self.action
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "file"):
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select, self.options = a.get("name"), []
        elif tag == "option" and self.select is not None:
            self.options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self.textarea, self.text = a.get("name"), []

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = next((v for v, s in self.options if s), self.options[0][0] if self.options else "")
            self.fields.append((self.select, chosen))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea, html.unescape("".join(self.text)).lstrip("\n")))
            self.textarea = None


def form_fields(page: str, action: str) -> MultiDict:
    reader = FormReader(action)
    reader.feed(page)
    return MultiDict(reader.fields)


CONFIRM = "/decisions/import/confirm"


def preview(client: Any, text: str) -> Any:
    """Paste ``text`` and return the preview page response."""
    return client.post_form("/decisions/import", {"notice_text": text})


def confirm(client: Any, page: str, replace: dict[str, Any] | None = None,
            drop: tuple[str, ...] = ()) -> Any:
    """Submit the preview form as shown, with ``replace`` values (None removes a field; a list
    gives several values); the hidden notice text travels back with CRLF, like a browser."""
    data = form_fields(page, CONFIRM)
    assert data, "no confirmation form on the page"
    for name in drop:
        data.poplist(name)
    for name, value in (replace or {}).items():
        data.poplist(name)
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            data.add(name, str(item))
    if "notice_text" in data:
        data["notice_text"] = data["notice_text"].replace("\n", "\r\n")
    return client.post(CONFIRM, data=data)


def page_text(response: Any) -> str:
    """The visible words of a page, whitespace collapsed (what a user reads)."""
    import re

    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<input[^>]*>", " ", body)
    body = re.sub(r"</?(?:a|strong|em|span|abbr|code)(?:\s[^>]*)?>", "", body)  # inline: no gap
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.fixture()
def admin(client: Any, make: Any) -> Any:
    """A client signed in as an administrator (``admin.user`` is the user)."""
    user = make.user(role="admin")
    sign_in(client, user)
    client.user = user
    return client
