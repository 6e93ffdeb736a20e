"""The analysts' query library (ontology/queries/*.rq) run against the KB of the seed article.

Every expectation is derived from the reviewed annotation of the seed article
(data/annotations/khalilzad-kabul-sahar-news.yaml), the gazetteer (for labels), the event-type
scheme (ontology/event-types.ttl, for CAMEO roots) or from facts the article states itself -- never
from a pasted query answer. So when the annotation changes, the expectations follow it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Namespace
from rdflib.namespace import SKOS

from kb.store import Binding, EmbeddedStore

ROOT = Path(__file__).parent.parent
QUERY_DIR = ROOT / "ontology" / "queries"
ANNOTATION = ROOT / "data" / "annotations" / "khalilzad-kabul-sahar-news.yaml"
GAZETTEER = ROOT / "data" / "gazetteer"
EVENT_TYPES = ROOT / "ontology" / "event-types.ttl"

BASE = "https://peacekb.example/"
PEACE_NS = "https://peacekb.example/ontology#"
ETYPE = Namespace("https://peacekb.example/event-type/")
SEM_NS = "http://semanticweb.cs.vu.nl/2009/11/sem/"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"

REQUIRED = {
    "proposals-with-response", "preconditions-by-actor", "meetings", "khalilzad-timeline",
    "statements-by-speaker", "troop-levels", "evidence-of-fact", "attribution-chain",
    "events-by-cameo-root", "planned-vs-occurred", "sem-what-happened-on-date",
    "sem-rejected-proposal",
}

#: Queries restricted to standard vocabularies, and the namespaces each may use.
STANDARD = {
    "sem": SEM_NS,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": XSD_NS,
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
SEM_ONLY = {
    "sem-what-happened-on-date": {"sem", "rdfs", "skos", "xsd", "rdf"},
    "sem-rejected-proposal": {"sem", "prov", "rdfs", "skos", "xsd", "rdf"},
}

#: Annotation channel names -> the peace: channel concepts (docs/model.md, "Statements").
CHANNELS = {
    "press-statement": "PressStatement",
    "tweet": "Tweet",
    "newspaper-interview": "NewspaperInterview",
    "wire-service-interview": "WireServiceInterview",
    "speech": "Speech",
    "unspecified": "UnspecifiedChannel",
}

#: Annotation link fields -> the property the model writes (docs/model.md).
EVENT_LINKS = {
    "part_of": SEM_NS + "subEventOf",
    "responds_to": PEACE_NS + "respondsTo",
    "proposed_action": PEACE_NS + "proposedAction",
    "demanded_action": PEACE_NS + "demandedAction",
    "counter_demand": PEACE_NS + "counterDemand",
    "precedes": PEACE_NS + "precedes",
    "leads_to": PEACE_NS + "leadsTo",
}

#: Annotation sections -> the {kind} segment of a fact's IRI (docs/model.md, "IRI scheme").
FACT_SECTIONS = {
    "events": "event",
    "preconditions": "precondition",
    "conditions": "condition",
    "quantities": "quantity",
    "memberships": "membership",
    "reports": "report",
}


# -- the annotation and the gazetteer ---------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_store(seed_store_path: Path) -> Iterator[EmbeddedStore]:
    """The KB of the whole data/ folder (conftest's ``seed_store``, which this module overrides)."""
    with EmbeddedStore.open_reader(seed_store_path) as store:
        yield store


@pytest.fixture(scope="module")
def seed_store(seed_only_store: EmbeddedStore) -> EmbeddedStore:
    """The KB of the seed article alone: the expectations are the seed annotation's."""
    return seed_only_store


@pytest.fixture(scope="module")
def ann() -> dict:
    return yaml.safe_load(ANNOTATION.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def article_id(ann: dict) -> str:
    return ann["article"]["id"]


@pytest.fixture(scope="module")
def events(ann: dict) -> dict[str, dict]:
    return {e["id"]: e for e in ann["events"]}


@pytest.fixture(scope="module")
def labels() -> dict[str, str]:
    """Gazetteer id -> label, for actors, places, posts and roles."""
    out: dict[str, str] = {}
    for name, sections in (("actors", ["actors"]), ("places", ["places"]), ("posts", ["posts", "roles"])):
        data = yaml.safe_load((GAZETTEER / f"{name}.yaml").read_text(encoding="utf-8"))
        for section in sections:
            out.update({item["id"]: item["label"] for item in data.get(section, [])})
    return out


@pytest.fixture(scope="module")
def posts() -> dict[str, dict]:
    data = yaml.safe_load((GAZETTEER / "posts.yaml").read_text(encoding="utf-8"))
    return {p["id"]: p for p in data["posts"]}


@pytest.fixture(scope="module")
def cameo_root() -> dict[str, tuple[str, str]]:
    """Event-type id -> (CAMEO root code, root label), read from the SKOS scheme file."""
    g = Graph().parse(EVENT_TYPES, format="turtle")
    out = {}
    for concept in set(g.subjects(SKOS.inScheme, ETYPE["scheme"])):
        root = concept
        while (root, SKOS.topConceptOf, ETYPE["scheme"]) not in g:
            root = g.value(root, SKOS.broader)
        out[str(concept).removeprefix(str(ETYPE))] = (
            str(g.value(root, SKOS.notation)),
            str(g.value(root, SKOS.prefLabel)),
        )
    return out


def actor_iri(actor_id: str) -> str:
    return f"{BASE}id/actor/{actor_id}"


def role_actors(fact: dict) -> set[str]:
    return {a for actors in fact.get("roles", {}).values() for a in actors}


def spans(fact: dict) -> list[dict]:
    ev = fact["evidence"]
    return ev if isinstance(ev, list) else [ev]


def when(fact: dict) -> dict[str, str | None]:
    """The time of an annotated fact as the lexical forms the KB writes: date, earliest, latest."""
    t = fact.get("time", {})
    point = t.get("value", t.get("begin"))
    return {
        "date": None if point is None else str(point),
        "earliest": None if t.get("earliest") is None else str(t["earliest"]),
        "latest": None if t.get("latest") is None else str(t["latest"]),
    }


def sort_key(fact: dict) -> str:
    w = when(fact)
    return w["date"] or w["earliest"] or w["latest"] or ""


# -- running the queries ----------------------------------------------------------------------


def query_files() -> list[Path]:
    return sorted(QUERY_DIR.glob("*.rq"))


def query_text(name: str) -> str:
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")


def local(iri: str | None) -> str | None:
    """The last segment of an IRI: a fact or actor id, or a peace: term's local name."""
    return None if iri is None else re.split(r"[/#]", iri)[-1]


def values(rows: list[Binding]) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in row.items()} for row in rows]


