"""SHACL validation against ontology/shapes.ttl, reported in the user's terms.

Two engines give the same lines: the compiled SPARQL engine of :mod:`kb.shacl_engine` (the
default, milliseconds per article) and pySHACL (``engine="pyshacl"``, the reference). With
``engine="auto"`` (the default) shapes the fast engine cannot compile go to pySHACL.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal as Choice

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kb.namespaces import IriMinter
from kb.ontology import Vocabulary, load_shapes, load_vocabulary
from kb.shacl_engine import Result, UnsupportedShapes, compile_shapes, read_path
from kb.store import EmbeddedStore, Store, open_store

Engine = Choice["auto", "fast", "pyshacl"]


def validate_graph(
    data: Graph, vocabulary: Vocabulary, lines: Mapping[URIRef, str], shapes: Graph | None = None,
    *, engine: Engine = "auto",
) -> list[str]:
    """Validate ``data`` merged with the vocabulary graph; return one line per violation, sorted.

    Each line reads ``file:line: message (focus, path, value)``, the file and line looked up in
    ``lines`` by the focus node (or the node its IRI fragment hangs off); without a line the
    ``file:line:`` part is left out. ``engine``: "fast" (:mod:`kb.shacl_engine`, raising
    :class:`~kb.shacl_engine.UnsupportedShapes` on shapes it cannot compile), "pyshacl", or
    "auto" (fast where the shapes compile, else pySHACL).
    """
    return _validate([data], vocabulary, lines, shapes, engine)


Triple = tuple[Node, Node, Node]


def _validate(parts: list[Iterable[Triple]], vocabulary: Vocabulary, lines: Mapping[URIRef, str],
              shapes: Graph | None, engine: Engine) -> list[str]:
    """:func:`validate_graph` of the triples of ``parts`` together."""
    shapes = shapes if shapes is not None else load_shapes()
    if engine == "pyshacl" or (engine == "auto" and not _compiles(shapes)):
        data = Graph()
        for part in parts:
            data += part  # any iterable of triples
        results = pyshacl_results(data, vocabulary, shapes)
    else:
        results = as_written(compile_shapes(shapes).violations(dataset_store(parts, vocabulary), scratch=True), parts)
    return sorted(violation_line(r, lines) for r in results if r.severity == SH.Violation)


def prepare_validation(vocabulary: Vocabulary) -> None:
    """Parse and compile the shapes and convert the vocabulary now (each is kept per process), so
    that the first validation does not pay for it and worker processes forked afterwards share them."""
    shapes = load_shapes()
    if _compiles(shapes):
        _vocabulary_quads(vocabulary)


def as_written(results: list[Result], parts: list[Iterable[Triple]]) -> list[Result]:
    """``results`` with each typed literal in the lexical form the triples of ``parts`` have it
    in: pyoxigraph stores some in canonical form ("11.0"^^xsd:decimal as "11"), pySHACL reports
    them as written."""
    if not any(isinstance(t, Literal) and t.datatype for r in results for t in (r.focus, r.value)):
        return results
    written = {(o.datatype, o.value): o for part in parts for _s, _p, o in part
               if isinstance(o, Literal) and o.datatype and o.value is not None}

    def original(term):
        if isinstance(term, Literal) and term.datatype and term.value is not None:
            return written.get((term.datatype, term.value), term)
        return term

    return [replace(r, focus=original(r.focus), value=original(r.value)) for r in results]


def _compiles(shapes: Graph) -> bool:
    try:
        compile_shapes(shapes)
    except UnsupportedShapes:
        return False
    return True


def violation_line(result: Result, lines: Mapping[URIRef, str]) -> str:
    """``file:line: message (focus <iri>, path <p>, value v)`` for one result (see :func:`validate_graph`)."""
    focus = result.focus
    where = lines.get(focus) or lines.get(URIRef(str(focus).split("#")[0]))
    details = f"focus <{focus}>" + (f", path {result.path.text()}" if result.path else "") + (
        f", value {result.value.n3()}" if result.value is not None else ""
    )
    return f"{where}: {result.message} ({details})" if where else f"{result.message} ({details})"


def pyshacl_results(data: Graph, vocabulary: Vocabulary, shapes: Graph) -> list[Result]:
    """The results pySHACL reports for ``data`` merged with the vocabulary graph.

    The vocabulary is merged into the data rather than passed as pySHACL's ``ont_graph``,
    whose node-by-node mixing takes minutes on the linked concept schemes.
    """
    conforms, report, _ = shacl_validate(
        merged(data, vocabulary.graph),
        shacl_graph=shapes,
        inference="none",
        allow_warnings=True,
        advanced=True,
        inplace=True,  # the merged graph is this call's own copy: no need for pySHACL to clone it
    )
    if conforms:
        return []
    out = []
    for result in report.objects(report.value(None, RDF.type, SH.ValidationReport, any=False), SH.result):
        path = report.value(result, SH.resultPath)
        out.append(Result(
            focus=report.value(result, SH.focusNode),
            path=read_path(report, path) if path is not None else None,
            value=report.value(result, SH.value),
            message=str(report.value(result, SH.resultMessage) or "violates a shape"),
            severity=report.value(result, SH.resultSeverity),
            shape=report.value(result, SH.sourceShape),
        ))
    return out


def dataset_store(parts: list[Iterable[Triple]], vocabulary: Vocabulary) -> ox.Store:
    """An in-memory pyoxigraph store holding the triples of ``parts`` and the vocabulary graph
    (in the default graph)."""
    store = ox.Store()
    store.bulk_extend(_vocabulary_quads(vocabulary))
    for part in parts:
        store.bulk_extend(_quads(part))
    return store


@cache
def _vocabulary_quads(vocabulary: Vocabulary) -> tuple[ox.Quad, ...]:
    return tuple(_quads(vocabulary.graph))


def _quads(triples: Iterable[Triple]) -> list[ox.Quad]:
    """rdflib triples as pyoxigraph quads in the default graph, built term by term (faster than
    an N-Triples round trip for article-sized graphs); IRIs are converted once each."""
    iris: dict[URIRef, ox.NamedNode] = {}

    def term(node):
        if type(node) is URIRef:
            found = iris.get(node)
            if found is None:
                found = iris[node] = ox.NamedNode(node)
            return found
        return _to_ox(node)

    return [ox.Quad(term(s), term(p), term(o)) for s, p, o in triples]


def _to_ox(node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


def merged(*graphs: Graph) -> Graph:
    """One graph holding the triples of all ``graphs``."""
    out = Graph()
    for g in graphs:
        out += g
    return out


def touched(article: Graph, shared: Graph) -> list[Triple]:
    """The triples of ``shared`` (the gazetteer) about what ``article`` refers to, followed on
    through the IRIs they name in turn: an actor, the organisation it is a member of, a place and
    the country that contains it, a post and its role."""
    out: list[Triple] = []
    seen: set[URIRef] = set()
    frontier = [node for triple in article for node in (triple[0], triple[2]) if isinstance(node, URIRef)]
    while frontier:
        node = frontier.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in shared.triples((node, None, None)):
            out.append(triple)
            if isinstance(triple[2], URIRef) and triple[2] not in seen:
                frontier.append(triple[2])
    return out


def validate_article(
    article: Graph, gazetteer: Graph, vocabulary: Vocabulary, lines: Mapping[URIRef, str],
    *, engine: Engine = "auto",
) -> list[str]:
    """Validate one article graph with what it touches of the gazetteer (:func:`touched`).

    The violations are those :func:`validate_graph` reports for the article merged with the
    whole gazetteer, less the ones about gazetteer entries the article does not refer to
    (validate the gazetteer on its own for those), so the cost does not grow with the KB.
    """
    return _validate([article, touched(article, gazetteer)], vocabulary, lines, None, engine)


@dataclass(frozen=True)
class StoreValidation:
    """What :func:`validate_store` found: the store's named graphs, the violation lines by graph,
    and how many processes ran the queries."""

    graphs: list[str]
    violations: dict[str, list[str]]
    processes: int


#: From this many graphs on, :func:`validate_store` shares the queries between processes by default
#: (starting one costs about a second: below it, one process is done first).
PARALLEL_GRAPHS = 500


def validate_store(location: str, minter: IriMinter, workers: int | None = None) -> StoreValidation:
    """Validate the KB at ``location`` in one pass of the compiled shapes over the union of its
    article graphs, gazetteer and ontology graph; return the violation lines by the named graph
    holding the focus node's triples.

    The links graphs are left out (kb.links checks them against their own shapes when it makes
    them); a store holding them, or a SPARQL server, is validated on an in-memory copy of the other
    graphs. An embedded store without them is queried in place, the queries shared between
    ``workers`` processes (default: one per CPU from :data:`PARALLEL_GRAPHS` graphs on, else one;
    on the 1.4M-triple benchmark KB two processes took 14-16 s where one took 26-29 s on an idle
    2-core machine, while on busy cores two were slower than one).

    Unlike the per-article validation of ingest and build (each article with the gazetteer entries
    it touches, :func:`validate_article`, which ``kb validate --engine pyshacl`` runs), the union is
    validated as one graph: a constraint spanning graphs sees them all (sh:class satisfied by a type
    stated in another article graph, sh:maxCount counting the values of an IRI that two article
    graphs describe), and the vocabulary is the store's own ontology graph, not ontology/ as it is
    now. On the corpus of data/ and the generated benchmark KBs both report no violation.

    :raises StoreError: when the store cannot be opened.
    """
    compiled = compile_shapes(load_shapes())
    with open_store(location) as reader:
        names = reader.graph_names()
        prefix = str(minter.base["graph/article/"])
        shared = (str(minter.gazetteer_graph), str(minter.ontology_graph))
        graphs = [n for n in names if n.startswith(prefix) or n in shared]
        store, in_place = embedded_store(reader), True
        if store is None:  # a SPARQL server: an in-memory copy, which worker processes cannot open
            store, in_place = ox.Store(), False
            store.bulk_load(reader.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        if len(graphs) < len(names) or next(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None):
            # other graphs too: a copy of these (a long list of default graphs is very slow)
            store, in_place = _copy(store, graphs), False
        if workers is None:
            workers = (os.cpu_count() or 1) if len(graphs) >= PARALLEL_GRAPHS else 1
        processes = workers if in_place else 1
        if processes > 1:
            with ProcessPoolExecutor(processes) as pool:
                parts = pool.map(_validate_part, [location] * processes, [(i, processes) for i in range(processes)])
                results = [r for part in parts for r in part]
        else:
            results = compiled.violations(store)
        found: dict[str, list[str]] = {}
        for result in results:
            found.setdefault(_home_graph(store, result, set(graphs)), []).append(violation_line(result, {}))
    return StoreValidation(names, {name: sorted(lines) for name, lines in found.items()}, processes)


def embedded_store(reader: Store) -> ox.Store | None:
    """The pyoxigraph store behind an embedded store's reader (None for a SPARQL server)."""
    return reader.pyoxigraph_store if isinstance(reader, EmbeddedStore) else None


