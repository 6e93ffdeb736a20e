"""/sparql over a real WSGI server (waitress on 127.0.0.1), queried with http.client.

Expected values are the facts written in tests/fixtures/mini.trig.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from rdflib import Dataset

from kb.sparql import NotAcceptable, UpdateRefused, execute
from kb.store import EmbeddedStore
from webapp_support import (
    ARTICLE_GRAPH,
    GAZETTEER_GRAPH,
    Reply,
    http_request,
    live_server,
    load_fixture,
    make_app,
)

# rdflib's own parsers use its deprecated ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

PREFIXES = """PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
ACTORS_QUERY = PREFIXES + "SELECT ?actor ?name WHERE { ?actor a sem:Actor ; rdfs:label ?name } ORDER BY ?name"
ACTOR_NAMES = [
    "Ashraf Ghani",
    "Government of Afghanistan",
    "Sahar News",
    "Taliban",
    "United States",
    "Zalmay Khalilzad",
]
EVENT_COUNT_QUERY = PREFIXES + "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a sem:Event }"
ALL_TRIPLES = "CONSTRUCT WHERE { ?s ?p ?o }"
VISIT = "https://peacekb.example/id/event/mini/visit"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    return load_fixture(tmp_path_factory.mktemp("kb") / "store")


@pytest.fixture(scope="module")
def server(store_dir):
    with live_server(make_app(store_dir)) as url:
        yield url


def get(server: str, params: list[tuple[str, str]], accept: str | None = None) -> Reply:
    headers = {"Accept": accept} if accept else {}
    return http_request(f"{server}/sparql?{urlencode(params)}", headers=headers)


def post_form(server: str, params: list[tuple[str, str]], accept: str | None = None) -> Reply:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if accept:
        headers["Accept"] = accept
    return http_request(f"{server}/sparql", "POST", urlencode(params).encode("utf-8"), headers)


def post_direct(server: str, query: str | bytes, accept: str | None = None, url_params: str = "") -> Reply:
    body = query.encode("utf-8") if isinstance(query, str) else query
    headers = {"Content-Type": "application/sparql-query"}
    if accept:
        headers["Accept"] = accept
    return http_request(f"{server}/sparql{url_params}", "POST", body, headers)


def names_in(reply: Reply) -> list[str]:
    """The ?name column of a SELECT answer, in any of the four result formats."""
    if reply.media_type == "application/sparql-results+json":
        return [row["name"]["value"] for row in json.loads(reply.body)["results"]["bindings"]]
    if reply.media_type == "application/sparql-results+xml":
        root = ET.fromstring(reply.body)
        return [
            b.find(f"{RESULTS_NS}literal").text
            for b in root.iter(f"{RESULTS_NS}binding")
            if b.get("name") == "name"
        ]
    if reply.media_type == "text/csv":
        return [row["name"] for row in csv.DictReader(io.StringIO(reply.text))]
    if reply.media_type == "text/tab-separated-values":
        header, *lines = reply.text.splitlines()
        column = header.split("\t").index("?name")
        cells = [line.split("\t")[column] for line in lines]
        return [re.fullmatch(r'"(.*)"(?:@[a-z-]+)?', cell).group(1) for cell in cells]
    raise AssertionError(f"unexpected media type {reply.media_type}")


def count_of(reply: Reply) -> int:
    assert reply.status == 200, reply.text
    return int(json.loads(reply.body)["results"]["bindings"][0]["n"]["value"])


def error_message(reply: Reply) -> str:
    return json.loads(reply.body)["error"]["message"]


# -- the three ways to send a query ------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_by_get_in_each_result_format(server, accept, media_type):
    reply = get(server, [("query", ACTORS_QUERY)], accept)
    assert reply.status == 200
    assert reply.media_type == media_type
    assert names_in(reply) == ACTOR_NAMES


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/csv"])
def test_select_by_post_form(server, accept):
    reply = post_form(server, [("query", ACTORS_QUERY)], accept)
    assert reply.status == 200
    assert names_in(reply) == ACTOR_NAMES


@pytest.mark.parametrize("accept", ["application/sparql-results+xml", "text/tab-separated-values"])
def test_select_by_post_direct(server, accept):
    reply = post_direct(server, ACTORS_QUERY, accept)
    assert reply.status == 200
    assert names_in(reply) == ACTOR_NAMES


def test_non_ascii_query_text_round_trips(server):
    query = PREFIXES + 'SELECT ?e WHERE { ?e rdfs:label "US–Taliban talks in Qatar begin"@en }'
    for reply in (get(server, [("query", query)]), post_form(server, [("query", query)]), post_direct(server, query)):
        bindings = json.loads(reply.body)["results"]["bindings"]
        assert [b["e"]["value"] for b in bindings] == ["https://peacekb.example/id/event/mini/talks-begin"]


