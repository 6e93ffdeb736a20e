"""A synthetic KB for the timeline tests and measurements: ``n`` events written the way
docs/model.md writes them (SEM stamps at day, month and year precision and windows, SKOS types,
statuses, review marks, actors with a long-tailed share of events, places, articles with
publishers and cited reports, quoted evidence), seeded and deterministic, as N-Quads.
"""

from __future__ import annotations

import random
from pathlib import Path

from kb.store import EmbeddedStore

BASE = "https://peacekb.example/"
PEACE = "https://peacekb.example/ontology#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
SKOS = "http://www.w3.org/2004/02/skos/core#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
SCHEMA = "https://schema.org/"
STATUSES = ("Occurred", "Planned", "Proposed", "Accepted", "Rejected", "Cancelled", "Possible")
WORDS = ("talks", "envoy", "ceasefire", "Doha", "delegation", "prisoners", "withdrawal", "Kabul",
         "agreement", "statement", "attack", "council", "truce", "résumé", "Ünited", "deal")
STAMPS = (f"<{SEM}hasTimeStamp>", f"<{SEM}hasBeginTimeStamp>", f"<{SEM}hasEarliestBeginTimeStamp>",
          f"<{SEM}hasLatestEndTimeStamp>")


def _literal(text: str, suffix: str = "@en") -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"{suffix}'


