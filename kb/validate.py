"""SHACL validation with pySHACL against ontology/shapes.ttl, reported in the user's terms."""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kb.ontology import Vocabulary, load_shapes, load_vocabulary


def validate_graph(
    data: Graph, vocabulary: Vocabulary, lines: Mapping[URIRef, str], shapes: Graph | None = None
) -> list[str]:
    """Validate ``data`` merged with the vocabulary graph; return one line per violation.

    The vocabulary is merged into the data rather than passed as pySHACL's ``ont_graph``,
    whose node-by-node mixing takes minutes on the linked concept schemes.

    Each line reads ``file:line: message (focus, path, value)``, the file and line looked up in
    ``lines`` by the focus node (or the node its IRI fragment hangs off); without a line the
    ``file:line:`` part is left out.
    """
    conforms, report, _ = shacl_validate(
        merged(data, vocabulary.graph),
        shacl_graph=shapes if shapes is not None else load_shapes(),
        inference="none",
        allow_warnings=True,
        advanced=True,
        inplace=True,  # the merged graph is this call's own copy: no need for pySHACL to clone it
    )
    if conforms:
        return []
    problems = []
    for result in report.objects(report.value(None, RDF.type, SH.ValidationReport, any=False), SH.result):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = report.value(result, SH.focusNode)
        message = report.value(result, SH.resultMessage) or "violates a shape"
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        where = lines.get(focus) or lines.get(URIRef(str(focus).split("#")[0]))
        details = f"focus <{focus}>" + (f", path {_path(report, path)}" if path else "") + (
            f", value {value.n3()}" if value is not None else ""
        )
        problems.append(f"{where}: {message} ({details})" if where else f"{message} ({details})")
    return sorted(problems)


def _path(report: Graph, path: Node) -> str:
    """A result path as text: ``<iri>``, or a sequence path as ``<a> / <b>``."""
    if isinstance(path, BNode) and report.value(path, RDF.first) is not None:
        return " / ".join(_path(report, step) for step in Collection(report, path))
    return path.n3()


def merged(*graphs: Graph) -> Graph:
    """One graph holding the triples of all ``graphs``."""
    out = Graph()
    for g in graphs:
        out += g
    return out


def touched(article: Graph, shared: Graph) -> Graph:
    """The triples of ``shared`` (the gazetteer) about what ``article`` refers to, followed on
    through the IRIs they name in turn: an actor, the organisation it is a member of, a place and
    the country that contains it, a post and its role."""
    out = Graph()
    seen: set[URIRef] = set()
    frontier = [node for triple in article for node in (triple[0], triple[2]) if isinstance(node, URIRef)]
    while frontier:
        node = frontier.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in shared.triples((node, None, None)):
            out.add(triple)
            if isinstance(triple[2], URIRef) and triple[2] not in seen:
                frontier.append(triple[2])
    return out


def validate_article(
    article: Graph, gazetteer: Graph, vocabulary: Vocabulary, lines: Mapping[URIRef, str]
) -> list[str]:
    """Validate one article graph with what it touches of the gazetteer (:func:`touched`).

    The violations are those :func:`validate_graph` reports for the article merged with the
    whole gazetteer, less the ones about gazetteer entries the article does not refer to
    (validate the gazetteer on its own for those), so the cost does not grow with the KB.
    """
    return validate_graph(merged(article, touched(article, gazetteer)), vocabulary, lines)


def split_graphs(nquads: bytes) -> dict[str, bytes]:
    """N-Quads of a dataset as N-Triples per named graph (graph IRI -> bytes), parsed by pyoxigraph."""
    quads: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        if isinstance(quad.graph_name, ox.NamedNode):
            quads.setdefault(quad.graph_name.value, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
    return {name: ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) for name, triples in quads.items()}


def validate_articles(articles: Mapping[str, bytes], gazetteer: bytes, workers: int | None = None) -> dict[str, list[str]]:
    """Validate article graphs (IRI -> N-Triples) each with what it touches of the gazetteer
    (N-Triples), in ``workers`` processes (default: one per CPU); return the violations by graph."""
    workers = workers or os.cpu_count() or 1
    names = sorted(articles)
    if workers == 1 or len(names) < 2:
        _start_worker(gazetteer)
        return {name: _validate_one(articles[name]) for name in names}
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(gazetteer,)) as pool:
        found = pool.map(_validate_one, (articles[n] for n in names), chunksize=max(1, len(names) // (8 * workers)))
        return dict(zip(names, found, strict=True))


_worker_gazetteer: Graph | None = None


def _start_worker(gazetteer: bytes) -> None:
    global _worker_gazetteer
    _worker_gazetteer = Graph().parse(data=gazetteer.decode("utf-8"), format="nt")
    load_shapes()


def _validate_one(article: bytes) -> list[str]:
    graph = Graph().parse(data=article.decode("utf-8"), format="nt")
    return validate_article(graph, _worker_gazetteer, load_vocabulary(), {})
