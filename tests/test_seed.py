"""The seed article yields every fact design.md lists, each traceable to its evidence.

Expected values are facts of the article itself (as design.md states them), not output of the code.
The KB under test holds the seed article alone (with the gazetteer).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kb.articles import read_article
from kb.config import DEFAULT_DATA_DIR
from kb.namespaces import sparql_prefixes
from kb.store import EmbeddedStore

ARTICLE_FILE = DEFAULT_DATA_DIR / "articles" / "khalilzad-kabul-sahar-news.txt"
ANNOTATION_FILE = DEFAULT_DATA_DIR / "annotations" / "khalilzad-kabul-sahar-news.yaml"
SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "khalilzad-kabul-sahar-news.txt"


@pytest.fixture(scope="module")
def seed_store(seed_only_store: EmbeddedStore) -> EmbeddedStore:
    """The KB of the seed article alone, so counts are the seed's own."""
    return seed_only_store


def rows(store: EmbeddedStore, query: str) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in row.items()} for row in store.select(sparql_prefixes() + query)]


def values(store: EmbeddedStore, query: str, var: str) -> set[str]:
    return {r[var] for r in rows(store, query) if var in r}


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="the shared seed is not beside this checkout")
def test_article_is_stored_as_received() -> None:
    assert ARTICLE_FILE.read_bytes() == SHARED_SEED.read_bytes()


def test_body_has_no_page_furniture() -> None:
    body = read_article(ARTICLE_FILE).body
    assert body.startswith("KABUL – US Special Representative")
    for furniture in ("Home / Afghanistan", "Check Also", "Roadside blast", "Leave a Reply",
                      "Your email address", '" />'):
        assert furniture not in body


def test_article_metadata(seed_store: EmbeddedStore) -> None:
    [art] = rows(seed_store, """
        SELECT ?date ?publisher ?wire WHERE {
          ?a a schema:NewsArticle ; schema:datePublished ?date ;
             schema:publisher/rdfs:label ?publisher ;
             prov:wasDerivedFrom/prov:wasAttributedTo/rdfs:label ?wire }""")
    assert art == {"date": "2019-12-04", "publisher": "Sahar News", "wire": "Reuters"}


def test_every_fact_has_article_and_evidence_inside_the_body(seed_store: EmbeddedStore) -> None:
    annotation = yaml.safe_load(ANNOTATION_FILE.read_text(encoding="utf-8"))
    written = sum(len(v) for k, v in annotation.items() if isinstance(v, list))
    facts = values(seed_store, """SELECT ?fact WHERE { ?fact prov:wasDerivedFrom|dcterms:isReferencedBy ?a . ?a a schema:NewsArticle }""",
                   "fact")
    assert len(facts) == written
    without = values(seed_store, """SELECT ?fact WHERE { ?fact prov:wasDerivedFrom|dcterms:isReferencedBy ?a . ?a a schema:NewsArticle .
                                      FILTER NOT EXISTS { ?fact peace:evidence ?e } }""", "fact")
    assert not without
    body = read_article(ARTICLE_FILE).body
    spans = rows(seed_store, """
        SELECT ?e ?exact ?start ?end WHERE {
          ?fact peace:evidence ?e . ?e oa:hasTarget/oa:hasSelector ?q, ?p .
          ?q a oa:TextQuoteSelector ; oa:exact ?exact . ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }""")
    assert len(spans) >= written
    for span in spans:
        assert body[int(span["start"]):int(span["end"])] == span["exact"], span["e"]


def test_positions_held(seed_store: EmbeddedStore) -> None:
    held = {(r["who"], r["post"], r["tenure"]) for r in rows(seed_store, """
        SELECT ?who ?post ?tenure WHERE {
          ?m a org:Membership ; org:member/rdfs:label ?who ; peace:post/rdfs:label ?post ;
             peace:tenure ?t . BIND(STRAFTER(STR(?t), "#") AS ?tenure) }""")}
    assert ("Zalmay Khalilzad", "US Special Representative for Afghanistan Reconciliation", "Current") in held
    assert ("Suhail Shaheen", "Taliban spokesman", "Current") in held
    assert ("Hekmat Khalil Karzai", "Chairman of the Centre for Conflict and Peace Studies", "Current") in held
    assert ("Hekmat Khalil Karzai", "Deputy Foreign Minister of Afghanistan", "Former") in held
    assert ("Ashraf Ghani", "President of Afghanistan", "Current") in held


