"""The KB as of a day (issue 9, item 4): `kb query --as-of`, `/sparql?as_of=` and `/?as_of=` over the
corpus built from data/, before and after the article on the signing of the Doha agreement
(Salang Review, 29 February 2020) appeared.

Expected values come from the annotation files (each article's `published:`), not from the code.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import yaml
from webapp_support import http_request, live_server, make_app

from kb.as_of import as_of_dataset, graphs_as_of
from kb.config import DEFAULT_DATA_DIR
from kb.store import EmbeddedStore
from kb.timeline import Filters, timeline
from kb.timeline_index import timeline_page

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

BASE = "https://peacekb.example/"
SIGNING_ARTICLE = "doha-agreement-salang-review"
SIGNING = f"{BASE}id/event/{SIGNING_ARTICLE}/doha-agreement"
BEFORE, AFTER = date(2020, 2, 28), date(2020, 2, 29)
ROOT = Path(__file__).resolve().parent.parent


def published_dates() -> dict[str, date]:
    """Each article's publication date as its annotation file gives it."""
    found = {}
    for path in sorted((DEFAULT_DATA_DIR / "annotations").glob("*.yaml")):
        article = yaml.safe_load(path.read_text(encoding="utf-8"))["article"]
        found[article["id"]] = date.fromisoformat(str(article["published"]))
    return found


PUBLISHED = published_dates()


def article_graphs_by(day: date) -> set[str]:
    return {f"{BASE}graph/article/{a}" for a, published in PUBLISHED.items() if published <= day}


def every_page(store, filters: Filters) -> list:
    first = timeline_page(store, filters, 1, overview=False)
    events = list(first.events)
    for page in range(2, (first.page_count or 1) + 1):
        events += timeline_page(store, filters, page, overview=False).events
    return events


# -- which graphs are known ---------------------------------------------------------------------


def test_the_graphs_known_on_a_day_are_the_articles_published_by_then(seed_store):
    assert PUBLISHED[SIGNING_ARTICLE] == AFTER
    for day in (date(2018, 6, 15), BEFORE, AFTER, date(2030, 1, 1)):
        graphs = set(graphs_as_of(seed_store, day))
        shared = {f"{BASE}graph/gazetteer", f"{BASE}graph/ontology"}
        assert shared <= graphs
        assert {g for g in graphs if "/graph/article/" in g} == article_graphs_by(day), day
    assert f"{BASE}graph/article/{SIGNING_ARTICLE}" not in graphs_as_of(seed_store, BEFORE)
    assert graphs_as_of(seed_store, date(1999, 1, 1)) == sorted(shared)


LINKS = yaml.safe_load((DEFAULT_DATA_DIR / "links.yaml").read_text(encoding="utf-8"))


def last_report(refs: list[str]) -> date:
    """The day the last of the articles of ``refs`` (article-id/fact-id) was published."""
    return max(PUBLISHED[ref.partition("/")[0]] for ref in refs)


def link_graphs() -> dict[str, list[str]]:
    """The graph IRI of every response, outcome and precondition of data/links.yaml, with the
    facts it links (the naming of docs/model.md, "Across articles")."""
    found = {}
    for section, first, kinds in (("responses", "response", ("to",)), ("outcomes", "planned", ("happened", "cancelled")),
                                  ("preconditions", "condition", ("met", "broken"))):
        for entry in LINKS.get(section, []):
            kind = next(k for k in kinds if k in entry)
            name = "response" if kind == "to" else kind
            found[f"{BASE}graph/links/{name}/{entry[first]}/{entry[kind]}"] = [entry[first], entry[kind]]
    return found


def test_each_entry_of_the_links_file_is_known_from_the_day_its_last_article_appeared(seed_store):
    graphs = {f"{BASE}graph/links/{c['id']}": c["reports"] for c in LINKS["events"]} | link_graphs()
    assert len(graphs) == len(LINKS["events"]) + sum(len(LINKS.get(s, [])) for s in
                                                      ("responses", "outcomes", "preconditions"))
    assert {g for g in seed_store.graph_names() if g.startswith(f"{BASE}graph/links")} == set(graphs)
    assert f"{BASE}graph/links" not in seed_store.graph_names()
    days = {last_report(refs) for refs in graphs.values()}
    known = {day: set(graphs_as_of(seed_store, day)) for day in days}
    known |= {day - timedelta(days=1): set(graphs_as_of(seed_store, day - timedelta(days=1))) for day in days}
    for graph, refs in graphs.items():
        day = last_report(refs)
        assert graph in known[day], graph
        assert graph not in known[day - timedelta(days=1)], graph


