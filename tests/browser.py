"""A real headless browser for the page tests: Debian's chromium driven by Playwright.

tests/conftest.py loads this module as a plugin, so its fixtures are everywhere; a test module
imports it only for types (importing it before the plugin loads would keep pytest from
rewriting its asserts)::

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from browser import BrowserPage

    def test_something(browser_page: BrowserPage) -> None:
        browser_page.goto("/")
        browser_page.screenshots("timeline")   # tests/output/timeline-1280x800.png and -360x740.png
        browser_page.assert_clean()            # no console errors, no failed requests

``chromium`` starts /usr/bin/chromium once per session (never a downloaded browser; the tests
skip, saying why, when it is absent). ``seed_server`` serves the seed KB with the real app under
waitress on 127.0.0.1. ``browser_page`` is a fresh page (1280x800) on that server that records
console errors, uncaught page errors, failed requests and 4xx/5xx answers; for another app, use
:func:`browse` with the base URL of your own :func:`webapp_support.live_server`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, sync_playwright

from webapp_support import live_server, make_app

CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = Path(__file__).parent / "output"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


class BrowserPage:
    """A Playwright page on one server, with what went wrong while it was used."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.console_errors: list[str] = []
        self.failed_requests: list[str] = []
        self.expected_failures: set[str] = set()
        self._navigations = 0  # requests of the main frame to leave its page
        self._started: dict[Request, int] = {}
        page.on("request", self._on_request)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)

    def _on_console(self, message: ConsoleMessage) -> None:
        url = message.location.get("url", "")
        if message.type == "error" and not (
            url in self.expected_failures and message.text.startswith("Failed to load resource")
        ):
            self.console_errors.append(f"{message.text} ({url})")

    def _on_request(self, request: Request) -> None:
        # Counted when the navigation is requested, not when it commits: Chromium may report the
        # old page's requests as aborted before Playwright reports the new page's frame.
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self._navigations += 1
        self._started[request] = self._navigations

    def _on_request_failed(self, request: Request) -> None:
        left = self._started.get(request, self._navigations) != self._navigations
        # the browser dropped it on leaving the page it was for; the favicon it may also request
        # for the page it is leaving after the navigation has begun
        if request.failure == "net::ERR_ABORTED" and (left or request.url.endswith("/favicon.svg")):
            return
        self.failed_requests.append(f"{request.method} {request.url}: {request.failure}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400 and response.url not in self.expected_failures:
            self.failed_requests.append(f"{response.request.method} {response.url}: {response.status}")

    def goto(self, path: str, expect_status: int | None = 200) -> Response | None:
        """Load ``path`` (relative to the server) and wait until the network is idle.

        ``expect_status``: the status the document must answer (None: any); an error status
        expected here is not counted as a failed request or a console error.
        """
        if expect_status is None or expect_status >= 400:
            self.expected_failures.add(self.base_url + path)
        response = self.page.goto(self.base_url + path, wait_until="networkidle")
        if expect_status is not None:
            assert response is not None and response.status == expect_status, (
                f"{path} answered {response.status if response else 'nothing'}, expected {expect_status}"
            )
        return response

    def path(self) -> str:
        """The current address without the server part."""
        url = self.page.url
        return url.removeprefix(self.base_url)

    def use_phone(self) -> None:
        """Show the page at phone size (360x740) from now on."""
        self.page.set_viewport_size(PHONE)

    def horizontal_overflow(self) -> int:
        """How many CSS pixels the document is wider than the viewport (0: no horizontal scroll)."""
        return int(self.page.evaluate(
            "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth"
        ))

    def screenshots(self, name: str) -> list[Path]:
        """Full-page screenshots of the current page at desktop and phone sizes, in tests/output/.

        The page is left at desktop size.
        """
        OUTPUT.mkdir(exist_ok=True)
        paths = []
        for size in (DESKTOP, PHONE):
            self.page.set_viewport_size(size)
            path = OUTPUT / f"{name}-{size['width']}x{size['height']}.png"
            self.page.screenshot(path=str(path), full_page=True)
            paths.append(path)
        self.page.set_viewport_size(DESKTOP)
        return paths

    def assert_clean(self) -> None:
        """No console error, uncaught exception or failed request since the page was opened."""
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.failed_requests, f"failed requests: {self.failed_requests}"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's chromium, headless, for the whole session."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def browse(browser: Browser, base_url: str) -> Iterator[BrowserPage]:
    """A fresh browser context and page (1280x800) on the server at ``base_url``."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        yield BrowserPage(context.new_page(), base_url)
    finally:
        context.close()


@pytest.fixture(scope="session")
def seed_server(seed_store_path: Path) -> Iterator[str]:
    """The base URL of the real app serving the seed KB on 127.0.0.1."""
    with live_server(make_app(seed_store_path)) as url:
        yield url


@pytest.fixture
def browser_page(chromium: Browser, seed_server: str) -> Iterator[BrowserPage]:
    """A fresh page on the seed server."""
    with browse(chromium, seed_server) as page:
        yield page
