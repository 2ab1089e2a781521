"""Every page each role can open, walked: the content security policy and the other
headers are on every answer, and no page carries inline script or event-handler attributes
(the policy would block them, so they would be broken as well as unsafe)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import sign_in
from tests.security import world as world_module

ROOT = Path(__file__).resolve().parents[2]
DATA_BLOCK_TYPES = {"application/json"}  # data, never run: Plotly figures ride in these


class ScriptFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src") and \
                (names.get("type") or "").lower() not in DATA_BLOCK_TYPES:
            self.problems.append(f"inline <script> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.problems.append(f"<{tag} {name}=...> at line {self.getpos()[0]}")
            if name.lower() in ("href", "src", "action", "formaction") and value and \
                    value.strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=\"javascript:...\"> at line {self.getpos()[0]}")


def script_problems(html: str) -> list[str]:
    finder = ScriptFinder()
    finder.feed(html)
    return finder.problems


def check_headers(response, path: str) -> list[str]:  # type: ignore[no-untyped-def]
    problems = []
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    script_src = directives.get("script-src", [])
    if script_src != ["'self'"]:
        problems.append(f"{path}: script-src is {script_src}, not just 'self'")
    if directives.get("frame-ancestors") != ["'none'"]:
        problems.append(f"{path}: frame-ancestors is not 'none'")
    if any("unsafe-eval" in v or "unsafe-inline" in v for v in directives.get("default-src", [])):
        problems.append(f"{path}: default-src allows unsafe code")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{path}: no X-Content-Type-Options: nosniff")
    if not response.headers.get("Referrer-Policy"):
        problems.append(f"{path}: no Referrer-Policy")
    if response.headers.get("Cache-Control") != "no-store":
        problems.append(f"{path}: Cache-Control is not no-store")
    return problems


@pytest.mark.parametrize("role", ["anonymous", *world_module.ROLES])
def test_no_page_has_inline_script_and_every_page_has_the_headers(app, client, make, role):
    world = world_module.build(make)
    if role != "anonymous":
        sign_in(client, world.users[role])
    problems: list[str] = []
    opened = 0
    for rule in world_module.routes(app, "GET"):
        if rule.endpoint == "auth.sign_out":
            continue
        path = world_module.url(app, rule, world)
        response = client.get(path)
        problems += check_headers(response, path)
        if response.status_code == 200 and response.mimetype == "text/html":
            opened += 1
            problems += [f"{path}: {p}" for p in script_problems(response.get_data(as_text=True))]
        response.close()
    assert opened >= (3 if role == "anonymous" else 5)
    assert not problems, "\n".join(problems)


def test_no_template_has_inline_script_or_event_handlers():
    """Pages no walk reaches (error states, rare branches) are covered by their templates."""
    import re

    problems = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        text = template.read_text()
        for match in re.finditer(r"<script\b([^>]*)>", text):
            attributes = match.group(1)
            if "src=" not in attributes and not any(t in attributes for t in DATA_BLOCK_TYPES):
                problems.append(f"{template.relative_to(ROOT)}: inline <script>")
        if re.search(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", text):
            problems.append(f"{template.relative_to(ROOT)}: an on...= event handler attribute")
        if re.search(r"(href|src|action)\s*=\s*[\"']\s*javascript:", text, re.I):
            problems.append(f"{template.relative_to(ROOT)}: a javascript: address")
    assert not problems, "\n".join(problems)


def test_the_enable_js_snippet_is_a_file_not_inline(client):
    html = client.get("/sign-in").get_data(as_text=True)
    assert re.search(r'<script src="/static/js/enable-js\.[0-9a-f]{12}\.js"></script>', html)
    assert "js-enabled" not in html