def run(store: EmbeddedStore, name: str) -> list[dict[str, str]]:
    return values(store.select(query_text(name)))


def header(text: str) -> dict[str, str]:
    """The `# field: value` block at the top of a query; continuation lines join the field."""
    fields: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = re.match(r"#\s*(title|description|tags):\s*(.*)$", line)
        if m:
            current = m.group(1)
            fields[current] = m.group(2).strip()
        elif current:
            fields[current] += " " + line.lstrip("#").strip()
    return fields


# -- the library as a whole -------------------------------------------------------------------


def test_at_least_twelve_queries_including_the_required_ones():
    names = {p.stem for p in query_files()}
    assert len(names) >= 12
    assert REQUIRED <= names, f"missing: {sorted(REQUIRED - names)}"


@pytest.mark.parametrize("path", query_files(), ids=lambda p: p.name)
def test_query_has_header_parses_and_answers(path: Path, seed_store: EmbeddedStore,
                                             corpus_store: EmbeddedStore):
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*\.rq", path.name), "file names are kebab-case"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# title: ")
    fields = header(text)
    assert fields.keys() == {"title", "description", "tags"}
    assert all(fields.values()), f"empty header field in {fields}"
    assert all(tag.strip() for tag in fields["tags"].split(","))
    # every prefix used is declared (the parser refuses undeclared ones), and it runs
    # a query about several articles' reports of one event needs the corpus, not the seed alone
    across = "across articles" in fields["tags"]
    store = corpus_store if across else seed_store
    answer = store.query(text)
    assert answer.kind == "select"
    assert store.select(text), f"{path.name} answers nothing on the {'corpus' if across else 'seed'} KB"