def test_ask_in_json_and_xml(server):
    yes = PREFIXES + f"ASK {{ <{VISIT}> sem:hasTimeStamp ?t }}"
    no = PREFIXES + "ASK { ?e rdfs:label \"no such event\"@en }"
    assert json.loads(get(server, [("query", yes)]).body) == {"head": {}, "boolean": True}
    assert json.loads(post_direct(server, no).body)["boolean"] is False
    reply = get(server, [("query", yes)], "application/sparql-results+xml")
    assert reply.media_type == "application/sparql-results+xml"
    assert ET.fromstring(reply.body).find(f"{RESULTS_NS}boolean").text == "true"


# -- graphs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media_type", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/trig", "application/trig", "trig"),
    ],
)
def test_construct_in_each_graph_format(server, store_dir, accept, media_type, rdflib_format):
    reply = get(server, [("query", ALL_TRIPLES)], accept)
    assert reply.status == 200
    assert reply.media_type == media_type
    parsed = Dataset()
    parsed.parse(data=reply.body, format=rdflib_format)
    direct = EmbeddedStore.open_reader(store_dir).select(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    )
    assert len(set(parsed.quads())) == int(direct[0]["n"]["value"]) > 100


def test_construct_by_post_gives_the_fixture_triples(server):
    query = PREFIXES + "CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e a sem:Event ; rdfs:label ?l }"
    reply = post_form(server, [("query", query)])
    assert reply.media_type == "text/turtle"
    parsed = Dataset()
    parsed.parse(data=reply.body, format="turtle")
    assert len(parsed) == 6  # six events, one label each


def test_describe_defaults_to_turtle(server):
    reply = get(server, [("query", f"DESCRIBE <{VISIT}>")])
    assert reply.status == 200
    assert reply.media_type == "text/turtle"
    assert "Khalilzad arrives in Kabul" in reply.text


# -- content negotiation -----------------------------------------------------------------------


def test_accept_q_values_choose_the_format(server):
    reply = get(server, [("query", ACTORS_QUERY)], "text/csv;q=0.5, application/sparql-results+xml")
    assert reply.media_type == "application/sparql-results+xml"
    assert "Accept" in reply.headers["Vary"]


def test_no_accept_header_gives_json_results_and_turtle_graphs(server):
    assert get(server, [("query", ACTORS_QUERY)]).media_type == "application/sparql-results+json"
    assert get(server, [("query", ALL_TRIPLES)], "*/*").media_type == "text/turtle"


def test_format_parameter_overrides_accept(server):
    reply = get(server, [("query", ACTORS_QUERY), ("format", "csv")], "application/sparql-results+json")
    assert reply.media_type == "text/csv"
    assert names_in(reply) == ACTOR_NAMES
    graph = post_form(server, [("query", ALL_TRIPLES), ("format", "nt")], "text/turtle")
    assert graph.media_type == "application/n-triples"
    direct = post_direct(server, ACTORS_QUERY, "text/csv", url_params="?format=tsv")
    assert direct.media_type == "text/tab-separated-values"


def test_unacceptable_accept_is_406(server):
    reply = get(server, [("query", ACTORS_QUERY)], "image/png")
    assert reply.status == 406
    assert "image/png" in reply.text


def test_a_results_only_accept_for_a_graph_is_406(server):
    reply = get(server, [("query", ALL_TRIPLES)], "text/csv")
    assert reply.status == 406
    assert "text/turtle" in reply.text  # says what would work


def test_unknown_format_parameter_is_406(server):
    assert get(server, [("query", ACTORS_QUERY), ("format", "png")]).status == 406


# -- the dataset -------------------------------------------------------------------------------


def test_default_graph_uri_restricts_the_dataset(server):
    assert count_of(get(server, [("query", EVENT_COUNT_QUERY)])) == 6
    assert count_of(get(server, [("query", EVENT_COUNT_QUERY), ("default-graph-uri", GAZETTEER_GRAPH)])) == 0
    assert count_of(post_form(server, [("query", EVENT_COUNT_QUERY), ("default-graph-uri", ARTICLE_GRAPH)])) == 6


def test_default_graph_uri_is_repeatable(server):
    query = PREFIXES + f"SELECT ?name WHERE {{ <{VISIT}> sem:hasActor ?a . ?a rdfs:label ?name }} ORDER BY ?name"
    article_only = get(server, [("query", query), ("default-graph-uri", ARTICLE_GRAPH)])
    assert names_in(article_only) == []  # the actors' labels are in the gazetteer graph
    both = f"?default-graph-uri={ARTICLE_GRAPH}&default-graph-uri={GAZETTEER_GRAPH}"
    assert names_in(post_direct(server, query, url_params=both)) == ["Government of Afghanistan", "Zalmay Khalilzad"]


def test_named_graph_uri_restricts_the_named_graphs(server):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    reply = get(server, [("query", query), ("named-graph-uri", GAZETTEER_GRAPH)])
    assert [b["g"]["value"] for b in json.loads(reply.body)["results"]["bindings"]] == [GAZETTEER_GRAPH]


def test_a_graph_uri_that_is_not_an_iri_is_400(server):
    reply = get(server, [("query", EVENT_COUNT_QUERY), ("default-graph-uri", "not an iri")], "application/json")
    assert reply.status == 400
    assert "not an iri" in error_message(reply)


# -- malformed requests ------------------------------------------------------------------------


