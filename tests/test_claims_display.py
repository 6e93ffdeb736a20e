"""Claims across articles on the reader's side (issue 9, items 2, 3 and 5): one timeline line and
one page per merged event with its sources and a visible disagreement, responses from later
articles on a proposal's page, and what met or broke a precondition.

The KB is the corpus built from data/ (the session's seed store); expected values are read from
data/links.yaml and the annotation files, not from the code.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from rdflib import Graph, URIRef
from webapp_support import http_request

from kb.config import DEFAULT_DATA_DIR
from kb.namespaces import PEACE
from kb.store import EmbeddedStore
from kb.timeline import Filters, timeline
from kb.timeline_index import timeline_page

if TYPE_CHECKING:
    from browser import BrowserPage

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

BASE = "https://peacekb.example/"
LINKS = yaml.safe_load((DEFAULT_DATA_DIR / "links.yaml").read_text(encoding="utf-8"))
RODAT = f"{BASE}id/event/rodat-car-bombing-2018"
CEASEFIRE_PROPOSAL = "khalilzad-kabul-sahar-news/ceasefire-proposal"


def annotation(article: str) -> dict:
    return yaml.safe_load((DEFAULT_DATA_DIR / "annotations" / f"{article}.yaml").read_text(encoding="utf-8"))


def fact_iri(kind: str, ref: str) -> str:
    return f"{BASE}id/{kind}/{ref}"


def article_of(ref: str) -> str:
    return f"{BASE}id/article/{ref.split('/')[0]}"


def every_page(store, filters: Filters | None = None) -> list:
    filters = filters or Filters()
    first = timeline_page(store, filters, 1, overview=False)
    events = list(first.events)
    for page in range(2, (first.page_count or 1) + 1):
        events += timeline_page(store, filters, page, overview=False).events
    return events


@pytest.fixture(scope="module")
def lines(seed_store) -> dict:
    """The timeline's lines by IRI."""
    return {event.iri: event for event in every_page(seed_store)}


# -- the timeline ---------------------------------------------------------------------------------


def test_each_merged_event_is_one_line_with_every_reporting_article(lines):
    assert len(LINKS["events"]) >= 3
    for cluster in LINKS["events"]:
        merged = f"{BASE}id/event/{cluster['id']}"
        assert merged in lines, cluster["id"]
        event = lines[merged]
        assert event.label == cluster["label"]
        assert {s.article for s in event.sources} == {article_of(r) for r in cluster["reports"]}
        assert set(event.reports) <= {fact_iri("event", r) for r in cluster["reports"]}
        assert not {fact_iri("event", r) for r in cluster["reports"]} & lines.keys()  # no line per report


def test_a_disagreement_is_on_the_merged_line(lines):
    herald, monitor = annotation("eid-ceasefire-hindu-kush-herald"), annotation("eid-truce-ends-khyber-monitor")
    counts = {
        q["value"] for doc, fact in ((herald, "rodat-killed-first-count"), (monitor, "rodat-killed-later-count"))
        for q in doc["quantities"] if q["id"] == fact
    }
    assert counts == {26, 36}
    event = lines[RODAT]
    assert event.independent_sources == 2  # two outlets, neither relaying the other
    label = " ".join(d.label for d in event.disagreements)
    assert all(str(n) in label for n in counts)
    assert "Hindu Kush Herald" in label and "Khyber Monitor" in label


def test_the_timeline_page_shows_the_count_and_the_disagreement(seed_server, lines):
    text = http_request(f"{seed_server}/?q=rodat").text
    item = text[text.index('href="/id/event/rodat-car-bombing-2018"'):]
    item = item[:item.index("</article>")]
    assert "2 independent sources" in item
    assert "Sources disagree" in item
    for d in lines[RODAT].disagreements:
        assert d.label in item.replace("&#39;", "'")
    assert item.count('<figure class="source">') == 2


def test_the_timeline_json_carries_sources_count_and_disagreements(seed_server, lines):
    data = json.loads(http_request(f"{seed_server}/timeline.json?q=rodat").text)
    event = next(e for e in data["events"] if e["iri"] == RODAT)
    assert event["independent_sources"] == 2
    assert [d["label"] for d in event["disagreements"]] == [d.label for d in lines[RODAT].disagreements]
    assert {s["article"] for s in event["sources"]} == {s.article for s in lines[RODAT].sources}
    assert len(event["reports"]) == 2


# -- the pages ------------------------------------------------------------------------------------


def test_the_merged_event_page(seed_server, lines):
    text = http_request(f"{seed_server}/id/event/rodat-car-bombing-2018.html").text
    assert "Reported by 2 independent sources" in text
    assert "The sources disagree" in text
    for d in lines[RODAT].disagreements:
        assert d.label in text
    for report in lines[RODAT].reports:
        assert f'href="{report.removeprefix(BASE[:-1])}"' in text
    for source in lines[RODAT].sources:
        assert f'href="{source.article.removeprefix(BASE[:-1])}"' in text