@pytest.mark.parametrize("name", sorted(SEM_ONLY))
def test_sem_only_queries_use_only_standard_vocabularies(name: str):
    text = query_text(name)
    assert "peace:" not in text
    assert PEACE_NS not in text
    assert "peacekb.example" not in text
    declared = dict(re.findall(r"^PREFIX\s+(\w*):\s*<([^>]+)>", text, flags=re.M))
    assert set(declared) <= SEM_ONLY[name]
    assert all(STANDARD[p] == iri for p, iri in declared.items())
    for iri in re.findall(r"<([^>\s]+)>", text):
        assert any(iri.startswith(STANDARD[p]) for p in SEM_ONLY[name]), iri


# -- one test per question --------------------------------------------------------------------


def test_proposals_with_response(seed_store, events):
    rows = run(seed_store, "proposals-with-response")
    proposals = {i: e for i, e in events.items() if e["type"] == "proposal"}
    assert {local(r["proposal"]) for r in rows} == set(proposals)
    for pid, p in proposals.items():
        mine = [r for r in rows if local(r["proposal"]) == pid]
        assert {local(r["proposer"]) for r in mine} == set(p["roles"]["proposer"])
        assert {local(r.get("addressee")) for r in mine} == set(p["roles"]["addressee"])
        assert {local(r.get("action")) for r in mine} == {p["proposed_action"]}
        assert {r.get("duration") for r in mine} == {events[p["proposed_action"]].get("duration")}
        assert {r.get("purpose") for r in mine} == {p["purpose"]}
        assert {local(r.get("precedes")) for r in mine} == {p["precedes"]}
        assert {r.get("outcomeLabel") for r in mine} == {p["outcome"]}
        responses = {i: e for i, e in events.items() if e.get("responds_to") == pid}
        assert {local(r.get("response")) for r in mine} == set(responses)
        for rid, resp in responses.items():
            row = next(r for r in mine if local(r["response"]) == rid)
            assert local(row["responder"]) in set(resp["roles"]["responder"])
            assert local(row.get("counterDemand")) == resp.get("counter_demand")
            if resp.get("counter_demand"):
                demand = events[resp["counter_demand"]]
                assert local(row["demandedAction"]) == demand["demanded_action"]
    # the article: "Khalilzad proposed a week-long ceasefire"; the duration is typed xsd:duration
    typed = seed_store.select(query_text("proposals-with-response"))
    assert any(
        b.get("duration", {}).get("value") == "P7D"
        and b["duration"].get("datatype") == XSD_NS + "duration"
        for b in typed
    )


def test_truces_by_length(seed_store, ann, corpus_store):
    rows = run(seed_store, "truces-by-length")
    expected = {e["id"]: e["duration"] for e in ann["events"]
                if e["type"] in ("ceasefire", "reduction-in-violence") and e.get("duration")}
    assert {local(r["event"]): r["duration"] for r in rows} == expected
    # "a week-long ceasefire": seven days
    [week] = [r for r in rows if r["duration"] == "P7D"]
    assert (week["length"], local(week["unit"])) == ("7", "unitDay")
    # across the corpus, a length of days or weeks is the same number in both forms
    simple = [(row, re.fullmatch(r"P(\d+)([DW])", row["duration"])) for row in run(corpus_store, "truces-by-length")]
    simple = [(row, match) for row, match in simple if match]
    assert len(simple) > 1
    for row, match in simple:
        assert (int(row["length"]), local(row["unit"])) == (int(match[1]), {"D": "unitDay", "W": "unitWeek"}[match[2]])


