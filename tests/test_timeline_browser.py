"""The timeline in a real browser (Debian's chromium through Playwright, tests/browser.py): each
filter applied through the form, a swimlane mark and a year tick followed, no console errors,
screenshots at desktop and phone sizes in tests/output/.

The server holds mini.trig and the second article of tests/timeline_kb.py; expected labels are
the facts written there.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser import BrowserPage, browse
from timeline_kb import load_mini_and_extra
from webapp_support import live_server, make_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    with live_server(make_app(load_mini_and_extra(tmp_path_factory.mktemp("kb") / "store"))) as url:
        yield url


@pytest.fixture
def page(chromium, server) -> Iterator[BrowserPage]:
    with browse(chromium, server) as opened:
        yield opened


def labels(page: BrowserPage) -> list[str]:
    return [" ".join(text.split()) for text in page.page.locator("h4.event-label").all_inner_texts()]


def apply(page: BrowserPage) -> None:
    with page.page.expect_navigation():
        page.page.get_by_role("button", name="Apply filters").click()
    page.page.wait_for_load_state("networkidle")


def test_timeline_loads_with_its_overview_and_screenshots(page):
    page.goto("/")
    assert len(labels(page)) == 10
    assert page.page.locator("svg.swimlanes a.mark").count() > 0
    assert page.page.locator("time[datetime='2019-12-04']").count() >= 2
    page.screenshots("timeline")
    page.page.set_viewport_size({"width": 360, "height": 740})
    assert page.horizontal_overflow() == 0
    page.assert_clean()


@pytest.mark.parametrize(
    ("fill", "expected_query", "expected"),
    [
        (lambda p: p.fill("#filter-q", "ceasefire"), "q=ceasefire", 5),
        (lambda p: p.select_option("#filter-actor", ["khalilzad", "ghani"]), "actor=khalilzad", 3),
        (lambda p: p.select_option("#filter-type", ["visit"]), "type=visit", 1),
        (lambda p: p.check("input[name=status][value=planned]"), "status=planned", 1),
        (lambda p: p.select_option("#filter-source", ["actor/tolo-news"]), "source=actor%2Ftolo-news", 5),
        (lambda p: (p.fill("#filter-from", "2019-11"), p.fill("#filter-to", "2019-12")), "from=2019-11", 4),
    ],
    ids=["words", "actors", "type", "status", "source", "dates"],
)
def test_each_filter_through_the_form(page, fill, expected_query, expected):
    page.goto("/")
    fill(page.page)
    apply(page)
    assert expected_query in page.path()
    assert len(labels(page)) == expected
    # the permalink reproduces the view
    path = page.path()
    page.goto(path)
    assert len(labels(page)) == expected
    page.assert_clean()


def test_filters_compose_and_are_removed_one_by_one(page):
    page.goto("/")
    page.page.select_option("#filter-actor", ["taliban"])
    page.page.check("input[name=status][value=occurred]")
    page.page.fill("#filter-from", "2019-09")
    apply(page)
    assert labels(page) == ['Informal US–Taliban meetings <script>alert("x")</script>', "Informal talks in Doha"]
    with page.page.expect_navigation():
        page.page.get_by_label("Remove the filter from September 2019").click()
    assert len(labels(page)) == 4
    page.screenshots("timeline-filtered")
    page.assert_clean()


def test_a_bad_filter_shows_a_message_and_the_form(page):
    page.goto("/?actor=nobody", expect_status=400)
    assert "No dated event has the actor 'nobody'" in page.page.get_by_role("alert").inner_text()
    page.page.fill("#filter-q", "Doha")
    apply(page)
    assert labels(page) == ["Informal talks in Doha"]


def test_swimlane_marks_and_year_ticks_are_links(page):
    page.goto("/")
    mark = page.page.locator("svg.swimlanes a.mark").first
    title = mark.locator("title").text_content()
    with page.page.expect_navigation():
        mark.click()
    assert page.path().startswith("/id/event/")
    assert page.page.title()  # the event's page answered
    page.goto("/")
    with page.page.expect_navigation():
        page.page.locator("svg.swimlanes a.tick").last.click()
    assert "from=2020&to=2020" in page.path()
    assert labels(page) == ["A deal may be signed", "Ghani offers a ceasefire", "Taliban reject the ceasefire",
                            "Round of talks called off"]
    assert title
    page.assert_clean()
