"""Reading forms out of a page as a browser would submit them: every input's current value
(checked radios and boxes, selected options, textarea text), hidden fields and CSRF token
included."""
from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._option: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                          "fields": [], "files": [], "enctype": a.get("enctype", "")}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self._form["fields"].append((name, a.get("value", "on")))
                self._form.setdefault("choices", {}).setdefault(name, []).append(
                    a.get("value", "on"))
            elif kind == "file":
                self._form["files"].append(name)
            elif kind not in ("submit", "button", "image", "reset"):
                self._form["fields"].append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self._form["fields"].append((name, ""))
        elif tag == "select" and name:
            self._select, self._select_first = name, None
            self._form.setdefault("choices", {})[name] = []
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self._form["choices"][self._select].append(value)
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._form["fields"].append((self._select, value))
                self._select_first = "\x00chosen"

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            if self._textarea and self._form is not None:
                name, value = self._form["fields"][-1]
                self._form["fields"][-1] = (name, value[1:] if value.startswith("\n") else value)
            self._textarea = None
        elif tag == "select" and self._select and self._form is not None:
            if self._select_first not in (None, "\x00chosen"):
                self._form["fields"].append((self._select, self._select_first))
            self._select = None
        elif tag == "form":
            self._form = None


def forms(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def post_forms(html: str) -> list[dict[str, Any]]:
    return [f for f in forms(html) if f["method"] == "post"]