def test_get_without_query_is_400_for_a_sparql_client(server):
    assert get(server, [], "application/sparql-results+json").status == 400
    assert get(server, [("default-graph-uri", GAZETTEER_GRAPH)]).status == 400


def test_post_form_without_query_is_400(server):
    assert post_form(server, [("default-graph-uri", GAZETTEER_GRAPH)]).status == 400


def test_two_query_parameters_are_400(server):
    params = [("query", ACTORS_QUERY), ("query", EVENT_COUNT_QUERY)]
    reply = get(server, params, "application/json")
    assert reply.status == 400
    assert "exactly one" in error_message(reply)
    assert post_form(server, params).status == 400
    assert post_direct(server, ACTORS_QUERY, url_params="?" + urlencode([("query", ACTORS_QUERY)])).status == 400


def test_wrong_post_media_type_is_415(server):
    reply = http_request(f"{server}/sparql", "POST", ACTORS_QUERY.encode(), {"Content-Type": "text/plain"})
    assert reply.status == 415
    assert "application/sparql-query" in reply.text


def test_body_that_is_not_utf8_is_400(server):
    assert post_direct(server, b"SELECT * WHERE { ?s ?p \"\xff\xfe\" }").status == 400
    form = b"query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%22%FF%22%20%7D"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    assert http_request(f"{server}/sparql", "POST", form, headers).status == 400
    assert http_request(f"{server}/sparql?query=ASK%20%7B%7D%FF").status == 400


def test_syntax_error_is_400_with_the_parsers_position(server):
    reply = get(server, [("query", "SELECT ?s WHERE { ?s ?p }")], "application/json")
    assert reply.status == 400
    assert re.search(r"\b1:\d+\b", error_message(reply)), error_message(reply)


def test_error_for_a_plain_client_is_text(server):
    reply = get(server, [("query", "SELECT nonsense")], "text/csv")
    assert reply.status == 400
    assert reply.media_type == "text/plain"
    assert "syntax" in reply.text.lower()


# -- updates are refused -----------------------------------------------------------------------


INSERT = 'INSERT DATA { <https://peacekb.example/x> <https://peacekb.example/y> "z" }'


def test_update_is_refused_with_403(server):
    assert get(server, [("query", INSERT)]).status == 403
    assert post_form(server, [("query", PREFIXES + "# a comment\nDELETE WHERE { ?s ?p ?o }")]).status == 403
    assert post_form(server, [("update", INSERT)]).status == 403
    reply = http_request(f"{server}/sparql", "POST", INSERT.encode(), {"Content-Type": "application/sparql-update"})
    assert reply.status == 403
    ask = get(server, [("query", 'ASK { ?s ?p "z" }')])
    assert json.loads(ask.body)["boolean"] is False


# -- CORS --------------------------------------------------------------------------------------


def test_cors_header_on_answers_and_errors(server):
    assert get(server, [("query", ACTORS_QUERY)]).headers["Access-Control-Allow-Origin"] == "*"
    assert get(server, [("query", "SELECT")]).headers["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight_allows_a_direct_post(server):
    reply = http_request(
        f"{server}/sparql",
        "OPTIONS",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert reply.status == 200
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in reply.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in reply.headers["Access-Control-Allow-Headers"]


# -- the query page ----------------------------------------------------------------------------


def test_browser_without_query_gets_the_form(server):
    reply = get(server, [], "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert reply.status == 200
    assert reply.media_type == "text/html"
    assert "<textarea" in reply.text
    assert "PREFIX sem: &lt;http://semanticweb.cs.vu.nl/2009/11/sem/&gt;" in reply.text
    assert "SELECT" in reply.text


def test_form_submitted_with_format_html_shows_a_table(server):
    query = PREFIXES + "SELECT ?name WHERE { ?e a sem:Event ; rdfs:label ?name } ORDER BY ?name"
    reply = post_form(server, [("query", query), ("format", "html")], "text/html")
    assert reply.status == 200
    assert reply.media_type == "text/html"
    assert '<th scope="col">name</th>' in reply.text
    assert "Khalilzad arrives in Kabul" in reply.text
    assert "&lt;script&gt;" in reply.text and "<script>" not in reply.text
    assert reply.text.count("<tr>") == 1 + 6  # header row and six events


# -- the same code path without HTTP, as `kb query` uses it --------------------------------------


def test_execute_is_the_path_the_cli_uses(store_dir):
    store = EmbeddedStore.open_reader(store_dir)
    answer = execute(store, ACTORS_QUERY, fmt="csv")
    assert (answer.kind, answer.media_type) == ("select", "text/csv")
    assert [row["name"] for row in csv.DictReader(io.StringIO(answer.body.decode("utf-8")))] == ACTOR_NAMES
    assert execute(store, ALL_TRIPLES, fmt="ttl").media_type == "text/turtle"
    with pytest.raises(UpdateRefused):
        execute(store, "PREFIX x: <https://peacekb.example/>\nCLEAR ALL")
    with pytest.raises(NotAcceptable):
        execute(store, ALL_TRIPLES, fmt="csv")