def test_visits_on_their_days(seed_store: EmbeddedStore) -> None:
    visits = {(r["visitor"], r["place"], r["day"]) for r in rows(seed_store, """
        SELECT ?visitor ?place ?day WHERE {
          ?v a peace:Visit ; peace:visitor/rdfs:label ?visitor ; sem:hasPlace/rdfs:label ?place ;
             sem:hasTimeStamp ?day }""")}
    # Wednesday before publication, and Thanksgiving 2019.
    assert visits == {("Zalmay Khalilzad", "Kabul", "2019-12-04"), ("Donald Trump", "Bagram Airfield", "2019-11-28")}


def test_meetings_held_and_planned(seed_store: EmbeddedStore) -> None:
    meetings = rows(seed_store, """
        SELECT ?m ?status (GROUP_CONCAT(?who; separator="|") AS ?people) WHERE {
          ?m a peace:Meeting ; peace:status ?s ; peace:participant/rdfs:label ?who .
          BIND(STRAFTER(STR(?s), "#") AS ?status) } GROUP BY ?m ?status""")
    seen = {(frozenset(m["people"].split("|")), m["status"]) for m in meetings}
    assert (frozenset({"Zalmay Khalilzad", "Ashraf Ghani"}), "Planned") in seen
    assert (frozenset({"Donald Trump", "Ashraf Ghani"}), "Occurred") in seen
    assert (frozenset({"Zalmay Khalilzad", "Hekmat Khalil Karzai"}), "Occurred") in seen
    assert (frozenset({"Zalmay Khalilzad", "Taliban political representatives"}), "Occurred") in seen
    [informal] = rows(seed_store, """SELECT ?t WHERE { ?m peace:informal true ; sem:hasTimeStamp ?t }""")
    assert informal["t"] == "2019-11"  # "last month" from December 2019


def test_week_long_ceasefire_proposal(seed_store: EmbeddedStore) -> None:
    [p] = rows(seed_store, """
        SELECT ?proposer ?addressee ?duration ?days ?purpose ?outcome ?precedes ?responder ?demand WHERE {
          ?p a peace:Proposal ; peace:proposer/rdfs:label ?proposer ; peace:addressee/rdfs:label ?addressee ;
             peace:proposedAction ?action ; peace:purpose ?purpose ; peace:outcome ?o ;
             peace:precedes/a peace:Resumption .
          ?action a peace:Ceasefire ; time:hasXSDDuration ?duration ;
                  time:hasDuration [ a time:Duration ; time:numericDuration ?days ; time:unitType time:unitDay ] .
          ?r peace:respondsTo ?p ; a peace:Rejection ; peace:responder/rdfs:label ?responder ;
             peace:counterDemand/peace:demandedAction/peace:agreementStage peace:Signed .
          BIND(STRAFTER(STR(?o), "#") AS ?outcome) BIND("yes" AS ?precedes) BIND("yes" AS ?demand) }""")
    assert p == {"proposer": "Zalmay Khalilzad", "addressee": "Taliban", "duration": "P7D", "days": "7",
                 "purpose": "trust building", "outcome": "Rejected", "precedes": "yes",
                 "responder": "Taliban", "demand": "yes"}


