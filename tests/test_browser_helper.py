"""The browser helper's own bookkeeping (tests/browser.py): a request the browser drops because
the page it belonged to was left is not a failure of the page; a request that fails while its
page is shown is.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from browser import BrowserPage, browse
from flask import Flask
from playwright.sync_api import Browser
from webapp_support import live_server

NO_FAVICON = '<link rel="icon" href="data:,">'
LEAVING = threading.Event()  # set once the test has left the page, to release the slow image


def slow_image_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def page_with_a_slow_image() -> str:
        return f'{NO_FAVICON}<title>slow</title><img src="/slow.svg" alt=""><a href="/next">next</a>'

    @app.get("/next")
    def next_page() -> str:
        return f"{NO_FAVICON}<title>next</title><p>the page after"

    @app.get("/slow.svg")
    def slow_image() -> tuple[str, int, dict[str, str]]:
        LEAVING.wait(timeout=10)
        return "<svg xmlns='http://www.w3.org/2000/svg'/>", 200, {"Content-Type": "image/svg+xml"}

    return app


@pytest.fixture
def page(chromium: Browser) -> Iterator[BrowserPage]:
    LEAVING.clear()
    with live_server(slow_image_app()) as url, browse(chromium, url) as opened:
        yield opened
        LEAVING.set()


def test_a_request_dropped_by_leaving_its_page_is_not_a_failure(page: BrowserPage) -> None:
    dropped = []
    page.page.on("requestfailed", lambda request: dropped.append(request.failure))
    page.page.goto(page.base_url + "/", wait_until="domcontentloaded")
    with page.page.expect_navigation():
        page.page.get_by_role("link", name="next").click()
    LEAVING.set()
    page.page.wait_for_load_state("networkidle")
    assert dropped == ["net::ERR_ABORTED"]  # the image was still loading when the page was left
    assert page.path() == "/next"
    page.assert_clean()


def test_a_request_failing_on_the_shown_page_is_a_failure(page: BrowserPage) -> None:
    with socket.socket() as bound_but_not_listening:
        bound_but_not_listening.bind(("127.0.0.1", 0))
        image = f"http://127.0.0.1:{bound_but_not_listening.getsockname()[1]}/refused.png"
        page.page.set_content(f'<img src="{image}" alt="">')
        page.page.wait_for_load_state("networkidle")
    assert page.failed_requests == [f"GET {image}: net::ERR_CONNECTION_REFUSED"]
    with pytest.raises(AssertionError):
        page.assert_clean()