def _copy(store: ox.Store, graphs: list[str]) -> ox.Store:
    """An in-memory store holding ``graphs`` of ``store``."""
    copy = ox.Store()
    for name in graphs:
        copy.bulk_extend(store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    return copy


def _validate_part(location: str, part: tuple[int, int]) -> list[Result]:
    with open_store(location) as reader:
        return compile_shapes(load_shapes()).violations(embedded_store(reader), part=part)


def _home_graph(store: ox.Store, result: Result, validated: set[str]) -> str:
    """The graph of ``validated`` holding triples about the focus node (as subject, else as
    object); an article graph before the gazetteer and other graphs when several do."""
    focus = ox.NamedNode(str(result.focus)) if isinstance(result.focus, URIRef) else None
    if focus is None:
        return ""
    def holding(quads: Iterable[ox.Quad]) -> set[str]:
        return {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)} & validated

    names = holding(store.quads_for_pattern(focus, None, None)) or holding(store.quads_for_pattern(None, None, focus))
    return min(names, key=lambda n: ("/graph/article/" not in n, n)) if names else ""


def split_graphs(nquads: bytes) -> dict[str, bytes]:
    """N-Quads of a dataset as N-Triples per named graph (graph IRI -> bytes), parsed by pyoxigraph."""
    quads: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        if isinstance(quad.graph_name, ox.NamedNode):
            quads.setdefault(quad.graph_name.value, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
    return {name: ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) for name, triples in quads.items()}


