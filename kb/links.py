"""Reviewed links across articles (data/links.yaml) -> a named graph under ``{base}graph/links/`` per entry.

Reports of one event in several articles become one ``peace:ReportedEvent`` with every report
(``peace:reportedAs``) and a count of independent sources; where the reports differ on the time,
a number or an agreement's stage, a ``peace:Disagreement`` keeps every version as a claim of its
source. Responses, outcomes of planned events and the events that met or broke a precondition
link facts of different articles. Each entry gets a graph of its own (:func:`entry_graph_iri`), so an
as-of view (kb/as_of.py) knows each merge or link from the day its last linked article appeared.
docs/model.md, "Across articles", shows the triples.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kb.errors import AnnotationError, ValidationFailed
from kb.namespaces import KBSHAPE, PEACE, SCHEMA, IriMinter, is_local_id
from kb.ontology import Vocabulary, load_shapes
from kb.rdf import MEASURE, STAGE, en
from kb.records import Records
from kb.validate import validate_graph
from kb.yamlio import KEY_LINES, LINE, load_yaml

FORMAT_VERSION = 1
LINKS_FILE = "links.yaml"  # in the data folder, beside annotations/ and gazetteer/
# The article facts each kind of reference may name, as the IRI path segments of kb.rdf.KIND.
EVENT = ("event",)
QUANTITY = ("quantity",)
CONDITION = ("condition", "precondition")
OUTCOMES = {"happened": PEACE.happenedAs, "cancelled": PEACE.cancelledAs}
PRECONDITION_LINKS = {"met": PEACE.metBy, "broken": PEACE.brokenBy}
# The graph IRI segment of each kind of link (:func:`entry_graph_iri`).
LINK_KIND = {PEACE.respondsTo: "response", **{p: k for k, p in (OUTCOMES | PRECONDITION_LINKS).items()}}
_MEASURE_NAME = {iri: name for name, iri in MEASURE.items()}
_STAGE_TEXT = {iri: name.replace("-", " ") for name, iri in STAGE.items()}


@dataclass
class Cluster:
    """One event reported by several articles (an entry of ``events:``)."""

    id: str
    label: str
    reports: list[str]
    quantities: list[list[str]]
    reason: str
    line: int


@dataclass
class Link:
    """A link between facts of two articles: ``source --property--> target``."""

    source: str
    property: URIRef
    target: str
    line: int


@dataclass
class Links:
    """The entries of a links file, checked for form only (:func:`load_links`)."""

    path: Path
    clusters: list[Cluster] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    # the kinds of fact each reference may name, and the line it is on, for the resolving step
    refs: list[tuple[str, tuple[str, ...], int]] = field(default_factory=list)

    def gold_clusters(self) -> list[set[str]]:
        """The reviewed event clusters as sets of ``article-id/fact-id``."""
        return [set(c.reports) for c in self.clusters]


def links_graph_prefix(minter: IriMinter) -> str:
    """The start of every links graph IRI: ``{base}graph/links/``."""
    return str(minter.base["graph/links/"])


def entry_graph_iri(minter: IriMinter, entry: Cluster | Link) -> URIRef:
    """The graph of one entry of the links file, named from its own ids so that it stays the same
    when other entries come or go: ``{base}graph/links/{cluster-id}`` for a cluster,
    ``{base}graph/links/{kind}/{source-article}/{source-fact}/{target-article}/{target-fact}`` for a
    link, ``kind`` being ``response``, ``happened``, ``cancelled``, ``met`` or ``broken``."""
    if isinstance(entry, Cluster):
        return URIRef(links_graph_prefix(minter) + entry.id)
    return URIRef(f"{links_graph_prefix(minter)}{LINK_KIND[entry.property]}/{entry.source}/{entry.target}")


def load_links(path: Path) -> Links:
    """Read data/links.yaml and check the form of every entry (ids, keys, references as text).

    :raises AnnotationError: naming the file and line of the first faulty entry.
    """
    rec = Records(path)
    doc = rec.mapping(load_yaml(path), "the links file")
    if doc.get("format") != FORMAT_VERSION:
        raise rec.fault(doc, f"'format: {doc.get('format')}' is not supported; write 'format: {FORMAT_VERSION}'.")
    rec.check_keys(doc, "the links file", {"format"}, {"events", "responses", "outcomes", "preconditions"})
    links = Links(path)
    seen: dict[str, int] = {}

    def ref(entry: dict[str, Any], value: Any, kinds: tuple[str, ...], key: str) -> str:
        text = str(value)
        article, _, fact = text.partition("/")
        if not (is_local_id(article) and is_local_id(fact)):
            raise rec.fault(entry, f"'{text}' is not a fact reference; write it as article-id/fact-id.", key)
        links.refs.append((text, kinds, entry.get(KEY_LINES, {}).get(key) or entry[LINE]))
        return text

    for e in rec.items(doc, "events"):
        rec.check_keys(e, f"event cluster '{e.get('id')}'", {"id", "label", "reports", "reason"}, {"quantities"})
        cid = rec.local_id(e)
        if cid in seen:
            raise rec.fault(e, f"cluster id '{cid}' is also used on line {seen[cid]}; ids must be unique.", "id")
        seen[cid] = e[LINE]
        reports = [ref(e, r, EVENT, "reports") for r in _list(rec, e, "reports")]
        if len(reports) < 2:
            raise rec.fault(e, "'reports' needs two or more events of different articles.", "reports")
        articles = [r.partition("/")[0] for r in reports]
        twice = sorted({a for a in articles if articles.count(a) > 1})
        if twice:
            raise rec.fault(e, f"'reports' names two events of article {twice[0]}; a cluster takes one "
                               "report per article.", "reports")
        groups = []
        for group in rec.as_list(e, "quantities"):
            if not isinstance(group, list) or len(group) < 2:
                raise rec.fault(e, "each item of 'quantities' must be a list of two or more quantities "
                                   "of the cluster's articles that count the same thing.", "quantities")
            refs = [ref(e, q, QUANTITY, "quantities") for q in group]
            strangers = [q for q in refs if q.partition("/")[0] not in articles]
            if strangers:
                raise rec.fault(e, f"quantity '{strangers[0]}' is not from an article of this cluster's "
                                   "'reports'.", "quantities")
            groups.append(refs)
        links.clusters.append(Cluster(cid, str(e["label"]), reports, groups, str(e["reason"]), e[LINE]))

    for r in rec.items(doc, "responses"):
        rec.check_keys(r, "response", {"response", "to", "reason"}, set())
        links.links.append(Link(ref(r, r["response"], EVENT, "response"), PEACE.respondsTo,
                                ref(r, r["to"], EVENT, "to"), r[LINE]))
    for kind, first, table, kinds in (("outcome", "planned", OUTCOMES, EVENT),
                                      ("precondition", "condition", PRECONDITION_LINKS, CONDITION)):
        for o in rec.items(doc, f"{kind}s"):
            rec.check_keys(o, kind, {first, "reason"}, set(table))
            given = [k for k in table if o.get(k) is not None]
            if len(given) != 1:
                raise rec.fault(o, f"a{'n' if kind[0] in 'aeiou' else ''} {kind} needs exactly one of "
                                   f"{' or '.join(table)}.")
            links.links.append(Link(ref(o, o[first], kinds, first), table[given[0]],
                                    ref(o, o[given[0]], EVENT, given[0]), o[LINE]))
    for link in links.links:
        if link.source.partition("/")[0] == link.target.partition("/")[0]:
            raise rec.fault({LINE: link.line}, f"'{link.source}' and '{link.target}' are of the same article; "
                                               "link facts within an article in its annotation instead.")
    return links


def _list(rec: Records, entry: dict[str, Any], key: str) -> list[Any]:
    value = entry.get(key)
    if not isinstance(value, list):
        raise rec.fault(entry, f"'{key}' must be a list of article-id/fact-id references.", key)
    return value


@dataclass
class LinksGraphs:
    """The graph of each entry of the links file (by graph IRI), the source line of each subject,
    and the article facts they refer to."""

    graphs: dict[URIRef, Graph]
    lines: dict[URIRef, str]
    facts: dict[URIRef, URIRef]  # each article fact they name -> that article's graph

    def entry(self, iri: URIRef) -> Graph:
        """The graph ``iri``, new and empty the first time."""
        return self.graphs.setdefault(iri, Graph())


class _Resolver:
    """Article facts by reference, read from the article graphs of the build."""

    def __init__(self, links: Links, graphs: Mapping[URIRef, Graph], minter: IriMinter) -> None:
        self.links, self.graphs, self.m = links, graphs, minter
        self.shared = graphs.get(minter.gazetteer_graph, Graph())

    def fault(self, line: int, message: str) -> AnnotationError:
        return AnnotationError(f"{self.links.path}:{line}", message)

    def graph_of(self, ref: str) -> Graph:
        return self.graphs[self.m.article_graph(ref.partition("/")[0])]

    def iri(self, ref: str, kinds: tuple[str, ...], line: int) -> URIRef:
        article, _, fact = ref.partition("/")
        graph = self.graphs.get(self.m.article_graph(article))
        if graph is None:
            raise self.fault(line, f"'{ref}' names no article: no annotation in data/annotations has "
                                   f"'id: {article}'; fix the article id.")
        for kind in kinds:
            iri = self.m.fact(kind, article, fact)
            if (iri, RDF.type, None) in graph:
                return iri
        others = [k for k in ("event", "quantity", "condition", "precondition", "report", "membership")
                  if (self.m.fact(k, article, fact), RDF.type, None) in graph]
        found = f" (it is a {others[0]})" if others else ""
        raise self.fault(line, f"'{ref}' names no {' or '.join(kinds)} of article {article}{found}; "
                               "use a fact id of its annotation.")

    # -- what the reporting article says -----------------------------------------------------

    def article(self, ref: str) -> URIRef:
        return self.m.article(ref.partition("/")[0])

    def publisher(self, ref: str) -> str:
        g, a = self.graph_of(ref), self.article(ref)
        publisher = g.value(a, SCHEMA.publisher)
        return str(g.value(publisher, RDFS.label) or self.shared.value(publisher, RDFS.label) or publisher)

    def published(self, ref: str) -> str:
        return str(self.graph_of(ref).value(self.article(ref), SCHEMA.datePublished))

    def wire_authors(self, ref: str) -> set[URIRef]:
        """The authors of the reports the article relays (its ``derived_from``)."""
        g = self.graph_of(ref)
        return {author for report in g.objects(self.article(ref), PROV.wasDerivedFrom)
                for author in g.objects(report, PROV.wasAttributedTo)}


def prepare_links(path: Path, graphs: Mapping[URIRef, Graph], minter: IriMinter,
                  vocabulary: Vocabulary) -> LinksGraphs:
    """The links graphs of ``path`` over the article graphs of a build, checked together against
    the shapes of merged events and disagreements (with the types of the article facts they name).

    :raises AnnotationError: on a faulty entry (:func:`build_links_graph`).
    :raises ValidationFailed: when the graph violates the shapes.
    """
    out = build_links_graph(path, graphs, minter)
    data = Graph()
    for graph in out.graphs.values():
        data += graph
    for fact, graph in out.facts.items():
        for triple in graphs[graph].triples((fact, RDF.type, None)):
            data.add(triple)
    violations = validate_graph(data, vocabulary, out.lines, shapes=_link_shapes())
    if violations:
        raise ValidationFailed(str(path), violations)
    return out


@cache
def _link_shapes() -> Graph:
    """The shapes of the links graph (kbshape:ReportedEvent..., kbshape:Disagreement...)."""
    shapes, out = load_shapes(), Graph()
    for s, p, o in shapes:
        if str(s).startswith((str(KBSHAPE.ReportedEvent), str(KBSHAPE.Disagreement))):
            out.add((s, p, o))
    return out


def build_links_graph(path: Path, graphs: Mapping[URIRef, Graph], minter: IriMinter) -> LinksGraphs:
    """Read ``path`` (data/links.yaml) and make the graph of each entry over the article graphs of
    a build.

    :raises AnnotationError: at the line of an entry that names an unknown article or fact, or a
        fact of the wrong kind.
    """
    links = load_links(path)
    r = _Resolver(links, graphs, minter)
    iris = {ref: r.iri(ref, kinds, line) for ref, kinds, line in links.refs}
    facts = {iri: minter.article_graph(ref.partition("/")[0]) for ref, iri in iris.items()}
    out = LinksGraphs({}, {}, facts)
    clustered: dict[str, str] = {}
    for c in links.clusters:
        for ref in c.reports:
            if ref in clustered:
                raise r.fault(c.line, f"'{ref}' is a report of cluster '{clustered[ref]}' already; "
                                      "an event belongs to one cluster.")
            clustered[ref] = c.id
        if (minter.article_graph(c.id)) in graphs:
            raise r.fault(c.line, f"cluster id '{c.id}' is an article id; choose another.")
        merged = minter.base[f"id/event/{c.id}"]
        g = out.entry(entry_graph_iri(minter, c))
        out.lines[merged] = f"{path}:{c.line}"
        g.add((merged, RDF.type, PEACE.ReportedEvent))
        g.add((merged, RDFS.label, en(c.label)))
        g.add((merged, PEACE.reviewerNote, en(c.reason)))
        for ref in c.reports:
            g.add((merged, PEACE.reportedAs, iris[ref]))
        g.add((merged, PEACE.independentSources, Literal(independent_sources(c.reports, r.wire_authors),
                                                          datatype=XSD.integer)))
        for group in c.quantities:
            measures = {r.graph_of(q).value(iris[q], PEACE.measure) for q in group}
            if len(measures) > 1:
                raise r.fault(c.line, f"the quantities {', '.join(group)} count different things "
                                      "(measures differ); group only quantities of one measure.")
        for segment, aspect, claims, label in disagreements(c, iris, r):
            d = minter.base[f"id/disagreement/{c.id}/{segment}"]
            out.lines[d] = f"{path}:{c.line}"
            g.add((d, RDF.type, PEACE.Disagreement))
            g.add((d, PEACE.about, merged))
            g.add((d, PEACE.aspect, Literal(aspect)))
            g.add((d, RDFS.label, en(label)))
            for claim in claims:
                g.add((d, PEACE.claim, claim))
    for link in links.links:
        source, target = iris[link.source], iris[link.target]
        g = out.entry(entry_graph_iri(minter, link))
        g.add((source, link.property, target))
        if link.property == PEACE.respondsTo:  # its super-property, as kb/rdf.py writes it
            g.add((source, PROV.wasInformedBy, target))
    return out


def independent_sources(reports: Iterable[str], wire_authors) -> int:
    """How many independent sources the reports are: articles that relay reports by the same
    author (a wire story republished by two outlets) count once."""
    groups: list[tuple[set[str], set[URIRef]]] = []
    for ref in reports:
        article, authors = ref.partition("/")[0], set(wire_authors(ref))
        joined = [grp for grp in groups if authors & grp[1]]
        merged = ({article}, authors)
        for grp in joined:
            merged[0].update(grp[0])
            merged[1].update(grp[1])
            groups.remove(grp)
        groups.append(merged)
    return len(groups)


# -- disagreements -------------------------------------------------------------------------------


def disagreements(c: Cluster, iris: Mapping[str, URIRef], r: _Resolver) -> list[tuple[str, str, list[URIRef], str]]:
    """``(IRI segment, aspect, claims, label)`` for each aspect the cluster's reports differ on: the
    time of the event, the stage of an agreement, and each group of quantities (aspect: its
    measure; a second group of one measure gets the segment ``{measure}-2``)."""
    found: list[tuple[str, str, list[URIRef], str]] = []
    versions = _time_versions(c.reports, iris, r)
    if versions:
        found.append(("time", "time", *versions))
    stages = {ref: r.graph_of(ref).value(iris[ref], PEACE.agreementStage) for ref in c.reports}
    stages = {ref: _STAGE_TEXT[s] for ref, s in stages.items() if s in _STAGE_TEXT}
    if len(set(stages.values())) > 1:
        found.append(("stage", "stage", *_versions(stages, iris, r)))
    used: dict[str, int] = {}
    for group in c.quantities:
        texts = {ref: _quantity_text(r.graph_of(ref), iris[ref]) for ref in group}
        if len(set(texts.values())) < 2:
            continue
        measure = _MEASURE_NAME.get(r.graph_of(group[0]).value(iris[group[0]], PEACE.measure), "quantity")
        used[measure] = used.get(measure, 0) + 1
        segment = measure if used[measure] == 1 else f"{measure}-{used[measure]}"
        found.append((segment, measure, *_versions(texts, iris, r)))
    return found


def _versions(texts: Mapping[str, str], iris: Mapping[str, URIRef], r: _Resolver) -> tuple[list[URIRef], str]:
    """The claims and a label such as "36 people per Khyber Monitor; at least 26 people per ...",
    versions in the order they were first published."""
    by_text: dict[str, list[str]] = {}
    for ref in sorted(texts, key=r.published):
        by_text.setdefault(texts[ref], []).append(ref)
    publishers = [r.publisher(ref) for ref in texts]
    parts = []
    for text, refs in by_text.items():
        names: list[str] = []
        for ref in refs:
            name = r.publisher(ref)
            if publishers.count(name) > 1:  # one outlet, two articles: tell them apart by date
                name = f"{name} of {_day(r.published(ref))}"
            if name not in names:
                names.append(name)
        parts.append(f"{text} per {', '.join(names)}")
    return [iris[ref] for ref in sorted(texts)], "; ".join(parts)


def _quantity_text(g: Graph, q: URIRef) -> str:
    value = g.value(q, SCHEMA.value).toPython()
    if isinstance(value, float | Decimal) and value == int(value):
        value = int(value)
    number = f"{value:,}" if isinstance(value, int) else str(value)
    approximation = g.value(q, PEACE.approximation)
    unit = g.value(q, SCHEMA.unitText)
    return " ".join(str(part) for part in (approximation, number, unit) if part)


_TIME_KEYS = {"value": (PEACE.value, "on"), "begin": (PEACE.begin, "from"), "end": (PEACE.end, "until")}


def _time_versions(reports: list[str], iris: Mapping[str, URIRef], r: _Resolver) -> tuple[list[URIRef], str] | None:
    """A time disagreement: two reports giving a point, a beginning or an end that cannot be the
    same (their days do not overlap). Windows (earliest/latest) say what is unknown, not a claim."""
    given: dict[str, dict[str, Literal]] = {}
    for ref in reports:
        g = r.graph_of(ref)
        t = g.value(iris[ref], PEACE.time)
        stamps = {key: g.value(t, prop) for key, (prop, _) in _TIME_KEYS.items()}
        stamps = {k: v for k, v in stamps.items() if v is not None}
        if stamps:
            given[ref] = stamps
    clash = any(
        not _overlap(_days(a[key]), _days(b[key]))
        for x, a in given.items() for y, b in given.items() if x < y
        for key in _TIME_KEYS if key in a and key in b
    )
    if not clash:
        return None
    texts = {ref: " ".join(f"{_TIME_KEYS[k][1]} {_day(str(v))}" for k, v in stamps.items())
             for ref, stamps in given.items()}
    return _versions(texts, iris, r)


def _days(value: Literal) -> tuple[str, str]:
    """The first and last day a date, month or year literal covers, as ISO text."""
    text = str(value)
    if len(text) == 4:
        return f"{text}-01-01", f"{text}-12-31"
    if len(text) == 7:
        year, month = (int(p) for p in text.split("-"))
        return f"{text}-01", f"{text}-{calendar.monthrange(year, month)[1]:02d}"
    return text, text


def _overlap(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _day(text: str) -> str:
    """``2020-02-21`` as "21 February 2020", ``2020-02`` as "February 2020"."""
    parts = text.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {calendar.month_name[int(parts[1])]} {parts[0]}"
    if len(parts) == 2:
        return f"{calendar.month_name[int(parts[1])]} {parts[0]}"
    return text