def test_preconditions_by_actor(seed_store, ann):
    rows = run(seed_store, "preconditions-by-actor")
    expected = {p["id"]: p for p in ann["preconditions"]}
    assert {local(r["precondition"]) for r in rows} == set(expected)
    for pid, pre in expected.items():
        mine = [r for r in rows if local(r["precondition"]) == pid]
        assert {local(r["setter"]) for r in mine} == {pre["set_by"]}
        assert {local(r.get("gates")) for r in mine} == {pre.get("condition_for")}
        assert {local(r.get("statedIn")) for r in mine} == {pre.get("stated_in")}
        assert {local(r["condition"]) for r in mine} == set(pre["requires"])
    conditions = {c["id"]: c for c in ann["conditions"]}
    required = {c for p in ann["preconditions"] for c in p["requires"]}
    # the leadsTo chain, link by link, and the event that would meet a condition
    assert {(local(r["condition"]), local(r["leadsTo"])) for r in rows if "leadsTo" in r} == {
        (cid, c["leads_to"]) for cid, c in conditions.items() if c.get("leads_to") and cid in required
    }
    assert {(local(r["condition"]), local(r["requiredEvent"])) for r in rows if "requiredEvent" in r} == {
        (cid, c["required_event"]) for cid, c in conditions.items()
        if c.get("required_event") and cid in required
    }
    for r in rows:
        if "chainEnd" in r:
            assert not conditions[local(r["chainEnd"])].get("leads_to")
    setters = [r["setterLabel"] for r in rows]
    assert setters == sorted(setters), "grouped per setter"


def test_meetings(seed_store, events, labels):
    rows = run(seed_store, "meetings")
    expected = {i: e for i, e in events.items() if e["type"] in ("meeting", "visit")}
    assert sorted(local(r["event"]) for r in rows) == sorted(expected)
    for r in rows:
        e = expected[local(r["event"])]
        assert local(r["kind"]) == e["type"].capitalize()
        assert set(r["participants"].split("; ")) == {labels[a] for a in role_actors(e)}
        for role, var in (("visitor", "visitors"), ("host", "hosts")):
            got = set(filter(None, r.get(var, "").split("; ")))
            assert got == {labels[a] for a in e["roles"].get(role, [])}
        assert r.get("placeLabel") == (labels[e["place"]] if e.get("place") else None)
        w = when(e)
        assert (r.get("date"), r.get("earliest"), r.get("latest")) == (w["date"], w["earliest"], w["latest"])
        assert r["status"] == e["status"]
        assert (r.get("informal") == "true") == bool(e.get("informal"))
        assert local(r.get("partOf")) == e.get("part_of")
    keys = [sort_key(expected[local(r["event"])]) for r in rows]
    assert keys == sorted(keys), "in date order"


def test_khalilzad_timeline(seed_store, events):
    rows = run(seed_store, "khalilzad-timeline")
    khalilzad = "zalmay-khalilzad"
    expected = {i: e for i, e in events.items() if khalilzad in role_actors(e)}
    assert sorted(local(r["event"]) for r in rows) == sorted(expected)
    for r in rows:
        e = expected[local(r["event"])]
        roles = {role for role, actors in e["roles"].items() if khalilzad in actors}
        assert set(r["roles"].split(", ")) == roles
        assert r["sortDate"] == sort_key(e)
        assert r["status"] == e["status"]
        assert local(r["type"]) == e["type"]
    dates = [r["sortDate"] for r in rows]
    assert dates == sorted(dates), "non-decreasing date order"
    # the article: he arrived in Kabul on Wednesday (4 December 2019), after the meetings in Qatar
    # "last month"
    assert dates[0] == "2019-11"
    assert "2019-12-04" in dates


def test_statements_by_speaker(seed_store, events, labels):
    rows = run(seed_store, "statements-by-speaker")
    expected = {i: e for i, e in events.items() if e["type"] == "statement"}
    assert sorted(local(r["statement"]) for r in rows) == sorted(expected)
    for r in rows:
        e = expected[local(r["statement"])]
        assert {local(r["speaker"])} == set(e["roles"]["speaker"])
        assert local(r["channel"]) == CHANNELS[e["channel"]]
        assert local(r.get("outlet")) == e.get("to_outlet")
        if e.get("to_outlet"):
            assert r["outletLabel"] == labels[e["to_outlet"]]
        assert r.get("quote") == e.get("quote")
        assert r.get("content") == e.get("content")
        assert r["text"] == (e.get("quote") or e.get("content"))
        w = when(e)
        assert (r.get("date"), r.get("earliest"), r.get("latest")) == (w["date"], w["earliest"], w["latest"])
    speakers = [r["speakerLabel"] for r in rows]
    assert speakers == sorted(speakers)
    # the article names four channels: a statement, a tweet, "told daily Times", "told Reuters"
    assert {"PressStatement", "Tweet", "NewspaperInterview", "WireServiceInterview"} <= {
        local(r["channel"]) for r in rows
    }


