"""The reader pages of the KB's things over HTTP (the real app under waitress): their content,
checked against the seed annotation; their JSON twins; helpful 404s; escaping; security headers.

The in-browser checks (links, keyboard, phone width) are in test_pages_browser.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, TIME, XSD

from kb.build import build
from kb.config import DEFAULT_DATA_DIR
from kb.namespaces import OA, PEACE, SEM
from kb.pages import ArticleFact, Link, as_json, page_data, readable_duration, spans, to_date
from kb.store import EmbeddedStore
from webapp_support import Reply, http_request, live_server, make_app

ARTICLE = "khalilzad-kabul-sahar-news"
ANNOTATION = DEFAULT_DATA_DIR / "annotations" / f"{ARTICLE}.yaml"
BASE = "https://peacekb.example/"
SCHEMA = "https://schema.org/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SCRIPT = "<script>alert('x')</script>"
PAGES = {
    "event": f"/id/event/{ARTICLE}/khalilzad-arrives-in-kabul",
    "proposal": f"/id/event/{ARTICLE}/ceasefire-proposal",
    "actor": "/id/actor/zalmay-khalilzad",
    "precondition": f"/id/precondition/{ARTICLE}/taliban-agreement-first",
    "article": f"/id/article/{ARTICLE}",
}


@pytest.fixture(scope="module")
def server(seed_store_path: Path) -> Iterator[str]:
    with live_server(make_app(seed_store_path)) as url:
        yield url


@pytest.fixture(scope="module")
def annotation() -> dict:
    return yaml.safe_load(ANNOTATION.read_text(encoding="utf-8"))


def _json(server: str, path: str) -> dict:
    reply = http_request(f"{server}{path}.json")
    assert reply.status == 200 and reply.media_type == "application/json", (path, reply.status)
    return json.loads(reply.body)


def _html(server: str, path: str) -> str:
    reply = http_request(f"{server}{path}.html")
    assert reply.status == 200 and reply.media_type == "text/html", (path, reply.status)
    return reply.text


def _fact(annotation: dict, section: str, fact_id: str) -> dict:
    return next(f for f in annotation[section] if f["id"] == fact_id)


def _iri(kind: str, fact_id: str) -> str:
    return f"{BASE}id/{kind}/{ARTICLE}/{fact_id}"


def _ref_iri(kind: str, ref: str) -> str:
    """The IRI of a fact named ``article-id/fact-id`` (data/links.yaml's form)."""
    return f"{BASE}id/{kind}/{ref}"


@pytest.fixture(scope="module")
def links() -> dict:
    return yaml.safe_load((DEFAULT_DATA_DIR / "links.yaml").read_text(encoding="utf-8"))


class _Outline(HTMLParser):
    """What accessibility checks need from a page: headings, landmarks, scripts, style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline_scripts = 0
        self._in_script_without_src = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script_without_src = tag == "script" and "src" not in dict(attrs)

    def handle_data(self, data: str) -> None:
        if self._in_script_without_src and data.strip():
            self.inline_scripts += 1

    def count(self, tag: str) -> int:
        return sum(1 for t, _ in self.tags if t == tag)


def _outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


# -- content, against the annotation ------------------------------------------------------------


def test_event_page_shows_its_facts_participants_sources_and_neighbours(server: str, annotation: dict) -> None:
    fact = _fact(annotation, "events", "khalilzad-arrives-in-kabul")
    data = _json(server, PAGES["event"])
    assert data["kind"] == "event" and data["label"] == fact["label"]
    roles = {(p["role"], p["actor"]["iri"]) for p in data["participants"]}
    assert roles == {(role, f"{BASE}id/actor/{actor}") for role, actors in fact["roles"].items() for actor in actors}
    assert [p["iri"] for p in data["places"]] == [f"{BASE}id/place/{fact['place']}"]
    assert data["status"]["label"] == fact["status"]
    assert data["time"]["surface"] == fact["time"]["text"]
    assert data["time"]["dates"] == [["on", {"value": "2019-12-04", "text": "4 Dec 2019", "precision": "day"}]]
    [source] = data["sources"]
    assert (source["quote"], source["start"], source["end"]) == (
        fact["evidence"]["exact"], fact["evidence"]["start"], fact["evidence"]["end"])
    assert source["attribution"] == "Sahar News, citing Reuters"
    assert data["previous"]["link"]["iri"] != data["next"]["link"]["iri"]
    assert data["previous"]["date"]["value"] <= "2019-12-04" <= data["next"]["date"]["value"]

    html = _html(server, PAGES["event"])
    assert '<time datetime="2019-12-04">4 Dec 2019</time>' in html
    assert '<a href="/id/actor/zalmay-khalilzad">Zalmay Khalilzad</a>' in html
    assert '<a href="/id/place/kabul">Kabul</a>' in html
    assert fact["evidence"]["exact"] in html and "Sahar News, citing Reuters" in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert f'href="{PAGES["event"]}.ttl"' in html  # the generic data view stays linked


def test_neighbours_in_time_link_back(server: str) -> None:
    data = _json(server, PAGES["event"])
    following = _json(server, data["next"]["link"]["iri"].removeprefix(BASE.rstrip("/")))
    assert following["previous"]["link"]["iri"] == data["iri"]


def test_proposal_page_shows_parties_action_purpose_responses_and_outcome(server: str, annotation: dict,
                                                                        links: dict) -> None:
    fact = _fact(annotation, "events", "ceasefire-proposal")
    action = _fact(annotation, "events", fact["proposed_action"])
    data = _json(server, PAGES["proposal"])
    assert data["kind"] == "proposal"
    assert [a["iri"] for a in data["proposer"]] == [f"{BASE}id/actor/{a}" for a in fact["roles"]["proposer"]]
    assert [a["iri"] for a in data["addressee"]] == [f"{BASE}id/actor/{a}" for a in fact["roles"]["addressee"]]
    [proposed] = data["actions"]
    assert proposed["link"]["iri"] == _iri("event", action["id"])
    assert (proposed["duration"], proposed["duration_text"]) == (action["duration"], "7 days")
    assert data["purpose"] == [fact["purpose"]] and data["outcome"]["label"] == fact["outcome"]
    assert [p["iri"] for p in data["precedes"]] == [_iri("event", fact["precedes"])]
    responses = [e for e in annotation["events"] if e.get("responds_to") == fact["id"]]
    later = [r["response"] for r in links["responses"] if r["to"] == f"{ARTICLE}/{fact['id']}"]
    assert later, "data/links.yaml answers the week-long ceasefire proposal from later articles"
    assert {r["link"]["iri"] for r in data["responses"]} == (
        {_iri("event", r["id"]) for r in responses} | {_ref_iri("event", ref) for ref in later})
    [response] = [r for r in data["responses"] if r["link"]["iri"] == _iri("event", responses[0]["id"])]
    assert response["kind"] == "Rejection"
    assert {r["link"]["iri"] for r in data["responses"] if r["later"]} == {_ref_iri("event", ref) for ref in later}
    assert [d["iri"] for d in response["counter_demands"]] == [_iri("event", responses[0]["counter_demand"])]
    html = _html(server, PAGES["proposal"])
    assert "7 days" in html and "→" in html and 'class="badge status-rejected"' in html


def test_a_lasting_event_shows_its_length_in_words_once(server: str, annotation: dict) -> None:
    action = _fact(annotation, "events", _fact(annotation, "events", "ceasefire-proposal")["proposed_action"])
    assert action["duration"] == "P7D"  # "a week-long ceasefire"
    path = f"/id/event/{ARTICLE}/{action['id']}"
    data = _json(server, path)
    assert data["length"] == "7 days"
    assert not [f for f in data["facts"] if "duration" in f["prop"].lower()]  # not again as raw properties
    assert "<dt>Length</dt><dd>7 days</dd>" in _html(server, path)


def test_a_duration_a_store_gave_back_wrong_is_read_from_its_number_of_units(
        seed_only_data: Path, tmp_path: Path, minter, annotation: dict) -> None:
    """Virtuoso keeps an xsd:duration of months as seconds ("P6M" comes back "PT6S"); the page
    then shows the length the OWL-Time number of units gives."""
    location = tmp_path / "store"
    build(seed_only_data, str(location), minter)
    graph_iri = minter.article_graph(ARTICLE)
    action = URIRef(_iri("event", _fact(annotation, "events", "ceasefire-proposal")["proposed_action"]))

    def shown(change) -> str:
        with EmbeddedStore.open_reader(location) as store:
            graph = store.graph(str(graph_iri))
        change(graph)
        with EmbeddedStore.open_writer(location) as writer:
            writer.replace_graphs({graph_iri: graph})
        with EmbeddedStore.open_reader(location) as store:
            [proposed] = as_json(page_data(store, BASE + PAGES["proposal"].lstrip("/")))["actions"]
        return proposed["duration_text"]

    assert shown(lambda g: g.set((action, TIME.hasXSDDuration, Literal("PT7S", datatype=XSD.duration)))) == "7 days"
    assert shown(lambda g: g.remove((action, TIME.hasDuration, None))) == "PT7S"  # no number: as the store has it


def test_precondition_page_says_who_demands_what_and_whether_it_was_met(server: str, annotation: dict,
                                                                        links: dict) -> None:
    fact = _fact(annotation, "preconditions", "taliban-agreement-first")
    data = _json(server, PAGES["precondition"])
    assert data["kind"] == "precondition"
    assert [a["iri"] for a in data["set_by"]] == [f"{BASE}id/actor/{fact['set_by']}"]
    assert {c["link"]["iri"] for c in data["conditions"]} == {_iri("condition", c) for c in fact["requires"]}
    [condition] = data["conditions"]
    required = _fact(annotation, "conditions", fact["requires"][0])["required_event"]
    assert condition["required_event"]["link"]["iri"] == _iri("event", required)
    assert _fact(annotation, "events", required)["status"] == "proposed"  # in this article; a later one tells
    met_by = [c["met"] for c in links["preconditions"] if c["condition"] == f"{ARTICLE}/{fact['requires'][0]}"]
    assert met_by, "data/links.yaml says which later report met the condition"
    assert condition["met"] is True and "later report" in condition["met_reason"]
    assert [d["link"]["iri"] for d in condition["met_by"]] == [_ref_iri("event", ref) for ref in met_by]

    without_event = _json(server, f"/id/precondition/{ARTICLE}/government-seat-and-ceasefire")
    assert len(without_event["conditions"]) == 2
    assert all(c["met"] is None and c["required_event"] is None for c in without_event["conditions"])
    assert condition["met_reason"] in _html(server, PAGES["precondition"])


def test_actor_page_shows_positions_events_in_time_statements_and_wikidata(server: str, annotation: dict) -> None:
    data = _json(server, PAGES["actor"])
    assert data["kind"] == "actor" and data["label"] == "Zalmay Khalilzad"
    held = [m for m in annotation["memberships"] if m["member"] == "zalmay-khalilzad"]
    posts = [m["post"]["iri"] for m in data["memberships"]]
    assert len(posts) == len(set(posts))  # one entry per post, however many articles attest it
    assert {f"{BASE}id/post/{m['post']}" for m in held} <= set(posts)
    firsts = [m["attested"][0]["value"] for m in data["memberships"]]
    assert firsts == sorted(firsts)
    for membership in data["memberships"]:
        assert [d["value"] for d in membership["attested"]] == sorted({d["value"] for d in membership["attested"]})
    involved = {e["id"]: role for e in annotation["events"]
                for role, actors in e.get("roles", {}).items() if "zalmay-khalilzad" in actors}
    listed = {e["link"]["iri"]: e["role"] for e in data["events"] if e["link"]["iri"].startswith(_iri("event", ""))}
    assert listed == {_iri("event", fact_id): role for fact_id, role in involved.items()}
    dates = [e["date"]["value"] for e in data["events"] if e["date"]]
    assert dates == sorted(dates)

    karzai = _json(server, "/id/actor/hekmat-khalil-karzai")
    assert {m["tenure"] for m in karzai["memberships"]} >= {"current", "former"}
    tweet = _fact(annotation, "events", "karzai-tweet")
    [statement] = [s for s in karzai["statements"] if s["link"]["iri"] == _iri("event", "karzai-tweet")]
    assert statement["quotes"] == [tweet["quote"]] and statement["content"] == [tweet["content"]]

    trump = _json(server, "/id/actor/donald-trump")
    assert trump["wikidata"] == ["http://www.wikidata.org/entity/Q22686"]
    assert 'href="http://www.wikidata.org/entity/Q22686"' in _html(server, "/id/actor/donald-trump")


def _evidence(annotation: dict) -> list[tuple[str, dict]]:
    """Every (fact id, evidence span) of the annotation."""
    found = []
    for section in ("reports", "memberships", "events", "quantities", "preconditions", "conditions"):
        for fact in annotation.get(section, []):
            spans_ = fact.get("evidence", [])
            found += [(fact["id"], span) for span in (spans_ if isinstance(spans_, list) else [spans_])]
    return found


def test_article_page_highlights_every_evidence_span(server: str, annotation: dict) -> None:
    data = _json(server, PAGES["article"])
    assert data["kind"] == "article" and data["label"] == annotation["article"]["title"]
    assert "".join(s["text"] for s in data["spans"]) == data["text"]
    expected = sorted((span["start"], span["end"], fact_id) for fact_id, span in _evidence(annotation))
    listed = sorted((f["start"], f["end"], f["link"]["iri"].rpartition("/")[2]) for f in data["facts"])
    assert listed == expected
    for fact in data["facts"]:
        assert data["text"][fact["start"]:fact["end"]] == fact["quote"]
    assert sum(count for _, count in data["legend"]) == len(data["facts"])
    assert [c["label"] for c in data["citing"]] == ["Reuters"]

    html = _html(server, PAGES["article"])
    for fact in data["facts"]:
        assert f'id="fact-{fact["number"]}"' in html and f'href="#fact-{fact["number"]}"' in html
    assert html.count('<mark class="fact-') >= len(data["facts"])
    assert '<a href="/id/event/khalilzad-kabul-sahar-news/ceasefire-proposal">' in html


def test_a_thing_without_a_reader_page_keeps_the_generic_view(server: str) -> None:
    html = _html(server, "/id/place/kabul")
    assert "Linked from" in html and 'href="/id/place/kabul.ttl"' in html
    data = _json(server, "/id/place/kabul")
    assert data["kind"] == "resource" and data["main"]["label"] == "Kabul"


# -- JSON twins ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_every_page_has_a_json_twin_by_suffix_and_by_accept(server: str, kind: str) -> None:
    path = PAGES[kind]
    seen = http_request(server + path, headers={"Accept": "application/json"})
    assert seen.status == 303 and seen.headers["Location"] == f"{path}.json"
    assert "Accept" in seen.headers["Vary"]
    reply = http_request(f"{server}{path}.json")
    assert reply.headers["ETag"] and reply.headers["Access-Control-Allow-Origin"] == "*"
    assert f'<{path}.html>; rel="alternate"; type="text/html"' in reply.headers["Link"]
    data = json.loads(reply.body)
    assert data["kind"] == kind and data["iri"] == BASE + path.lstrip("/")
    assert f'href="{path}.json"' in _html(server, path)
    assert http_request(server + path, headers={"Accept": "application/ld+json"}).headers["Location"] == f"{path}.jsonld"
    assert http_request(server + path, headers={"Accept": BROWSER}).headers["Location"] == f"{path}.html"


def test_a_named_graph_has_a_json_twin(server: str) -> None:
    data = _json(server, "/graph/gazetteer")
    assert data["kind"] == "graph" and data["size"] > 0
    assert any(s["resource"]["href"] == "/id/actor/taliban" for s in data["subjects"])


# -- not found ----------------------------------------------------------------------------------


def test_an_unknown_id_gets_a_helpful_404_in_html_and_json(server: str) -> None:
    path = f"/id/event/{ARTICLE}/no-such-event"
    page = http_request(server + path, headers={"Accept": BROWSER})
    assert page.status == 404 and page.media_type == "text/html"
    assert BASE + path.lstrip("/") in page.text
    assert 'href="/"' in page.text and 'href="/sparql?query=' in page.text
    assert _outline(page.text).count("h1") == 1
    for reply in (http_request(f"{server}{path}.json"),
                  http_request(server + path, headers={"Accept": "application/json"})):
        assert reply.status == 404 and reply.media_type == "application/json"
        error = json.loads(reply.body)["error"]
        assert error["status"] == 404 and error["iri"] == BASE + path.lstrip("/")
        assert error["links"]["timeline"] == "/" and error["links"]["search"].startswith("/sparql?query=")
    assert http_request(f"{server}{path}.ttl").status == 404


# -- accessibility of the markup and security headers ----------------------------------------


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_pages_have_one_h1_landmarks_a_skip_link_and_no_inline_script_or_style(server: str, kind: str) -> None:
    outline = _outline(_html(server, PAGES[kind]))
    assert outline.count("h1") == 1
    for landmark in ("header", "nav", "main", "footer"):
        assert outline.count(landmark) >= 1, landmark
    assert outline.tags[0][0] == "html" and outline.tags[0][1].get("lang") == "en"
    links = [attrs for tag, attrs in outline.tags if tag == "a"]
    assert links[0].get("href") == "#main" and "skip-link" in (links[0].get("class") or "")
    assert outline.inline_scripts == 0
    assert not [tag for tag, attrs in outline.tags if "style" in attrs or any(a.startswith("on") for a in attrs)]
    assert outline.count("time") >= 1 or kind == "precondition"


def _assert_security_headers(reply: Reply) -> None:
    policy = {d.split()[0]: d.split()[1:] for d in reply.headers["Content-Security-Policy"].split("; ")}
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert not any("unsafe" in v for values in policy.values() for v in values)
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Referrer-Policy"]


@pytest.mark.parametrize(
    "path", ["/", "/sparql", "/ontology", "/.well-known/void", f"{PAGES['event']}.html", "/id/place/kabul.html",
             f"/graph/article/{ARTICLE}.html", "/id/actor/nobody"]
)
def test_every_html_page_carries_the_security_headers(server: str, path: str) -> None:
    reply = http_request(server + path, headers={"Accept": BROWSER})
    assert reply.media_type == "text/html"
    _assert_security_headers(reply)


def test_other_answers_are_not_sniffed(server: str) -> None:
    for path in (f"{PAGES['actor']}.json", f"{PAGES['actor']}.ttl", "/static/style.css"):
        assert http_request(server + path).headers["X-Content-Type-Options"] == "nosniff", path


# -- escaping: a crafted store whose texts hold markup -----------------------------------------


def _crafted_graph() -> Graph:
    article, event = URIRef(f"{BASE}id/article/crafted"), URIRef(f"{BASE}id/event/crafted/x")
    actor, evidence = URIRef(f"{BASE}id/actor/crafted"), URIRef(f"{BASE}id/evidence/crafted/x")
    target, position, quote = (URIRef(f"{evidence}#{part}") for part in ("target", "position", "quote"))
    body = f"Before {SCRIPT} after & <b>bold</b>"
    g = Graph()
    g.add((article, RDF.type, URIRef(SCHEMA + "NewsArticle")))
    g.add((article, URIRef(SCHEMA + "headline"), Literal(f"Headline {SCRIPT}")))
    g.add((article, URIRef(SCHEMA + "articleBody"), Literal(body)))
    g.add((actor, RDF.type, SEM.Actor))
    g.add((actor, RDFS.label, Literal(f"Actor {SCRIPT}", lang="en")))
    g.add((event, RDF.type, SEM.Event))
    g.add((event, RDFS.label, Literal(f"Event {SCRIPT}", lang="en")))
    g.add((event, SEM.hasActor, actor))
    g.add((event, PEACE.purpose, Literal(f'"><img src=x onerror=alert(1)> {SCRIPT}')))
    g.add((event, SEM.hasTimeStamp, Literal("2020-01-02", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))))
    g.add((event, PEACE.evidence, evidence))
    g.add((evidence, OA.hasBody, event))
    g.add((evidence, OA.hasTarget, target))
    g.add((target, OA.hasSource, article))
    g.add((target, OA.hasSelector, position))
    g.add((target, OA.hasSelector, quote))
    g.add((quote, OA.exact, Literal(SCRIPT)))
    g.add((position, OA.start, Literal(body.index("<script>"))))
    g.add((position, OA.end, Literal(body.index("</script>") + len("</script>"))))
    return g


@pytest.fixture(scope="module")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("crafted") / "store"
    with EmbeddedStore.open_writer(path) as writer:
        writer.replace_graphs({URIRef(f"{BASE}graph/article/crafted"): _crafted_graph()})
    with live_server(make_app(path)) as url:
        yield url


@pytest.mark.parametrize("path", ["/id/article/crafted", "/id/event/crafted/x", "/id/actor/crafted"])
def test_markup_in_the_data_shows_as_text(crafted: str, path: str) -> None:
    html = _html(crafted, path)
    assert "<script>alert" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert _outline(html).inline_scripts == 0
    assert SCRIPT in json.dumps(_json(crafted, path), ensure_ascii=False)


def test_crafted_article_marks_the_escaped_span(crafted: str) -> None:
    html = _html(crafted, "/id/article/crafted")
    assert '<mark class="fact-event" title="event: facts 1">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</mark>' in html


# -- the pieces -----------------------------------------------------------------------------------


def _article_fact(number: int, start: int | None, end: int | None) -> ArticleFact:
    return ArticleFact(number, Link(f"{BASE}id/event/a/{number}", str(number)), "event", None, start, end)


def test_spans_cut_nested_and_overlapping_evidence() -> None:
    text = "abcdefghij"
    facts = [_article_fact(1, 0, 6), _article_fact(2, 2, 4), _article_fact(3, 5, 9),
             _article_fact(4, 3, 30), _article_fact(5, None, None)]
    pieces = spans(text, facts)
    assert "".join(p.text for p in pieces) == text
    assert [(p.text, p.numbers, p.starts) for p in pieces] == [
        ("ab", [1], [1]), ("cd", [2, 1], [2]), ("e", [1], []), ("f", [3, 1], [3]), ("ghi", [3], []), ("j", [], []),
    ]
    assert spans("", []) == []


def test_dates_and_durations_in_words() -> None:
    assert to_date("2019-08", "http://www.w3.org/2001/XMLSchema#gYearMonth").text == "August 2019"
    assert to_date("2019", "http://www.w3.org/2001/XMLSchema#gYear").precision == "year"
    assert to_date("2019-12-04").value == "2019-12-04"
    assert to_date("next week") is None
    assert to_date("2019-12-04", "http://example.org/notADate") is None
    assert readable_duration("P1W") == "1 week" and readable_duration("P3M10D") == "3 months 10 days"
    assert readable_duration("P") == "P"
