"""What an HTML page shows of a description: a resource's label, types, properties, parts,
inbound links and evidence quotes, with IRIs under the base mapped to this server's pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS
from rdflib.term import Node

from kb.namespaces import OA, PEACE, PREFIXES
from webapp.linkeddata import local_url


@dataclass(frozen=True)
class Term:
    """A value as shown: its text, a link (IRIs only) and a note (a literal's language or datatype)."""

    text: str
    href: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Row:
    prop: Term
    values: list[Term]


@dataclass(frozen=True)
class Section:
    """One subject of the document: the resource itself, or one of its parts (``iri#quote``)."""

    iri: str
    anchor: str
    label: str
    types: list[Term]
    rows: list[Row]


@dataclass(frozen=True)
class Inbound:
    """A resource that links to the page's resource, and through which properties."""

    resource: Term
    properties: list[Term]


@dataclass(frozen=True)
class Quote:
    text: str
    start: str | None
    end: str | None
    source: Term | None


@dataclass(frozen=True)
class Page:
    main: Section
    parts: list[Section] = field(default_factory=list)
    inbound: list[Inbound] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


_LABELS = (RDFS.label, SKOS.prefLabel, DCTERMS.title, FOAF.name)


class _Viewer:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        for prefix, namespace in PREFIXES.items():
            graph.namespace_manager.bind(prefix, namespace, replace=True)

    def label(self, node: Node) -> str | None:
        for prop in _LABELS:
            if (value := self.graph.value(node, prop)) is not None:
                return str(value)
        return None

    def qname(self, iri: URIRef) -> str:
        prefix, _, local = self.graph.namespace_manager.compute_qname(iri, generate=False)
        return f"{prefix}:{local}"

    def name(self, iri: URIRef) -> str:
        """A label if the graph has one, else a prefixed name, else the IRI."""
        if label := self.label(iri):
            return label
        try:
            return self.qname(iri)
        except (KeyError, ValueError):
            return str(iri)

    def term(self, node: Node) -> Term:
        if isinstance(node, Literal):
            note = node.language or (self.name(node.datatype) if node.datatype else None)
            return Term(str(node), note=note)
        return Term(self.name(URIRef(node)), href=local_url(str(node)))

    def section(self, subject: URIRef, anchor: str, fallback: str) -> Section:
        rows: dict[URIRef, list[Term]] = {}
        for prop, value in self.graph.predicate_objects(subject):
            if prop != RDF.type:
                rows.setdefault(URIRef(prop), []).append(self.term(value))
        types = sorted((self.term(t) for t in self.graph.objects(subject, RDF.type)), key=lambda t: t.text)
        return Section(
            iri=str(subject),
            anchor=anchor,
            label=self.label(subject) or fallback,
            types=types,
            rows=sorted(
                (Row(self.term(p), sorted(values, key=lambda t: t.text)) for p, values in rows.items()),
                key=lambda row: row.prop.text,
            ),
        )

    def part(self, subject: URIRef) -> Section:
        """A section for a part of the document, anchored (and by default named) by its fragment."""
        fragment = str(subject).partition("#")[2]
        return self.section(subject, fragment or "document", f"#{fragment}" if fragment else str(subject))

    def quotes(self, subject: URIRef) -> list[Quote]:
        """The quoted spans of the resource's evidence (or of the resource, if it is evidence)."""
        quotes = []
        for evidence in [subject, *self.graph.objects(subject, PEACE.evidence)]:
            for target in self.graph.objects(evidence, OA.hasTarget):
                source = self.graph.value(target, OA.hasSource)
                selectors = list(self.graph.objects(target, OA.hasSelector))
                exact = next(filter(None, (self.graph.value(s, OA.exact) for s in selectors)), None)
                position = next((s for s in selectors if (s, OA.start, None) in self.graph), None)
                if exact is not None:
                    quotes.append(Quote(
                        text=str(exact),
                        start=str(self.graph.value(position, OA.start)) if position is not None else None,
                        end=str(self.graph.value(position, OA.end)) if position is not None else None,
                        source=self.term(source) if source is not None else None,
                    ))
        return sorted(quotes, key=lambda q: (q.start is None, int(q.start or 0), q.text))


def page(graph: Graph, iri: str) -> Page:
    """The page of the resource ``iri`` described by ``graph``.

    Its parts are the other subjects of the same document: IRIs ``doc#...`` where ``doc`` is
    ``iri`` without its fragment (and ``doc`` itself when ``iri`` has a fragment).
    """
    viewer = _Viewer(graph)
    subject = URIRef(iri)
    document = iri.split("#")[0]
    parts = sorted(
        {s for s in graph.subjects() if isinstance(s, URIRef) and s != subject
         and (str(s) == document or str(s).startswith(document + "#"))}
    )
    linking: dict[Node, list[Term]] = {}
    for s, p in graph.subject_predicates(subject):
        if s != subject:
            linking.setdefault(s, []).append(viewer.term(p))
    inbound = sorted(
        (Inbound(viewer.term(s), sorted(props, key=lambda t: t.text)) for s, props in linking.items()),
        key=lambda link: (link.resource.text, link.resource.href or ""),
    )
    return Page(
        main=viewer.section(subject, iri.partition("#")[2] or "main", iri),
        parts=[viewer.part(s) for s in parts],
        inbound=inbound,
        quotes=viewer.quotes(subject),
    )


def subjects(graph: Graph) -> list[tuple[Term, list[Term]]]:
    """Every IRI subject of ``graph`` with its types, sorted by name (for a named graph's page)."""
    viewer = _Viewer(graph)
    rows = [
        (viewer.term(s), sorted((viewer.term(t) for t in graph.objects(s, RDF.type)), key=lambda t: t.text))
        for s in set(graph.subjects())
        if isinstance(s, URIRef)
    ]
    return sorted(rows, key=lambda row: (row[0].text, row[0].href or ""))