def test_troop_levels(seed_store, ann, events):
    rows = run(seed_store, "troop-levels")
    expected = {q["id"]: q for q in ann["quantities"] if q["measure"] == "troop-level"}
    assert sorted(local(r["observation"]) for r in rows) == sorted(expected)
    changes = {
        (e[field], eid, role)
        for eid, e in events.items()
        for field, role in (("from_quantity", "from"), ("to_quantity", "to"))
        if e.get(field)
    }
    for r in rows:
        q = expected[local(r["observation"])]
        assert int(r["value"]) == q["value"]
        assert r["unit"] == q["unit"]
        assert local(r["subject"]) == q["subject"]
        assert r.get("approximation") == q.get("approximation")
        assert r["statusLabel"] == q["status"]
        w = when(q)
        assert (r.get("date"), r.get("earliest")) == (w["date"], w["earliest"])
        if "change" in r:
            assert (local(r["observation"]), local(r["change"]), r["changeRole"]) in changes
    assert {(local(r["observation"]), local(r["change"]), r["changeRole"]) for r in rows if "change" in r} == changes
    # the article: "The US currently has nearly 13000 troops ... could be reduced to 8600"
    by_value = {int(r["value"]): r for r in rows}
    assert by_value[13000]["approximation"] == "nearly"
    assert by_value[13000]["statusLabel"] == "occurred"
    assert by_value[8600]["statusLabel"] == "possible"
    keys = [r.get("date") or r.get("earliest") for r in rows]
    assert keys == sorted(keys)


def _check_evidence(rows, fact: dict, ann: dict, labels: dict) -> None:
    art = ann["article"]
    expected = {(s["exact"], s["start"], s["end"]) for s in spans(fact)}
    assert {(r["exact"], int(r["start"]), int(r["end"])) for r in rows} == expected
    for r in rows:
        assert r["textAtOffsets"] == r["exact"], "offsets point at the quoted text"
        assert local(r["article"]) == art["id"]
        assert r["title"] == art["title"]
        assert local(r["publisher"]) == art["publisher"]
        assert r["publisherLabel"] == labels[art["publisher"]]
        assert r["published"] == str(art["published"])


def test_evidence_of_fact_as_written(seed_store, ann, labels):
    text = query_text("evidence-of-fact")
    m = re.search(r"VALUES\s+\?fact\s*\{\s*<([^>]+)>\s*\}", text)
    assert m, "the query is parametrised with VALUES ?fact { <iri> }"
    kind, article, fact_id = m.group(1).removeprefix(f"{BASE}id/").split("/")
    assert article == ann["article"]["id"]
    section = next(s for s, k in FACT_SECTIONS.items() if k == kind)
    fact = next(f for f in ann[section] if f["id"] == fact_id)
    rows = run(seed_store, "evidence-of-fact")
    _check_evidence(rows, fact, ann, labels)
    assert [int(r["start"]) for r in rows] == sorted(int(r["start"]) for r in rows)


@pytest.mark.parametrize("section", sorted(FACT_SECTIONS))
def test_evidence_of_every_fact(seed_store, ann, labels, section):
    """The same query with VALUES set to each annotated fact finds exactly its spans."""
    text = query_text("evidence-of-fact")
    for fact in ann.get(section, []):
        iri = f"{BASE}id/{FACT_SECTIONS[section]}/{ann['article']['id']}/{fact['id']}"
        swapped = re.sub(r"(VALUES\s+\?fact\s*\{\s*)<[^>]+>", lambda m: f"{m.group(1)}<{iri}>", text)
        rows = values(seed_store.select(swapped))
        assert rows, f"no evidence found for {iri}"
        _check_evidence(rows, fact, ann, labels)


