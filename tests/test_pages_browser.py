"""The pages of the KB's things in a real browser: reached by links from the timeline, usable by
keyboard, no console errors under the Content-Security-Policy, no sideways scroll on a phone.

Screenshots of every page kind land in tests/output/ at desktop and phone sizes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from browser import BrowserPage


ARTICLE_TITLE = "Khalilzad in Kabul to Discuss Ways of Resuming Peace Talks"

#: What a focused element draws, so that a keyboard user sees where they are.
_FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  return {tag: el.tagName, text: (el.textContent || '').trim().slice(0, 60),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
          shadow: s.boxShadow !== 'none', visible: el.getBoundingClientRect().bottom > 0};
}"""


def _follow(page: BrowserPage, href_prefix: str, text: str | re.Pattern[str]) -> None:
    """Click the first link whose address starts with ``href_prefix`` and whose text matches."""
    link = page.page.locator(f'a[href^="{href_prefix}"]').filter(has_text=text).first
    link.click()
    page.page.wait_for_load_state("networkidle")


def _follow_from_timeline(page: BrowserPage, href_prefix: str, text: str) -> None:
    """From ``/``, turn the timeline's pages (its rel="next" link) until a matching link shows; click it."""
    page.goto("/")
    for _ in range(50):
        if page.page.locator(f'a[href^="{href_prefix}"]').filter(has_text=text).count():
            _follow(page, href_prefix, text)
            return
        page.page.locator('a[rel="next"]').first.click()
        page.page.wait_for_load_state("networkidle")
    raise AssertionError(f"no link to {href_prefix}... saying {text!r} on the timeline's pages")


def _check_page(page: BrowserPage, kind: str, h1: str | re.Pattern[str]) -> None:
    heading = page.page.locator("h1")
    assert heading.count() == 1, f"{kind}: {heading.count()} h1 elements"
    assert re.search(h1, heading.inner_text()) if isinstance(h1, re.Pattern) else h1 in heading.inner_text()
    for landmark in ("header", "nav", "main", "footer"):
        assert page.page.locator(landmark).count() >= 1, f"{kind}: no <{landmark}>"
    page.use_phone()
    assert page.horizontal_overflow() <= 0, f"{kind} scrolls sideways at 360 px"
    page.screenshots(f"page-{kind}")
    page.assert_clean()


def test_every_page_kind_is_reached_by_links_from_the_timeline(browser_page: BrowserPage) -> None:
    _follow_from_timeline(browser_page, "/id/actor/", "Zalmay Khalilzad")
    assert browser_page.path().startswith("/id/actor/zalmay-khalilzad")
    _check_page(browser_page, "actor", "Zalmay Khalilzad")
    assert browser_page.page.get_by_role("heading", name="Positions held").count() == 1
    assert "US Special Representative for Afghanistan Reconciliation" in browser_page.page.inner_text("main")

    _follow(browser_page, "/id/event/", "Khalilzad arrives in Kabul")
    _check_page(browser_page, "event", "Khalilzad arrives in Kabul")
    assert browser_page.page.locator("time[datetime='2019-12-04']").count() >= 1
    assert "Sahar News, citing Reuters" in browser_page.page.inner_text("main")

    _follow_from_timeline(browser_page, "/id/article/", ARTICLE_TITLE)
    _check_page(browser_page, "article", ARTICLE_TITLE)
    assert browser_page.page.locator(".annotated-text mark").count() > 40
    article_path = browser_page.path()

    _follow(browser_page, "/id/event/", "Khalilzad proposes a week-long ceasefire")
    _check_page(browser_page, "proposal", "Khalilzad proposes a week-long ceasefire")
    assert "7 days" in browser_page.page.inner_text("main")

    browser_page.goto(article_path)
    _follow(browser_page, "/id/precondition/", "The Taliban want the US to sign the peace agreement")
    _check_page(browser_page, "precondition", "The Taliban want the US to sign")
    assert "Met: a later report" in browser_page.page.inner_text("main")  # data/links.yaml: the signing met it


def test_a_fact_number_in_the_article_leads_to_the_fact_and_back(browser_page: BrowserPage) -> None:
    browser_page.goto("/id/article/khalilzad-kabul-sahar-news.html")
    first = browser_page.page.locator(".annotated-text a.fact-ref").first
    first.click()
    target = browser_page.page.locator("li:target")
    assert target.count() == 1 and target.locator("a[href^='/id/']").count() == 1
    target.locator("a.back").click()
    assert browser_page.page.evaluate("location.hash").startswith("#at-")
    browser_page.assert_clean()


@pytest.mark.parametrize(
    "path",
    [
        "/id/event/khalilzad-kabul-sahar-news/khalilzad-arrives-in-kabul.html",
        "/id/article/khalilzad-kabul-sahar-news.html",
        "/id/actor/nobody",
    ],
)
def test_keyboard_focus_is_always_visible(browser_page: BrowserPage, path: str) -> None:
    browser_page.goto(path, expect_status=404 if path.endswith("nobody") else 200)
    browser_page.page.keyboard.press("Tab")
    skip = browser_page.page.evaluate(_FOCUS_STYLE)
    assert skip and skip["text"] == "Skip to main content" and skip["visible"] and skip["outline"], skip
    browser_page.page.keyboard.press("Enter")
    assert browser_page.page.evaluate("document.activeElement.id") == "main"
    seen = 0
    for _ in range(25):
        browser_page.page.keyboard.press("Tab")
        focus = browser_page.page.evaluate(_FOCUS_STYLE)
        if focus is None:
            break
        seen += 1
        assert focus["outline"] or focus["shadow"], f"no visible focus on {focus}"
    assert seen >= 3, "fewer than three controls reachable by Tab after the skip link"
    browser_page.assert_clean()


def test_the_query_page_runs_a_query_under_the_content_security_policy(browser_page: BrowserPage) -> None:
    response = browser_page.goto("/sparql")
    assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    browser_page.page.fill("#query", "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                           "SELECT ?label WHERE { ?a rdfs:label ?label } LIMIT 3")
    browser_page.page.get_by_role("button", name="Run query").click()
    browser_page.page.wait_for_load_state("networkidle")
    assert browser_page.page.locator(".query-results table tbody tr").count() == 3
    browser_page.screenshots("page-sparql")
    browser_page.assert_clean()


def test_the_not_found_page_helps(browser_page: BrowserPage) -> None:
    browser_page.goto("/id/event/khalilzad-kabul-sahar-news/nothing-like-this", expect_status=404)
    assert "nothing-like-this" in browser_page.page.inner_text("main")
    browser_page.page.get_by_role("link", name="Search for similar addresses").click()
    browser_page.page.wait_for_load_state("networkidle")
    assert browser_page.path().startswith("/sparql?query=")
    assert browser_page.page.locator(".query-results").count() == 1  # the query ran, without error
    browser_page.screenshots("page-not-found-search")
    browser_page.assert_clean()


@pytest.mark.parametrize(
    "path", ["/ontology", "/.well-known/void", "/id/place/kabul.html", "/graph/gazetteer.html", "/id/actor/taliban.html"]
)
def test_other_pages_load_cleanly_under_the_policy(browser_page: BrowserPage, path: str) -> None:
    browser_page.goto(path)
    assert browser_page.page.locator("h1").count() == 1
    browser_page.use_phone()
    assert browser_page.horizontal_overflow() <= 0, f"{path} scrolls sideways at 360 px"
    browser_page.assert_clean()