def validate_articles(
    articles: Mapping[str, bytes], gazetteer: bytes, workers: int | None = None, *, engine: Engine = "auto",
) -> dict[str, list[str]]:
    """Validate article graphs (IRI -> N-Triples) each with what it touches of the gazetteer
    (N-Triples), in ``workers`` processes (default: one per CPU); return the violations by graph.

    The per-article counterpart of :func:`validate_store` (``kb validate --engine pyshacl``).
    """
    workers = workers or os.cpu_count() or 1
    names = sorted(articles)
    if workers == 1 or len(names) < 2:
        _start_worker(gazetteer, engine)
        return {name: _validate_one(articles[name]) for name in names}
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(gazetteer, engine)) as pool:
        found = pool.map(_validate_one, (articles[n] for n in names), chunksize=max(1, len(names) // (8 * workers)))
        return dict(zip(names, found, strict=True))


_worker: tuple[Graph, Engine] | None = None


def _start_worker(gazetteer: bytes, engine: Engine) -> None:
    global _worker
    _worker = Graph().parse(data=gazetteer.decode("utf-8"), format="nt"), engine
    load_shapes()


def _validate_one(article: bytes) -> list[str]:
    graph = Graph().parse(data=article.decode("utf-8"), format="nt")
    gazetteer, engine = _worker
    return validate_article(graph, gazetteer, load_vocabulary(), {}, engine=engine)