def test_attribution_chain(seed_store, ann, events, labels):
    rows = run(seed_store, "attribution-chain")
    quoted = {i: e for i, e in events.items() if e.get("quote")}
    reports = {r["id"]: r for r in ann["reports"]}
    publisher = labels[ann["article"]["publisher"]]
    assert sorted(local(r["statement"]) for r in rows) == sorted(quoted)
    for r in rows:
        e = quoted[local(r["statement"])]
        (speaker,) = e["roles"]["speaker"]
        assert local(r["speaker"]) == speaker
        assert r["quote"] == e["quote"]
        assert local(r["publisher"]) == ann["article"]["publisher"]
        report_id = e.get("reported_via")
        assert local(r.get("report")) == report_id
        if report_id:
            report = reports[report_id]
            assert report_id in ann["article"]["derived_from"]
            assert local(r["reportAuthor"]) == report["author"]
            assert r["citesSpeaker"] == str(speaker in report["cites"]).lower()
            assert r["chain"] == f"{publisher} <- {labels[report['author']]} <- {labels[speaker]}"
        else:
            assert r["chain"] == f"{publisher} <- {labels[speaker]}"
    # the article: Sahar News relays Reuters, which cites an Afghan government official
    for rid in ann["article"]["derived_from"]:
        report = reports[rid]
        for cited in report["cites"]:
            chain = f"{publisher} <- {labels[report['author']]} <- {labels[cited]}"
            assert chain in {r["chain"] for r in rows}


def test_events_by_cameo_root(seed_store, events, cameo_root):
    rows = run(seed_store, "events-by-cameo-root")
    expected = Counter(cameo_root[e["type"]][0] for e in events.values())
    assert {r["rootCode"]: int(r["events"]) for r in rows} == dict(expected)
    for r in rows:
        assert r["rootLabel"] == next(lbl for code, lbl in cameo_root.values() if code == r["rootCode"])
    assert sum(int(r["events"]) for r in rows) == len(events)
    assert [r["rootCode"] for r in rows] == sorted(r["rootCode"] for r in rows)


def test_planned_vs_occurred(seed_store, events):
    rows = run(seed_store, "planned-vs-occurred")
    assert {local(r["event"]): r["statusLabel"] for r in rows} == {i: e["status"] for i, e in events.items()}
    assert len(rows) == len(events)
    for r in rows:
        w = when(events[local(r["event"])])
        assert (r.get("date"), r.get("earliest"), r.get("latest")) == (w["date"], w["earliest"], w["latest"])
        if r["statusLabel"] == "planned":
            assert r.get("eventStatus") == "https://schema.org/EventScheduled"
    statuses = [r["statusLabel"] for r in rows]
    assert statuses == sorted(statuses), "grouped by status"


def test_sem_what_happened_on_date(seed_store, events, labels, cameo_root):
    day = dt.date(2019, 12, 4)
    text = query_text("sem-what-happened-on-date")
    assert '"2019-12-04"^^xsd:date' in text

    def on_day(e: dict) -> bool:
        t = e.get("time", {})
        if t.get("value") == day:
            return True
        begin, end = t.get("begin"), t.get("end")
        return isinstance(begin, dt.date) and isinstance(end, dt.date) and begin <= day <= end

    expected = {i: e for i, e in events.items() if on_day(e)}
    assert expected, "the annotation dates events on the day of Khalilzad's arrival"
    rows = run(seed_store, "sem-what-happened-on-date")
    got: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        got[local(r["event"])].add(local(r["actor"]))
    assert dict(got) == {i: role_actors(e) for i, e in expected.items()}
    for r in rows:
        e = expected[local(r["event"])]
        assert r["actorLabel"] == labels[local(r["actor"])]
        assert r.get("placeLabel") == (labels[e["place"]] if e.get("place") else None)
        assert r["cameo"].startswith(cameo_root[e["type"]][0])