def test_a_merge_of_2019_reports_is_shown_in_a_view_of_2020(seed_store):
    day = date(2020, 1, 1)
    expected = {f"{BASE}id/event/{c['id']}" for c in LINKS["events"] if last_report(c["reports"]) <= day}
    assert f"{BASE}id/event/khalilzad-kabul-visit-december-2019" in expected  # reports of 4 and 13 December 2019
    assert f"{BASE}id/event/kabul-car-bombing-september-2019" not in expected  # one report of February 2020
    merged = {e.iri for e in timeline(seed_store, Filters(as_of=day)) if e.reports}
    assert merged == expected
    assert {e.iri for e in every_page(seed_store, Filters(as_of=day)) if e.reports} == expected


@pytest.fixture(scope="module")
def split_links_store(tmp_path_factory, seed_store_path: Path) -> EmbeddedStore:
    """The corpus with two more links graphs, one per merge: of two 2018 reports, and of a 2018
    report with a 2020 one."""
    path = tmp_path_factory.mktemp("as-of") / "store"
    shutil.copytree(seed_store_path, path)
    event = f"{BASE}id/event/"
    data = f"""
    @prefix peace: <https://peacekb.example/ontology#> .
    <{BASE}graph/links/early> {{
      <{event}test-early> a peace:ReportedEvent ; peace:reportedAs
        <{event}eid-ceasefire-hindu-kush-herald/rodat-car-bombing>, <{event}eid-truce-ends-khyber-monitor/rodat-car-bombing> .
    }}
    <{BASE}graph/links/late> {{
      <{event}test-late> a peace:ReportedEvent ; peace:reportedAs
        <{event}eid-ceasefire-hindu-kush-herald/taliban-eid-truce>, <{event}{SIGNING_ARTICLE}/doha-agreement> .
    }}"""
    writer = EmbeddedStore.open_writer(path)
    writer.load_quads(data.encode(), ox.RdfFormat.TRIG)
    writer.close()
    return EmbeddedStore.open_reader(path)


def test_each_links_graph_is_known_on_its_own(split_links_store):
    day = PUBLISHED["eid-truce-ends-khyber-monitor"]
    graphs = graphs_as_of(split_links_store, day)
    assert f"{BASE}graph/links/early" in graphs
    assert f"{BASE}graph/links/late" not in graphs
    assert f"{BASE}graph/links/late" in graphs_as_of(split_links_store, AFTER)
    merged = {e.iri for e in timeline(split_links_store, Filters(as_of=day)) if e.reports}
    corpus = {f"{BASE}id/event/{c['id']}" for c in LINKS["events"] if last_report(c["reports"]) <= day}
    assert f"{BASE}id/event/test-late" not in merged
    assert merged == corpus | {f"{BASE}id/event/test-early"}


# -- kb query --as-of ---------------------------------------------------------------------------

SIGNED = f"SELECT ?e WHERE {{ ?e a <https://peacekb.example/ontology#Agreement> FILTER(?e = <{SIGNING}>) }}"


def kb_query(store: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kb", "query", "--store", str(store), *args],
        check=False, capture_output=True, text=True, cwd=ROOT, timeout=120,
    )


def test_kb_query_as_of_answers_before_and_after_the_report(seed_store_path):
    answers = {}
    for day in (BEFORE, AFTER):
        done = kb_query(seed_store_path, "--as-of", day.isoformat(), "--format", "json", SIGNED)
        assert done.returncode == 0, done.stderr
        answers[day] = [row["e"]["value"] for row in json.loads(done.stdout)["results"]["bindings"]]
    assert answers == {BEFORE: [], AFTER: [SIGNING]}


