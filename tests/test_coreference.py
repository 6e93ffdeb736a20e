"""Knowledge across articles (issue 9): the reviewed links of data/links.yaml as the links graph
(merged events, independent sources, disagreements kept as claims), automatic event coreference
and its pairwise scores, and actor merges recorded as redirects.

The expected values below are read off the articles and their annotations' notes, not from the
code under test.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH

from kb.actor_merge import merge_actors, unmerge_actors
from kb.annotation import load_annotation
from kb.articles import read_article
from kb.build import BuildFailed, Dataset, Inputs, build
from kb.config import DEFAULT_DATA_DIR
from kb.coreference import (
    THRESHOLD,
    _event,
    _roots,
    pair_score,
    pairwise_scores,
    propose_links,
)
from kb.errors import AnnotationError, InputError
from kb.gazetteer import load_gazetteer
from kb.links import _link_shapes, load_links
from kb.namespaces import KBSHAPE, PEACE, IriMinter
from kb.ontology import load_vocabulary
from kb.query_library import QUERY_DIR
from kb.store import EmbeddedStore
from kb.validate import validate_graph
from tests.servers import free_port
from tests.webapp_support import http_request, live_server

M = IriMinter()


def event(ref: str) -> URIRef:
    article, _, fact = ref.partition("/")
    return M.fact("event", article, fact)


def quantity(ref: str) -> URIRef:
    article, _, fact = ref.partition("/")
    return M.fact("quantity", article, fact)


def links_graphs(dataset: Dataset) -> dict[str, Graph]:
    """The links graphs of a build: one per entry of its links file, under {base}graph/links/."""
    return {str(iri): g for iri, g in dataset.graphs.items() if str(iri).startswith(f"{M.base}graph/links/")}


def union(graphs: dict[str, Graph]) -> Graph:
    out = Graph()
    for g in graphs.values():
        out += g
    return out


@pytest.fixture(scope="module")
def links(seed_dataset: Dataset) -> Graph:
    """Every links graph of the corpus together."""
    return union(links_graphs(seed_dataset))


def test_each_entry_of_the_links_file_has_a_graph_of_its_own(seed_dataset: Dataset) -> None:
    graphs = links_graphs(seed_dataset)
    rodat = graphs[f"{M.base}graph/links/rodat-car-bombing-2018"]
    merged = M.base["id/event/rodat-car-bombing-2018"]
    assert set(rodat.subjects()) == {merged, M.base["id/disagreement/rodat-car-bombing-2018/casualties"]}
    signing = graphs[f"{M.base}graph/links/happened/rif-begins-oxus-dispatch/planned-signing"
                     "/doha-agreement-salang-review/doha-agreement"]
    assert set(signing) == {(event("rif-begins-oxus-dispatch/planned-signing"), PEACE.happenedAs,
                             event("doha-agreement-salang-review/doha-agreement"))}
    proposal = graphs[f"{M.base}graph/links/response/rif-begins-oxus-dispatch/us-taliban-understanding"
                      "/khalilzad-kabul-sahar-news/ceasefire-proposal"]
    assert (event("rif-begins-oxus-dispatch/us-taliban-understanding"), PEACE.respondsTo,
            event("khalilzad-kabul-sahar-news/ceasefire-proposal")) in proposal
    reviewed = load_links(DEFAULT_DATA_DIR / "links.yaml")
    assert len(graphs) == len(reviewed.clusters) + len(reviewed.links)


# -- the links graph of the corpus ---------------------------------------------------------------

# (cluster, aspect, claims, words each version's label must hold), from the annotations' notes.
DISAGREEMENTS = [
    ("rodat-car-bombing-2018", "casualties",
     {quantity("eid-ceasefire-hindu-kush-herald/rodat-killed-first-count"),
      quantity("eid-truce-ends-khyber-monitor/rodat-killed-later-count")},
     ["at least 26 people per Hindu Kush Herald", "36 people per Khyber Monitor"]),
    ("kabul-car-bombing-september-2019", "casualties",
     {quantity("kabul-bombing-registan-courier/shashdarak-killed-first-count"),
      quantity("camp-david-cancelled-corniche-report/kabul-killed-trump-count"),
      quantity("trump-bagram-visit-logar-times/kabul-bombing-killed")},
     ["at least 10 people per Registan Courier", "12 people per Corniche Report, Logar Times"]),
    ("us-taliban-deal-august-2019", "stage",
     {event("kabul-bombing-registan-courier/draft-accord"),
      event("camp-david-cancelled-corniche-report/deal-finalised"),
      event("khalilzad-kabul-sahar-news/us-taliban-deal-finalised"),
      event("trump-bagram-visit-logar-times/agreement-in-principle")},
     ["agreed in principle per Registan Courier, Logar Times", "finalised per Corniche Report, Sahar News"]),
    ("reduction-in-violence-february-2020", "time",
     {event("rif-begins-oxus-dispatch/reduction-in-violence"),
      event("doha-agreement-salang-review/reduction-in-violence"),
      event("ghani-prisoners-lapis-wire/reduction-in-violence")},
     ["from 21 February 2020 per Oxus Dispatch", "from 22 February 2020 per Salang Review, Lapis Wire"]),
    ("loya-jirga-approves-prisoner-release-2020", "prisoners",
     {quantity("loya-jirga-oxus-dispatch/prisoners-400"), quantity("talks-open-salang-review/last-prisoners-freed")},
     ["400 prisoners per Oxus Dispatch", "roughly 400 prisoners per Salang Review"]),
    ("biden-announces-withdrawal-2021", "troop-level",
     {quantity("biden-withdrawal-lapis-wire/us-troops-april-2021"),
      quantity("kabul-falls-oxus-dispatch/us-troops-april-2021"),
      quantity("istanbul-postponed-bamiyan-bulletin/us-troops-april-2021"),
      quantity("bagram-handover-zabul-journal/us-troops-april-2021")},
     ["about 2,500 troops per Lapis Wire, Bamiyan Bulletin, Zabul Journal", "some 3,500 troops per Oxus Dispatch"]),
]


@pytest.mark.parametrize("cluster,aspect,claims,versions", DISAGREEMENTS, ids=[d[0] for d in DISAGREEMENTS])
def test_the_known_disagreements_are_kept_as_claims(links: Graph, cluster, aspect, claims, versions) -> None:
    node = M.base[f"id/disagreement/{cluster}/{aspect}"]
    assert (node, RDF.type, PEACE.Disagreement) in links
    assert links.value(node, PEACE.about) == M.base[f"id/event/{cluster}"]
    assert links.value(node, PEACE.aspect) == Literal(aspect)
    assert set(links.objects(node, PEACE.claim)) == claims
    label = str(links.value(node, RDFS.label))
    assert label.split("; ") == versions


def test_agreeing_reports_make_no_disagreement(links: Graph) -> None:
    """The Doha signing: seven reports, one day or its month, all "signed"."""
    merged = M.base["id/event/doha-agreement-signed-2020"]
    assert not set(links.subjects(PEACE.about, merged))


def test_a_merged_event_lists_every_report_and_counts_independent_sources(links: Graph) -> None:
    signing = M.base["id/event/doha-agreement-signed-2020"]
    assert (signing, RDF.type, PEACE.ReportedEvent) in links
    assert set(links.objects(signing, PEACE.reportedAs)) == {event(r) for r in (
        "doha-agreement-salang-review/doha-agreement", "ghani-prisoners-lapis-wire/doha-deal-signed",
        "biden-withdrawal-lapis-wire/doha-agreement", "kabul-falls-oxus-dispatch/doha-agreement",
        "loya-jirga-oxus-dispatch/doha-agreement", "talks-open-salang-review/doha-agreement",
        "procedural-rules-paghman-daily/us-taliban-agreement", "moscow-troika-panjshir-ledger/doha-agreement",
        "istanbul-postponed-bamiyan-bulletin/doha-agreement", "power-sharing-deal-kandahar-courier/doha-agreement",
        "eid-truce-2020-registan-courier/doha-agreement", "pompeo-kabul-aid-cut-kunduz-chronicle/doha-agreement",
        "prisoner-talks-walkout-nangarhar-post/doha-agreement", "blinken-letter-ghazni-tribune/doha-agreement",
        "bagram-handover-zabul-journal/doha-agreement", "drawdown-2500-paktia-herald/doha-agreement",
        "maternity-attack-takhar-review/doha-agreement")}
    assert links.value(signing, PEACE.independentSources).toPython() == 17
    # Sahar News and the Lapis Wire both relay Reuters: four reports, three independent sources
    bagram = M.base["id/event/trump-bagram-visit-2019"]
    assert len(set(links.objects(bagram, PEACE.reportedAs))) == 4
    assert links.value(bagram, PEACE.independentSources).toPython() == 3


def test_responses_outcomes_and_preconditions_link_articles(links: Graph) -> None:
    proposal = event("khalilzad-kabul-sahar-news/ceasefire-proposal")  # the week-long ceasefire, Dec 2019
    assert event("rif-begins-oxus-dispatch/us-taliban-understanding") in set(links.subjects(PEACE.respondsTo, proposal))
    understanding = event("rif-begins-oxus-dispatch/us-taliban-understanding")  # the seven-day reduction
    assert event("ghani-prisoners-lapis-wire/mujahid-announces-end") in set(links.subjects(PEACE.respondsTo, understanding))
    assert (event("rif-begins-oxus-dispatch/planned-signing"), PEACE.happenedAs,
            event("doha-agreement-salang-review/doha-agreement")) in links
    assert (event("doha-agreement-salang-review/full-withdrawal"), PEACE.cancelledAs,
            event("biden-withdrawal-lapis-wire/may-1-deadline")) in links
    assert (M.fact("condition", "kabul-bombing-registan-courier", "trump-approves"), PEACE.brokenBy,
            event("camp-david-cancelled-corniche-report/trump-breaks-off-negotiations")) in links


RODAT = M.base["id/event/rodat-car-bombing-2018"]
RODAT_TOLL = M.base["id/disagreement/rodat-car-bombing-2018/casualties"]


@pytest.mark.parametrize("shape,break_it", [
    ("ReportedEvent-label", lambda g: g.remove((RODAT, RDFS.label, None))),
    ("ReportedEvent-reportedAs", lambda g: g.remove((RODAT, PEACE.reportedAs, event(
        "eid-truce-ends-khyber-monitor/rodat-car-bombing")))),
    ("ReportedEvent-reportedAs", lambda g: g.add((RODAT, PEACE.reportedAs, RODAT_TOLL))),
    ("ReportedEvent-independentSources", lambda g: g.set((RODAT, PEACE.independentSources, Literal(0)))),
    ("ReportedEvent-independentSources", lambda g: g.set((RODAT, PEACE.independentSources, Literal("2")))),
    ("Disagreement-about", lambda g: g.remove((RODAT_TOLL, PEACE.about, None))),
    ("Disagreement-about", lambda g: g.set((RODAT_TOLL, PEACE.about, event(
        "eid-truce-ends-khyber-monitor/rodat-car-bombing")))),
    ("Disagreement-aspect", lambda g: g.add((RODAT_TOLL, PEACE.aspect, Literal("toll")))),
    ("Disagreement-label", lambda g: g.remove((RODAT_TOLL, RDFS.label, None))),
    ("Disagreement-claim", lambda g: g.remove((RODAT_TOLL, PEACE.claim, quantity(
        "eid-truce-ends-khyber-monitor/rodat-killed-later-count")))),
], ids=lambda v: v if isinstance(v, str) else "")
def test_each_link_shape_reports_its_violation(typed_links: Graph, shape, break_it) -> None:
    """Every constraint of the links graph's shapes, broken on the corpus's own links graph, is
    reported with its message and nothing else (as tests/test_shapes.py does for the articles')."""
    data = Graph()
    data += typed_links
    break_it(data)
    violations = validate_graph(data, load_vocabulary(), {}, shapes=_link_shapes())
    message = str(_link_shapes().value(KBSHAPE[shape], SH.message))
    assert violations and all(message in v for v in violations), violations


@pytest.fixture(scope="module")
def typed_links(seed_dataset: Dataset, links: Graph) -> Graph:
    """The links graph with the rdf:type triples of the corpus, as kb.links validates it."""
    data = Graph()
    data += links
    for graph in seed_dataset.graphs.values():
        for s, o in graph.subject_objects(RDF.type):
            data.add((s, RDF.type, o))
    assert not validate_graph(data, load_vocabulary(), {}, shapes=_link_shapes())
    return data


# -- automatic coreference -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus():
    inputs = Inputs.load(DEFAULT_DATA_DIR, IriMinter())
    annotations = [load_annotation(p, inputs.gazetteer) for p in sorted((DEFAULT_DATA_DIR / "annotations").glob("*.yaml"))]
    return inputs, annotations


def test_propose_links_finds_the_reviewed_clusters(corpus) -> None:
    inputs, annotations = corpus
    proposed = propose_links(annotations, inputs.vocabulary, inputs.gazetteer)
    predicted = [set(c.members) for c in proposed]
    gold = load_links(DEFAULT_DATA_DIR / "links.yaml").gold_clusters()
    precision, recall, f1 = pairwise_scores(predicted, gold)
    print(f"coreference on the corpus: pairwise P {precision:.2f} R {recall:.2f} F1 {f1:.2f} "
          f"({len(predicted)} proposed, {len(gold)} reviewed clusters)")
    assert precision >= 0.75 and recall >= 0.6 and f1 >= 0.7
    for cluster in ("rodat-car-bombing-2018", "loya-jirga-approves-prisoner-release-2020",
                    "biden-announces-withdrawal-2021", "trump-bagram-visit-2019"):
        reviewed = next(c.reports for c in load_links(DEFAULT_DATA_DIR / "links.yaml").clusters if c.id == cluster)
        assert set(reviewed) in predicted, cluster
    assert all(len({m.partition("/")[0] for m in c.members}) == len(c.members) for c in proposed)


@pytest.mark.parametrize("a,b", [
    # two Taliban bombings in Kabul three days apart (2 and 5 September 2019)
    ("kabul-bombing-registan-courier/green-village-bombing", "camp-david-cancelled-corniche-report/kabul-car-bombing"),
    # the Rodat car bombing (16 June 2018) and the Jalalabad suicide attack a day later, both in Nangarhar
    ("eid-ceasefire-hindu-kush-herald/rodat-car-bombing", "eid-truce-ends-khyber-monitor/jalalabad-suicide-attack"),
])
def test_different_events_of_one_type_on_nearby_dates_are_not_merged(corpus, a, b) -> None:
    inputs, annotations = corpus
    facts = {f"{ann.article_id}/{f.id}": (ann, f) for ann in annotations for f in ann.facts.values()}
    assert facts[a][1].fields["type"] == facts[b][1].fields["type"] == "bombing"
    assert pair_score(_event(*facts[a], {}), _event(*facts[b], {}), _roots(inputs.vocabulary), {}) < THRESHOLD
    proposed = propose_links(annotations, inputs.vocabulary, inputs.gazetteer)
    assert not any({a, b} <= c.members for c in proposed)


@pytest.mark.parametrize("predicted,gold,expected", [
    ([{"a", "b", "c"}], [{"a", "b"}, {"c", "d"}], (1 / 3, 1 / 2, 0.4)),   # ab ac bc against ab cd
    ([{"a", "b"}, {"c", "d"}], [{"a", "b"}, {"c", "d"}], (1.0, 1.0, 1.0)),
    ([{"a", "b"}], [{"a", "b", "c"}], (1.0, 1 / 3, 0.5)),
    ([{"a"}, {"b"}], [{"a", "b"}], (0.0, 0.0, 0.0)),                     # singletons make no link
    ([], [], (1.0, 1.0, 1.0)),
    ([{"x", "y"}], [], (0.0, 0.0, 0.0)),
])
def test_pairwise_scores_on_worked_examples(predicted, gold, expected) -> None:
    assert pairwise_scores(predicted, gold) == pytest.approx(expected)


# -- a small corpus of our own: wire copies, and a bad links file ------------------------------------

ARTICLES = {  # id: (publisher, wire report author or None, body)
    "wire-copy-sahar": ("sahar-news", "reuters",
                        "Reuters reported that Khalilzad arrived in Kabul on Wednesday to meet Afghan leaders."),
    "wire-copy-lapis": ("lapis-wire", "reuters",
                        "According to Reuters, Khalilzad arrived in Kabul on Wednesday for talks."),
    "own-reporting-oxus": ("oxus-dispatch", None,
                           "Our correspondent saw Khalilzad arrive in Kabul on Wednesday."),
}


def _small_corpus(folder: Path, links_text: str) -> Path:
    data = folder / "data"
    shutil.copytree(DEFAULT_DATA_DIR / "gazetteer", data / "gazetteer")
    (data / "articles").mkdir()
    (data / "annotations").mkdir()
    for article_id, (publisher, author, body) in ARTICLES.items():
        path = data / "articles" / f"{article_id}.md"
        path.write_text(f"---\ntitle: Khalilzad in Kabul\npublished: 2019-12-04\n---\n\n{body}\n", encoding="utf-8")
        text = read_article(path).body
        arrival = next(q for q in ("arrived in Kabul on Wednesday", "arrive in Kabul on Wednesday") if q in text)

        def span(quote: str, text: str = text) -> str:
            return f"{{start: {text.index(quote)}, end: {text.index(quote) + len(quote)}, exact: \"{quote}\"}}"

        wire = ("", "")
        if author:
            report = f"reports:\n  - id: report-{author}\n    author: {author}\n    evidence: {span('Reuters')}\n"
            wire = (f"  derived_from: [report-{author}]\n", report)
        (data / "annotations" / f"{article_id}.yaml").write_text(
            f"format: 1\narticle:\n  id: {article_id}\n  file: ../articles/{article_id}.md\n"
            f"  title: Khalilzad in Kabul\n  published: 2019-12-04\n  publisher: {publisher}\n{wire[0]}"
            "review: {status: reviewed, reviewer: tests, date: 2026-12-01}\n" + wire[1] +
            "events:\n  - id: arrival\n    type: visit\n    label: Khalilzad arrives in Kabul\n    status: occurred\n"
            "    time: {value: 2019-12-04, precision: day, text: on Wednesday, anchor: 2019-12-04}\n"
            "    roles: {visitor: [zalmay-khalilzad], host: [afghan-government]}\n    place: kabul\n"
            f"    evidence: {span(arrival)}\n", encoding="utf-8")
    (data / "links.yaml").write_text(links_text, encoding="utf-8")
    return data


GOOD_LINKS = """format: 1
events:
  - id: khalilzad-in-kabul
    label: Khalilzad arrives in Kabul (4 December 2019)
    reports: [wire-copy-sahar/arrival, wire-copy-lapis/arrival, own-reporting-oxus/arrival]
    reason: one arrival, two outlets relaying Reuters and one of its own
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Dataset]:
    """The three articles above, with GOOD_LINKS, built into a store once."""
    folder = tmp_path_factory.mktemp("small")
    data = _small_corpus(folder, GOOD_LINKS)
    return data, folder / "store", build(data, str(folder / "store"), M)


def test_a_wire_story_relayed_by_two_outlets_counts_once(small) -> None:
    links = union(links_graphs(small[2]))
    merged = M.base["id/event/khalilzad-in-kabul"]
    assert len(set(links.objects(merged, PEACE.reportedAs))) == 3
    assert links.value(merged, PEACE.independentSources).toPython() == 2
    assert not set(links.subjects(PEACE.about, merged))  # same day, no numbers: nothing disputed


@pytest.mark.parametrize("entry,words", [
    ("    reports: [wire-copy-sahar/arrival, no-such-article/arrival]\n", "'no-such-article/arrival' names no article"),
    ("    reports: [wire-copy-sahar/arrival, wire-copy-lapis/departure]\n",
     "'wire-copy-lapis/departure' names no event of article wire-copy-lapis"),
    ("    reports: [wire-copy-sahar/arrival, wire-copy-lapis/report-reuters]\n", "(it is a report)"),
    ("    reports: [wire-copy-sahar/arrival]\n", "needs two or more events"),
])
def test_a_bad_links_entry_fails_the_build_and_leaves_the_store(small, entry: str, words: str) -> None:
    data, store, _ = small
    with EmbeddedStore.open_reader(store) as reader:
        before = reader.dump_nquads()
    lines = GOOD_LINKS.splitlines(keepends=True)
    lines[4] = entry
    (data / "links.yaml").write_text("".join(lines), encoding="utf-8")
    try:
        with pytest.raises(BuildFailed) as caught:
            build(data, str(store), M)
    finally:
        (data / "links.yaml").write_text(GOOD_LINKS, encoding="utf-8")
    message = str(caught.value)
    assert f"{data / 'links.yaml'}:5:" in message and words in message, message
    with EmbeddedStore.open_reader(store) as reader:
        assert reader.dump_nquads() == before


# -- actor merges --------------------------------------------------------------------------------------


def _gazetteer_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR / "gazetteer", data / "gazetteer")
    return data


def test_merge_then_unmerge_restores_the_files_byte_for_byte(tmp_path: Path) -> None:
    data = _gazetteer_copy(tmp_path)
    actors, redirects = data / "gazetteer" / "actors.yaml", data / "gazetteer" / "redirects.yaml"
    originals = actors.read_bytes(), redirects.read_bytes()

    merge = merge_actors(data, "taliban-officials", "taliban-political-representatives", "one group of negotiators")

    assert merge.names == ["Taliban officials", "the insurgents' officials"]
    text = actors.read_text(encoding="utf-8")
    assert "  - id: taliban-officials\n" not in text
    assert ("    aliases: [the Taliban political representatives, Taliban negotiators, Taliban envoys, "
            "Taliban delegation, Taliban officials, the insurgents' officials]\n") in text
    assert "# Known actors" in text  # the comments stay
    loaded = load_gazetteer(data / "gazetteer", M)
    assert loaded.graph.value(M.actor("taliban-officials"), DCTERMS.isReplacedBy) == M.actor(
        "taliban-political-representatives")
    assert "taliban-officials" in loaded.actors  # annotations may still say the old id

    unmerge_actors(data, "taliban-officials")
    assert (actors.read_bytes(), redirects.read_bytes()) == originals


def test_a_merge_that_would_leave_a_reference_dangling_is_refused(tmp_path: Path) -> None:
    data = _gazetteer_copy(tmp_path)
    before = (data / "gazetteer" / "actors.yaml").read_bytes()
    with pytest.raises(InputError, match=r"actors.yaml:\d+: 'member_of: taliban' refers to 'taliban'"):
        merge_actors(data, "taliban", "taliban-leadership", "test")
    assert (data / "gazetteer" / "actors.yaml").read_bytes() == before
    with pytest.raises(InputError, match="no redirect from actor/taliban"):
        unmerge_actors(data, "taliban")


def test_an_actor_merge_end_to_end(tmp_path: Path, seed_only_data: Path) -> None:
    """Merge, build the seed (which still says the old id), then the old IRI answers 301."""
    from webapp import create_app

    data = tmp_path / "data"
    shutil.copytree(seed_only_data, data)
    merge_actors(data, "afghan-government-official", "kabul-officials", "test: one unnamed Afghan official")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    minter = IriMinter(base)
    dataset = build(data, str(tmp_path / "store"), minter)
    article = dataset.graphs[minter.article_graph("khalilzad-kabul-sahar-news")]
    old, new = minter.actor("afghan-government-official"), minter.actor("kabul-officials")
    assert (None, None, old) not in article and (old, None, None) not in article
    assert (None, None, new) in article
    app = create_app({"TESTING": True, "KB_STORE": str(tmp_path / "store"), "KB_BASE_IRI": base})
    with live_server(app, port=port):
        reply = http_request(str(old), headers={"Accept": "text/turtle"})
        assert reply.status == 301 and reply.headers["Location"] == "/id/actor/kabul-officials"


# -- the named queries over the links graph ----------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_store(seed_dataset: Dataset) -> ox.Store:
    """The corpus's graphs in an in-memory pyoxigraph store, queried over their union."""
    store = ox.Store()
    for name, graph in seed_dataset.graphs.items():
        store.load(graph.serialize(format="nt").encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(name)))
    return store


