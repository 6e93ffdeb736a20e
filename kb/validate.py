"""SHACL validation with pySHACL against ontology/shapes.ttl, reported in the user's terms."""

from __future__ import annotations

from collections.abc import Mapping

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kb.ontology import Vocabulary, load_shapes


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
