"""At 375 px wide (a phone) no page of any role scrolls sideways: wide tables scroll inside
their own labelled, keyboard-focusable region, and the header menu collapses.

Every page each demo role reaches by following links from its home page is opened (one of
each kind of address: /recommendations/3 stands for every recommendation page)."""
from __future__ import annotations

import re
from collections import deque
from typing import Any
from urllib.parse import urlsplit

import pytest

PHONE = {"width": 375, "height": 800}
ROLES = ["admin@example.gov.uk", "officer@example.gov.uk", "member@example.gov.uk",
         "schoollead@example.gov.uk", "trustlead@example.gov.uk"]
SKIP = re.compile(r"\.(csv|xlsx|zip|json)$|/sign-out|/api/|/static/")
MAX_PAGES = 60


def kind_of(path: str) -> str:
    return re.sub(r"/\d+", "/N", path)


def overflow(page: Any) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def walk(page: Any, base: str) -> dict[str, int]:
    """Every kind of page reachable from home: its path -> the page's scroll width."""
    seen: dict[str, str] = {}
    widths: dict[str, int] = {}
    queue = deque(["/"])
    while queue and len(widths) < MAX_PAGES:
        path = queue.popleft()
        if kind_of(path) in seen:
            continue
        seen[kind_of(path)] = path
        response = page.goto(base + path)
        if response is None or response.status != 200 or \
                "text/html" not in response.headers.get("content-type", ""):
            continue
        widths[path] = overflow(page)
        for href in page.eval_on_selector_all(
                "main a[href], nav a[href]", "links => links.map(a => a.getAttribute('href'))"):
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
                continue
            queue.append(parts.path)
    return widths


@pytest.mark.parametrize("email", ROLES)
def test_no_page_scrolls_sideways_at_375_px(browser, live_server, sign_in_as, email):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        sign_in_as(page, live_server, email)
        widths = walk(page, str(live_server))
    finally:
        context.close()
    assert len(widths) > 5, widths
    wide = {path: width for path, width in widths.items() if width > PHONE["width"]}
    assert not wide, f"pages wider than 375 px for {email}: {wide}"