def test_the_merged_event_json_twin(seed_server, lines):
    data = json.loads(http_request(f"{seed_server}/id/event/rodat-car-bombing-2018.json").text)
    assert data["merged"]["source_count"] == data["merged"]["independent_sources"] == 2
    assert [d["label"] for d in data["merged"]["disagreements"]] == [d.label for d in lines[RODAT].disagreements]
    assert {s["article"]["iri"] for s in data["sources"]} == {s.article for s in lines[RODAT].sources}
    assert all(d["claims"] for d in data["merged"]["disagreements"])


def test_a_report_page_points_to_its_merged_event(seed_server):
    report = LINKS["events"][0]["reports"][0]
    text = http_request(f"{seed_server}/id/event/{report}.html").text
    assert f'href="/id/event/{LINKS["events"][0]["id"]}"' in text
    assert "independent source" in text


def test_a_proposal_lists_the_responses_of_later_articles(seed_server):
    expected = {r["response"] for r in LINKS["responses"] if r["to"] == CEASEFIRE_PROPOSAL}
    assert expected
    data = json.loads(http_request(f"{seed_server}/id/event/{CEASEFIRE_PROPOSAL}.json").text)
    later = {r["link"]["iri"] for r in data["responses"] if r["later"]}
    assert {fact_iri("event", ref) for ref in expected} <= later
    text = http_request(f"{seed_server}/id/event/{CEASEFIRE_PROPOSAL}.html").text
    responses = text[text.index('id="responses-heading"'):]
    for ref in expected:
        assert f'href="/id/event/{ref}"' in responses
    assert responses.count("later article") >= len(expected)


def precondition_of(store: EmbeddedStore, condition: str) -> str:
    """The precondition page that shows ``condition`` (itself, or the precondition requiring it)."""
    rows = store.select(f"SELECT ?p WHERE {{ {{ ?p <{PEACE.requires}> <{condition}> }} UNION "
                        f"{{ <{condition}> a <{PEACE.Precondition}> BIND(<{condition}> AS ?p) }} }}")
    return rows[0]["p"]["value"]


@pytest.mark.parametrize("how", ["met", "broken"])
def test_a_precondition_page_shows_what_met_or_broke_it(seed_server, seed_store, how):
    links = [p for p in LINKS["preconditions"] if how in p]
    assert links
    for link in links:
        condition = next(f"{BASE}id/{kind}/{link['condition']}" for kind in ("condition", "precondition")
                         if seed_store.ask(f"ASK {{ <{BASE}id/{kind}/{link['condition']}> ?p ?o }}"))
        page = precondition_of(seed_store, condition).removeprefix(BASE[:-1])
        text = http_request(f"{seed_server}{page}.html").text
        assert f"{how.capitalize()} by" in text
        assert f'href="/id/event/{link[how]}"' in text
        data = json.loads(http_request(f"{seed_server}{page}.json").text)
        found = [e["link"]["iri"] for c in data["conditions"] for e in c[f"{how}_by"]]
        found += [e["link"]["iri"] for e in data[f"{how}_by"]]
        assert fact_iri("event", link[how]) in found


# -- the index after the links change -------------------------------------------------------------


def test_the_index_follows_a_change_of_a_links_graph(tmp_path: Path, seed_store_path: Path):
    path = tmp_path / "store"
    shutil.copytree(seed_store_path, path)
    links_iri = f"{BASE}graph/links/rodat-car-bombing-2018"  # the Rodat merge's own graph
    with EmbeddedStore.open_reader(path) as reader:
        links = reader.graph(links_iri)
    assert (URIRef(RODAT), PEACE.reportedAs, None) in links
    writer = EmbeddedStore.open_writer(path)
    writer.replace_graphs({URIRef(links_iri): Graph()})  # the Rodat merge and its disagreement go
    writer.close()
    with EmbeddedStore.open_reader(path) as reader:
        events = every_page(reader)
        assert events == timeline(reader)
    iris = {e.iri for e in events}
    assert RODAT not in iris
    assert {fact_iri("event", r) for r in LINKS["events"][0]["reports"]} <= iris


# -- in a browser ---------------------------------------------------------------------------------


def test_the_as_of_field_in_a_browser(browser_page: BrowserPage) -> None:
    browser_page.goto("/")
    browser_page.page.fill("#filter-as-of", "2019-12-05")
    browser_page.page.click("button[type=submit]")
    browser_page.page.wait_for_load_state("networkidle")
    assert "as_of=2019-12-05" in browser_page.path()
    status = browser_page.page.locator("p.as-of")
    assert "As of 5 December 2019" in status.inner_text()
    status.get_by_role("link", name="Show the present view").click()
    browser_page.page.wait_for_load_state("networkidle")
    assert "as_of" not in browser_page.path()
    assert browser_page.page.locator("p.as-of").count() == 0
    browser_page.assert_clean()


def test_a_disagreement_reads_as_text_in_a_browser(browser_page: BrowserPage) -> None:
    browser_page.goto("/id/event/rodat-car-bombing-2018")
    note = browser_page.page.get_by_role("note")
    assert re.search(r"The sources disagree", note.inner_text())
    assert "Khyber Monitor" in note.inner_text()
    browser_page.assert_clean()