def test_kb_query_as_of_sees_only_the_known_graphs_as_named_graphs(seed_store_path, seed_store):
    done = kb_query(seed_store_path, "--as-of", BEFORE.isoformat(), "--format", "json",
                    "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert done.returncode == 0, done.stderr
    named = {row["g"]["value"] for row in json.loads(done.stdout)["results"]["bindings"]}
    assert named == set(graphs_as_of(seed_store, BEFORE))


@pytest.mark.parametrize("value", ["2020-02-30", "29/02/2020"])
def test_kb_query_refuses_a_malformed_day(seed_store_path, value):
    done = kb_query(seed_store_path, "--as-of", value, SIGNED)
    assert done.returncode == 2
    assert "YYYY-MM-DD" in done.stderr and "Traceback" not in done.stderr


# -- /sparql?as_of= ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(seed_store_path):
    with live_server(make_app(seed_store_path)) as url:
        yield url


def sparql(server: str, query: str, extra: str = ""):
    return http_request(f"{server}/sparql?query={quote(query)}{extra}",
                        headers={"Accept": "application/sparql-results+json"})


def test_sparql_as_of_answers_before_and_after_the_report(server):
    answers = {}
    for day in (BEFORE, AFTER):
        reply = sparql(server, SIGNED, f"&as_of={day.isoformat()}")
        assert reply.status == 200, reply.text
        answers[day] = [row["e"]["value"] for row in json.loads(reply.text)["results"]["bindings"]]
    assert answers == {BEFORE: [], AFTER: [SIGNING]}
    assert json.loads(sparql(server, SIGNED).text)["results"]["bindings"]  # without as_of: the present


def test_sparql_as_of_sets_the_named_graphs_too(server, seed_store):
    reply = sparql(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", f"&as_of={BEFORE.isoformat()}")
    named = {row["g"]["value"] for row in json.loads(reply.text)["results"]["bindings"]}
    assert named == set(graphs_as_of(seed_store, BEFORE))


@pytest.mark.parametrize(("extra", "words"), [
    ("&as_of=2020-13-01", "YYYY-MM-DD"),
    ("&as_of=", "YYYY-MM-DD"),
    (f"&as_of=2020-02-28&default-graph-uri={quote(BASE + 'graph/gazetteer')}", "default-graph-uri"),
    (f"&as_of=2020-02-28&named-graph-uri={quote(BASE + 'graph/gazetteer')}", "named-graph-uri"),
    ("&as_of=2020-02-28&as_of=2020-02-29", "once"),
])
def test_sparql_refuses_a_bad_as_of_with_a_message(server, extra, words):
    reply = sparql(server, SIGNED, extra)
    assert reply.status == 400
    assert words in json.loads(reply.text)["error"]["message"]


# -- the timeline as of a day ---------------------------------------------------------------------

#: Dated events and merged events over the known graphs, as plain SPARQL (no timeline code).
_PLAIN = """PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX peace: <https://peacekb.example/ontology#>
SELECT DISTINCT ?line WHERE {
  ?e a sem:Event ; sem:hasTimeStamp|sem:hasBeginTimeStamp|sem:hasEndTimeStamp|sem:hasEarliestBeginTimeStamp
                   |sem:hasLatestEndTimeStamp ?stamp .
  OPTIONAL { ?merged peace:reportedAs ?e }
  BIND(COALESCE(?merged, ?e) AS ?line)
}"""


@pytest.mark.parametrize("day", [BEFORE, AFTER, date(2021, 9, 1)])
def test_the_timeline_index_as_of_a_day_is_the_sparql_answer_over_its_graphs(seed_store, day):
    default, named = as_of_dataset(graphs_as_of(seed_store, day))
    answer = seed_store.query(_PLAIN, default_graphs=default, named_graphs=named)
    expected = {row["line"]["value"] for row in json.loads(answer.body)["results"]["bindings"]}
    indexed = every_page(seed_store, Filters(as_of=day))
    assert {e.iri for e in indexed} == expected


def test_the_timeline_index_as_of_a_day_equals_the_timeline_read_with_sparql(seed_store):
    assert every_page(seed_store, Filters(as_of=AFTER)) == timeline(seed_store, Filters(as_of=AFTER))


def test_each_event_as_of_a_day_has_only_sources_published_by_then(seed_store):
    articles = {f"{BASE}id/article/{a}" for a, published in PUBLISHED.items() if published <= BEFORE}
    events = every_page(seed_store, Filters(as_of=BEFORE))
    assert events and all(e.sources and {s.article for s in e.sources} <= articles for e in events)
    assert SIGNING not in {e.iri for e in events}
    assert SIGNING in {e.iri for e in every_page(seed_store, Filters(as_of=AFTER))}


def test_the_timeline_page_as_of_a_day(server):
    before = http_request(f"{server}/?as_of={BEFORE.isoformat()}&q=doha")
    after = http_request(f"{server}/?as_of={AFTER.isoformat()}&q=doha")
    assert before.status == after.status == 200
    assert "As of 28 February 2020" in before.text and "As of 29 February 2020" in after.text
    assert '<a href="/?q=doha">Show the present view</a>' in before.text
    signing_page = f'href="/id/event/{SIGNING_ARTICLE}/doha-agreement"'
    assert signing_page not in before.text and signing_page in after.text
    assert 'name="as_of" type="date" value="2020-02-28"' in before.text


def test_the_timeline_json_twin_as_of_a_day(server):
    answers = {}
    for day in (BEFORE, AFTER):
        reply = http_request(f"{server}/timeline.json?as_of={day.isoformat()}&q=doha")
        data = json.loads(reply.text)
        assert data["filters"]["as_of"] == day.isoformat()
        answers[day] = {e["iri"] for e in data["events"]}
    assert SIGNING in answers[AFTER] - answers[BEFORE]


def test_a_malformed_as_of_on_the_timeline_is_a_400_that_says_the_form(server):
    reply = http_request(f"{server}/?as_of=2020-02-30")
    assert reply.status == 400
    assert "YYYY-MM-DD" in reply.text and "Traceback" not in reply.text