def _select(store: ox.Store, name: str) -> list[dict[str, str]]:
    text = (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")
    answer = store.query(text, use_default_graph_as_union=True)
    names = [v.value for v in answer.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in answer]


def test_the_disagreements_query_gives_every_claim_with_its_source(corpus_store: ox.Store) -> None:
    rows = _select(corpus_store, "disagreements")
    rodat = [r for r in rows if r["disagreement"].endswith("/rodat-car-bombing-2018/casualties")]
    assert {(r["publisherLabel"], r["published"]) for r in rodat} == {
        ("Hindu Kush Herald", "2018-06-16"), ("Khyber Monitor", "2018-07-01")}
    assert {r["aspect"] for r in rows} >= {"time", "stage", "casualties", "prisoners", "troop-level"}


def test_the_sources_query_counts_reports_and_independent_sources(corpus_store: ox.Store) -> None:
    rows = _select(corpus_store, "events-across-sources")
    bagram = [r for r in rows if r.get("merged", "").endswith("/trump-bagram-visit-2019")]
    assert {r["publisherLabel"] for r in bagram} == {"Sahar News", "Hindu Kush Herald", "Lapis Wire", "Logar Times"}
    assert {(r["reports"], r["independentSources"]) for r in bagram} == {("4", "3")}


def test_the_proposal_query_shows_later_responses(corpus_store: ox.Store) -> None:
    rows = _select(corpus_store, "proposal-responses-over-time")
    week_long = [r for r in rows if r["proposal"] == str(event("khalilzad-kabul-sahar-news/ceasefire-proposal"))]
    later = {r["response"].rsplit("/", 2)[-2] for r in week_long if r.get("laterArticle") == "true"}
    assert later == {"december-talks-pause-hindu-kush-herald", "rif-begins-oxus-dispatch"}
    assert any(r.get("laterArticle") == "false" for r in week_long)  # the Taliban's rejection, same article


@pytest.mark.parametrize("text,line,words", [
    ("format: 1\noutcomes:\n  - planned: a/x\n    happened: b/y\n    cancelled: c/z\n    reason: r\n", 3,
     "needs exactly one of happened or cancelled"),
    ("format: 1\nresponses:\n  - response: a/x\n    to: a/y\n    reason: r\n", 3, "are of the same article"),
    ("format: 1\nevents:\n  - id: e\n    label: l\n    reports: [a/x, a/y]\n    reason: r\n", 5,
     "names two events of article a"),
    ("format: 1\npreconditions:\n  - condition: a/x\n    met: b/y\n", 3, "precondition lacks reason"),
    ("format: 2\n", 1, "'format: 2' is not supported"),
])
def test_a_malformed_links_file_is_refused_at_its_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "links.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AnnotationError, match=re.escape(words)) as caught:
        load_links(path)
    assert caught.value.location == f"{path}:{line}"
