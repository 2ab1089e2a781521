"""Browser tests: Debian's chromium driven by Playwright, against the app served on
127.0.0.1 by a fixture, with axe-core checking WCAG 2.2 AA.

Fixtures:
  live_server   base URL of a real server (werkzeug, in a thread) on a fresh SQLite file
                with the demo data loaded; one per test module
  page          a new browser page (own context: no shared cookies) per test
  sign_in_as    sign_in_as(page, live_server, email) signs in through the form
  assert_no_axe_violations(page)   zero violations for wcag2a/2aa/21a/21aa/22aa, no rule off
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import Any, Iterator

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_app, upgrade
from tracker.demo import DEMO_PASSWORD, load_demo
from tracker.extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class LiveServer:
    def __init__(self, url: str, app: Any):
        self.url = url
        self.app = app

    def __str__(self) -> str:
        return self.url

    def __add__(self, path: str) -> str:
        return self.url + path


def _buffered(app: Any) -> Any:
    """Read each response whole, and close it, before the server writes a byte.

    Werkzeug's development server streams a static file from an open file handle; when the
    browser drops the connection mid-response (a page closed while its favicon is in flight)
    that handle is left for the garbage collector, and pytest turns the ResourceWarning into a
    failure of whichever test is running. In production nginx serves static files.
    """

    def wsgi(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return wsgi


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    db_file = tmp_path_factory.mktemp("live") / "live.sqlite"
    app = make_app(f"sqlite:///{db_file}", WTF_CSRF_ENABLED=True, SERVER_NAME=None)
    upgrade(app)
    with app.app_context():
        load_demo()
        db.session.remove()
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=None, java_script_enabled=True)
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    # Nothing may leave 127.0.0.1: fail any request to another host.
    outside: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    pg.route("**/*", guard)
    pg.outside_requests = outside  # type: ignore[attr-defined]
    yield pg
    context.close()
    assert not outside, f"requests left 127.0.0.1: {outside}"


def sign_in_as(page: Any, live_server: Any, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert "/sign-in" not in page.url, page.content()[:2000]


def assert_no_axe_violations(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                       "resultTypes": ["violations"]})
    assert results.violations_count == 0, (
        f"axe found {results.violations_count} violation(s) on {page.url}:\n"
        + results.generate_report())


@pytest.fixture(name="sign_in_as")
def sign_in_as_fixture() -> Any:
    return sign_in_as


@pytest.fixture(name="assert_no_axe_violations")
def axe_fixture() -> Any:
    return assert_no_axe_violations