def test_sem_rejected_proposal(seed_store, events, cameo_root, labels):
    rows = run(seed_store, "sem-rejected-proposal")
    expected = {
        (i, e["responds_to"])
        for i, e in events.items()
        if cameo_root[e["type"]][0] == "12" and "taliban" in role_actors(e) and e.get("responds_to")
    }
    assert expected, "the annotation records the Taliban's non-acceptance"
    assert {(local(r["rejection"]), local(r["proposal"])) for r in rows} == expected
    for r in rows:
        proposal = events[local(r["proposal"])]
        others = {labels[a] for a in role_actors(proposal) - {"taliban"}}
        assert set(r["proposalActors"].split("; ")) == others
        assert r["rejectCode"].startswith("12")
    # the article: "Khalilzad proposed a week-long ceasefire ... The Taliban have not agreed"
    assert any(events[local(r["proposal"])]["roles"]["proposer"] == ["zalmay-khalilzad"] for r in rows)


def test_responds_to_is_materialised_as_prov_was_informed_by(seed_store):
    """The SEM/PROV-only view of responses relies on the super-property being written."""
    assert seed_store.ask(
        "PREFIX peace: <https://peacekb.example/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> "
        "ASK { ?a peace:respondsTo ?b }"
    )
    assert not seed_store.ask(
        "PREFIX peace: <https://peacekb.example/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> "
        "ASK { ?a peace:respondsTo ?b FILTER NOT EXISTS { ?a prov:wasInformedBy ?b } }"
    )


def test_actors_with_positions(seed_store, ann, posts, labels):
    rows = run(seed_store, "actors-with-positions")
    expected = {(m["member"], m["post"], m["tenure"]) for m in ann["memberships"]}
    assert {(local(r["person"]), local(r["post"]), r["tenureLabel"]) for r in rows} == expected
    assert len(rows) == len(ann["memberships"])
    for r in rows:
        post = posts[local(r["post"])]
        assert local(r["organisation"]) == post["organisation"]
        assert local(r["role"]) == post["role"]
        assert r["postLabel"] == labels[post["id"]]
        assert r["attestedOn"] == str(ann["article"]["published"])
        assert local(r["article"]) == ann["article"]["id"]
    # the article: "former deputy foreign minister Hekmat Khalil Karzai"
    assert ("hekmat-khalil-karzai", "deputy-foreign-minister-of-afghanistan", "former") in expected


def test_sources_per_article(seed_store, ann):
    rows = run(seed_store, "sources-per-article")
    facts = [f for section in ("events", "quantities", "preconditions") for f in ann.get(section, [])]
    according = Counter(a for f in facts for a in f.get("according_to", []))
    relayed = Counter(f["reported_via"] for f in facts if f.get("reported_via"))
    got_according = {local(r["source"]): int(r["facts"]) for r in rows if r["sourceKind"] == "according to"}
    got_relayed = {local(r["source"]): int(r["facts"]) for r in rows if r["sourceKind"] == "relayed report"}
    assert got_according == dict(according)
    assert got_relayed == dict(relayed)
    assert {local(r["article"]) for r in rows} == {ann["article"]["id"]}
    assert {r["published"] for r in rows} == {str(ann["article"]["published"])}


def test_agreements(seed_store, events, labels):
    rows = run(seed_store, "agreements")
    expected = {i: e for i, e in events.items() if e["type"] == "agreement"}
    assert sorted(local(r["agreement"]) for r in rows) == sorted(expected)
    for r in rows:
        e = expected[local(r["agreement"])]
        assert r["stageLabel"] == e["stage"].replace("-", " ")
        assert r["statusLabel"] == e["status"]
        assert set(r["parties"].split("; ")) == {labels[a] for a in e["roles"]["party"]}
        leads = {events[x]["label"] for x in e.get("leads_to", [])}
        assert ({r["leadsToLabel"]} if "leadsToLabel" in r else set()) == leads


def test_event_links(seed_store, events):
    rows = run(seed_store, "event-links")
    expected = set()
    for eid, e in events.items():
        for field, prop in EVENT_LINKS.items():
            targets = e.get(field) or []
            for target in [targets] if isinstance(targets, str) else targets:
                if target in events:
                    expected.add((eid, prop, target))
    assert {(local(r["from"]), r["link"], local(r["to"])) for r in rows} == expected
