"""The seed KB served by the real WSGI server: the timeline and /sparql as clients use them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from kb.config import DEFAULT_DATA_DIR
from webapp_support import http_request, live_server, make_app

ANNOTATIONS = DEFAULT_DATA_DIR / "annotations"
PREFIXES = """PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


@pytest.fixture(scope="module")
def server(seed_store_path: Path) -> Iterator[str]:
    with live_server(make_app(seed_store_path)) as url:
        yield url


def annotated_events() -> list[dict]:
    """The events of every annotation of the seed."""
    return [event for path in sorted(ANNOTATIONS.glob("*.yaml"))
            for event in yaml.safe_load(path.read_text(encoding="utf-8")).get("events", [])]


def first_date(time: dict) -> str:
    stamps = [time[k] for k in ("value", "begin", "earliest", "end", "latest") if k in time]
    return min(str(s.isoformat() if isinstance(s, date) else s) for s in stamps)


def timeline_lines() -> dict[str, set[str]]:
    """What the timeline should list: each event's label with the months it falls in; the reports
    merged by data/links.yaml are one line under the merged event's label, at its first report."""
    by_ref = {f"{path.stem}/{event['id']}": event for path in sorted(ANNOTATIONS.glob("*.yaml"))
              for event in yaml.safe_load(path.read_text(encoding="utf-8")).get("events", [])}
    links = yaml.safe_load((DEFAULT_DATA_DIR / "links.yaml").read_text(encoding="utf-8"))
    lines: dict[str, set[str]] = {}
    merged = set()
    for cluster in links["events"]:
        merged.update(cluster["reports"])
        first = min(first_date(by_ref[ref]["time"]) for ref in cluster["reports"])
        lines.setdefault(cluster["label"], set()).add(first[:7])
    for ref, event in by_ref.items():
        if ref not in merged:
            lines.setdefault(event["label"], set()).add(first_date(event["time"])[:7])
    return lines


def test_timeline_lists_every_dated_event_of_the_seed_in_date_order(server: str) -> None:
    shown: list[dict] = []
    for page in range(1, 100):
        reply = http_request(f"{server}/timeline.json?page={page}")
        assert reply.status == 200
        body = json.loads(reply.body)
        shown += body["events"]
        if page >= body["pages"]:
            break
    months = timeline_lines()  # month order is unambiguous at any precision
    assert {e["label"] for e in shown} == set(months)
    # a label that two articles use for events of different months says nothing about order
    firsts = [next(iter(months[e["label"]])) for e in shown if len(months[e["label"]]) == 1]
    assert len(firsts) > len(shown) * 0.9
    assert firsts == sorted(firsts)


def test_timeline_html_shows_dates_at_their_precision(server: str) -> None:
    pages = json.loads(http_request(f"{server}/timeline.json").body)["pages"]
    page = "".join(http_request(f"{server}/?page={n}").text for n in range(1, pages + 1))
    assert '<time datetime="2019-08">August 2019</time>' in page  # "in August", a month
    assert '<time datetime="2019-12-04">4 Dec 2019</time>' in page  # "on Wednesday", a day
    assert "Khalilzad begins meetings with Afghan leaders in Kabul" in page  # the seed's, on that day


@pytest.mark.parametrize("fmt", [JSON, XML, CSV])
def test_sparqlwrapper_select(server: str, fmt: str) -> None:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(PREFIXES + 'SELECT ?e WHERE { ?e sem:hasTimeStamp "2019-12-04"^^<http://www.w3.org/2001/XMLSchema#date> }')
    client.setReturnFormat(fmt)
    result = client.query().convert()
    on_the_day = {e["id"] for e in annotated_events() if e["time"].get("value") == date(2019, 12, 4)}
    if fmt == JSON:
        found = {b["e"]["value"].rsplit("/", 1)[1] for b in result["results"]["bindings"]}
    elif fmt == XML:
        found = {n.firstChild.data.rsplit("/", 1)[1] for n in result.getElementsByTagName("uri")}
    else:
        found = {line.rsplit("/", 1)[1] for line in result.decode("utf-8").split()[1:]}
    assert found == on_the_day


def test_sparqlwrapper_ask_and_construct(server: str) -> None:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(PREFIXES + "ASK { ?e a sem:Event }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client.setQuery(PREFIXES + "CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e a sem:Event ; rdfs:label ?l }")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) == len(annotated_events())


def test_sparqlwrapper_post(server: str) -> None:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setMethod("POST")
    client.setQuery(PREFIXES + "SELECT (COUNT(?e) AS ?n) WHERE { ?e a sem:Event }")
    client.setReturnFormat(JSON)
    [row] = client.query().convert()["results"]["bindings"]
    assert int(row["n"]["value"]) == len(annotated_events())


@pytest.mark.parametrize("returns", ["json", "xml", "csv", "tsv"])
def test_rdflib_sparqlstore_as_a_client(server: str, returns: str) -> None:
    """rdflib's SPARQLStore, as an analyst's script would use it, in each result format."""
    from rdflib import ConjunctiveGraph, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(f"{server}/sparql", returnFormat=returns)
    graph = ConjunctiveGraph(store=store)
    rows = list(graph.query(PREFIXES + "SELECT ?e ?l WHERE { ?e a sem:Event ; rdfs:label ?l }"))
    assert {str(label) for _, label in rows} == {e["label"] for e in annotated_events()}
    assert all(isinstance(event, URIRef) for event, _ in rows)
    if returns in ("json", "xml"):  # the CSV/TSV results formats define no boolean answer
        assert graph.query(PREFIXES + "ASK { ?e a sem:Event }").askAnswer is True