def generate(n_events: int, seed: int = 7, events_per_article: int = 10) -> bytes:
    """N-Quads of a KB with ``n_events`` dated events (plus one undated per article)."""
    rng = random.Random(seed)
    n_actors = max(20, n_events // 50)
    actor_weights = [1 / (rank + 1) for rank in range(n_actors)]  # Zipf-like
    gaz = f"<{BASE}graph/gazetteer>"
    onto = f"<{BASE}graph/ontology>"
    lines = []
    for i in range(n_actors):
        lines.append(f"<{BASE}id/actor/a{i}> {RDFS_LABEL} {_literal(f'Actor {i} {rng.choice(WORDS)}')} {gaz} .")
    for i in range(20):
        lines.append(f"<{BASE}id/place/p{i}> {RDFS_LABEL} {_literal(f'Place {i}')} {gaz} .")
    for i in range(30):
        lines.append(f"<{BASE}id/actor/pub{i}> {RDFS_LABEL} {_literal(f'Outlet {i} News')} {gaz} .")
    for i in range(40):
        lines.append(f"<{BASE}event-type/t{i}> <{SKOS}prefLabel> {_literal(f'Type {i}')} {onto} .")
        lines.append(f"<{BASE}event-type/t{i}> <{SKOS}notation> {_literal(f'{i:03d}', '')} {onto} .")
    for name in STATUSES:
        lines.append(f"<{PEACE}{name}> <{SKOS}prefLabel> {_literal(name)} {onto} .")
    for article_no in range(-(-n_events // events_per_article)):
        article = f"<{BASE}id/article/art{article_no}>"
        graph = f"<{BASE}graph/article/art{article_no}>"
        lines.append(f"{article} <{SCHEMA}headline> {_literal(f'Headline {article_no} {rng.choice(WORDS)}')} {graph} .")
        lines.append(f"{article} <{SCHEMA}publisher> <{BASE}id/actor/pub{rng.randrange(30)}> {graph} .")
        if article_no % 7 == 0:
            report = f"<{BASE}id/report/art{article_no}/r>"
            lines.append(f"{article} <{PROV}wasDerivedFrom> {report} {graph} .")
            lines.append(f"{report} {TYPE} <{PEACE}Report> {graph} .")
            lines.append(f"{report} <{PROV}wasAttributedTo> <{BASE}id/actor/pub{article_no % 30}> {graph} .")
        first = article_no * events_per_article
        for n in range(first, min(first + events_per_article, n_events)):
            lines += _event(rng, n, article, graph, n_actors, actor_weights)
        undated = f"<{BASE}id/event/art{article_no}/undated>"
        lines.append(f"{undated} {TYPE} <{SEM}Event> {graph} .")
        lines.append(f"{undated} <{SEM}hasActor> <{BASE}id/actor/a0> {graph} .")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _event(rng: random.Random, n: int, article: str, graph: str, n_actors: int, weights: list[float]) -> list[str]:
    event = f"<{BASE}id/event/{article[len(BASE) + 12:-1]}/e{n}>"
    year, month, day = rng.randrange(2001, 2021), rng.randrange(1, 13), rng.randrange(1, 29)
    precision = rng.random()
    if precision < 0.6:
        stamp = _literal(f"{year}-{month:02d}-{day:02d}", f"^^<{XSD}date>")
    elif precision < 0.9:
        stamp = _literal(f"{year}-{month:02d}", f"^^<{XSD}gYearMonth>")
    else:
        stamp = _literal(f"{year}", f"^^<{XSD}gYear>")
    words = " ".join(rng.choice(WORDS) for _ in range(4))
    label = f"Event {n} {words}" + (' <script>alert("x")</script>' if n % 997 == 0 else "")
    lines = [
        f"{event} {TYPE} <{SEM}Event> {graph} .",
        f"{event} {RDFS_LABEL} {_literal(label)} {graph} .",
        f"{event} <{SEM}eventType> <{BASE}event-type/t{rng.randrange(40)}> {graph} .",
        f"{event} {rng.choices(STAMPS, (8, 1, 1, 1))[0]} {stamp} {graph} .",
        f"{event} <{PEACE}status> <{PEACE}{rng.choices(STATUSES, (10, 3, 2, 1, 1, 1, 1))[0]}> {graph} .",
        f"{event} <{PEACE}assertedBy> <{PEACE}{'MachineExtracted' if n % 5 == 0 else 'Reviewed'}> {graph} .",
        f"{event} <{PROV}wasDerivedFrom> {article} {graph} .",
        f"{event} <{PEACE}evidence> {event[:-1]}/ev> {graph} .",
        f"{event[:-1]}/ev> <{OA}hasTarget> {event[:-1]}/target> {graph} .",
        f"{event[:-1]}/target> <{OA}hasSource> {article} {graph} .",
        f"{event[:-1]}/target> <{OA}hasSelector> {event[:-1]}/quote> {graph} .",
        f"{event[:-1]}/quote> <{OA}exact> {_literal(f'they said {words}', '')} {graph} .",
    ]
    for actor in set(rng.choices(range(n_actors), weights, k=rng.choice((1, 2, 2, 3)))):
        lines.append(f"{event} <{SEM}hasActor> <{BASE}id/actor/a{actor}> {graph} .")
    if rng.random() < 0.5:
        lines.append(f"{event} <{SEM}hasPlace> <{BASE}id/place/p{rng.randrange(20)}> {graph} .")
    if n % 11 == 0:
        lines.append(f'{event} <{PEACE}informal> "true"^^<{XSD}boolean> {graph} .')
    return lines


def build(folder: Path, n_events: int, seed: int = 7) -> Path:
    """An embedded store at ``folder`` holding :func:`generate`'s KB; returns the folder."""
    import pyoxigraph as ox

    with EmbeddedStore.open_writer(folder) as writer:
        writer.load_quads(generate(n_events, seed), ox.RdfFormat.N_QUADS)
    return folder


#: A second article beside tests/fixtures/mini.trig, for what mini does not show: an informal
#: meeting, a report cited by the article ("citing Reuters"), the statuses proposed, rejected,
#: cancelled and possible, and markup in a headline and a quote.
EXTRA_TRIG = """
@prefix peace: <https://peacekb.example/ontology#> .
@prefix etype: <https://peacekb.example/event-type/> .
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix actor: <https://peacekb.example/id/actor/> .
@prefix event: <https://peacekb.example/id/event/extra/> .

<https://peacekb.example/graph/gazetteer-extra> {
    actor:reuters rdfs:label "Reuters"@en .
    actor:tolo-news rdfs:label "Tolo News"@en .
    peace:Proposed skos:prefLabel "Proposed"@en .
    peace:Rejected skos:prefLabel "Rejected"@en .
    peace:Cancelled skos:prefLabel "Cancelled"@en .
    peace:Possible skos:prefLabel "Possible"@en .
}

<https://peacekb.example/graph/article/extra> {
    <https://peacekb.example/id/article/extra> a schema:NewsArticle ;
        schema:headline "Taliban reject <script>alert(1)</script> ceasefire offer"@en ;
        schema:publisher actor:tolo-news ;
        prov:wasDerivedFrom <https://peacekb.example/id/report/extra/r1> .
    <https://peacekb.example/id/report/extra/r1> a peace:Report ; prov:wasAttributedTo actor:reuters .

    event:informal-talks a sem:Event ; rdfs:label "Informal talks in Doha"@en ;
        sem:eventType etype:negotiate ; sem:hasActor actor:taliban, actor:united-states ;
        sem:hasTimeStamp "2019-11"^^xsd:gYearMonth ; peace:informal true ;
        peace:status peace:Occurred ; peace:assertedBy peace:Reviewed ;
        prov:wasDerivedFrom <https://peacekb.example/id/article/extra> ;
        peace:evidence event:informal-talks-ev .
    event:informal-talks-ev oa:hasTarget event:informal-talks-target .
    event:informal-talks-target oa:hasSource <https://peacekb.example/id/article/extra> ;
        oa:hasSelector event:informal-talks-quote .
    event:informal-talks-quote oa:exact "talks went on <b>quietly</b> in Doha" .

    event:ceasefire-offer a sem:Event ; rdfs:label "Ghani offers a ceasefire"@en ;
        sem:eventType etype:intend-to-meet ; sem:hasActor actor:ghani ;
        sem:hasTimeStamp "2020-01-15"^^xsd:date ; peace:status peace:Proposed ;
        peace:assertedBy peace:MachineExtracted ;
        prov:wasDerivedFrom <https://peacekb.example/id/article/extra> .
    event:rejection a sem:Event ; rdfs:label "Taliban reject the ceasefire"@en ;
        sem:eventType etype:statement ; sem:hasActor actor:taliban ;
        sem:hasTimeStamp "2020-01-20"^^xsd:date ; peace:status peace:Rejected ;
        prov:wasDerivedFrom <https://peacekb.example/id/article/extra> .
    event:cancelled-round a sem:Event ; rdfs:label "Round of talks called off"@en ;
        sem:eventType etype:negotiate ; sem:hasActor actor:united-states, actor:taliban ;
        sem:hasTimeStamp "2020-02"^^xsd:gYearMonth ; peace:status peace:Cancelled ;
        prov:wasDerivedFrom <https://peacekb.example/id/article/extra> .
    event:possible-deal a sem:Event ; rdfs:label "A deal may be signed"@en ;
        sem:eventType etype:negotiate ; sem:hasActor actor:united-states ;
        sem:hasBeginTimeStamp "2020"^^xsd:gYear ; peace:status peace:Possible ;
        prov:wasDerivedFrom <https://peacekb.example/id/article/extra> .
}
"""


def load_mini_and_extra(folder: Path) -> Path:
    """tests/fixtures/mini.trig and :data:`EXTRA_TRIG` in a new embedded store at ``folder``."""
    from rdflib import Dataset
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
    from webapp_support import FIXTURE

    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    dataset.parse(data=EXTRA_TRIG, format="trig")
    graphs = {g.identifier: g for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)}
    with EmbeddedStore.open_writer(folder) as writer:
        writer.replace_graphs(graphs)
    return folder