def test_preconditions(seed_store: EmbeddedStore) -> None:
    found = rows(seed_store, """
        SELECT ?setter ?pre (GROUP_CONCAT(?c; separator="|") AS ?conditions) WHERE {
          ?pre a peace:Precondition ; peace:setBy/rdfs:label ?setter ; peace:requires/rdfs:label ?c }
        GROUP BY ?setter ?pre""")
    by_setter = {}
    for f in found:
        by_setter.setdefault(f["setter"], []).append(set(f["conditions"].split("|")))
    government = by_setter["Afghan government"]
    assert any(len(c) == 2 and any("seat at the table" in x for x in c) and any("ceasefire" in x for x in c)
               for c in government)
    assert "United States government" in by_setter and "Taliban" in by_setter
    chains = rows(seed_store, """
        SELECT ?setter WHERE { ?pre peace:setBy/rdfs:label ?setter ; peace:requires ?a .
          ?a peace:leadsTo ?b . ?a rdfs:label ?la . ?b rdfs:label ?lb .
          FILTER(CONTAINS(LCASE(?la), "reduction") && CONTAINS(LCASE(?lb), "ceasefire")) }""")
    assert {c["setter"] for c in chains} >= {"Afghan government", "United States government"}


def test_statements_by_channel(seed_store: EmbeddedStore) -> None:
    said = {(r["speaker"], r["channel"], r.get("outlet")) for r in rows(seed_store, """
        SELECT ?speaker ?channel ?outlet WHERE {
          ?s a peace:Statement ; peace:speaker/rdfs:label ?speaker ; peace:channel ?c .
          OPTIONAL { ?s peace:toOutlet/rdfs:label ?outlet }
          BIND(STRAFTER(STR(?c), "#") AS ?channel) }""")}
    assert ("US Department of State", "PressStatement", None) in said
    assert ("Hekmat Khalil Karzai", "Tweet", None) in said
    assert ("Suhail Shaheen", "NewspaperInterview", "Times") in said
    assert ("an Afghan government official", "WireServiceInterview", "Reuters") in said


def test_quote_attribution_chain(seed_store: EmbeddedStore) -> None:
    chain = rows(seed_store, """
        SELECT ?speaker ?wire ?publisher WHERE {
          ?s peace:quote ?q ; peace:speaker/rdfs:label ?speaker ; peace:reportedVia ?report .
          ?report prov:wasAttributedTo/rdfs:label ?wire .
          ?article prov:wasDerivedFrom ?report ; schema:publisher/rdfs:label ?publisher .
          FILTER(STRSTARTS(?q, "Our precondition")) }""")
    assert chain == [{"speaker": "an Afghan government official", "wire": "Reuters", "publisher": "Sahar News"}]


def test_talks_deal_and_stall(seed_store: EmbeddedStore) -> None:
    [deal] = rows(seed_store, """SELECT ?t WHERE { ?a a peace:Agreement ; peace:agreementStage peace:Finalised ;
                                   sem:hasTimeStamp ?t }""")
    assert deal["t"] == "2019-08"
    [series] = rows(seed_store, """SELECT ?n ?where WHERE { ?s a peace:TalksSeries ; peace:roundCount ?n ;
                                     sem:hasPlace/rdfs:label ?where }""")
    assert series == {"n": "9", "where": "Qatar"}
    assert values(seed_store, "SELECT ?who WHERE { ?s a peace:Stall ; sem:hasActor/rdfs:label ?who }", "who") == {
        "Donald Trump"}


def test_troop_levels(seed_store: EmbeddedStore) -> None:
    levels = {(r["v"], r["status"]) for r in rows(seed_store, """
        SELECT ?v ?status WHERE { ?q a peace:QuantityObservation ; peace:measure peace:TroopLevel ;
          schema:value ?v ; peace:status ?s . BIND(STRAFTER(STR(?s), "#") AS ?status) }""")}
    assert levels == {("13000", "Occurred"), ("8600", "Possible")}


def test_boilerplate_teaser_yields_no_fact(seed_store: EmbeddedStore) -> None:
    # the article's facts, not the gazetteer's places (which list Baghlan province)
    query = 'SELECT ?l WHERE { GRAPH ?g { ?x rdfs:label ?l } FILTER(!STRENDS(STR(?g), "/graph/gazetteer")) }'
    labels = " ".join(values(seed_store, query, "l"))
    assert "Khalilzad" in labels  # the query reaches the article's facts
    assert "Baghlan" not in labels and "Ghafari" not in labels
