"""SPARQL Update on the KB: validated against the shapes, then written in one step.

:func:`apply_update` runs the update on a scratch copy of the dataset, finds the named graphs it
changed, validates them together with the gazetteer and the vocabulary (:mod:`kb.validate`),
and only then writes those graphs with the store's own write path (``replace_graphs``: one new
generation of an embedded store; the update or Graph Store Protocol path of a remote one).
Updates that would fetch from elsewhere (``LOAD``, ``SERVICE``) are refused before anything runs.
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kb.errors import KBError, QueryError
from kb.namespaces import IriMinter
from kb.ontology import load_vocabulary
from kb.sparql import ServiceRefused, outbound_keyword
from kb.store import Store
from kb.validate import merged, validate_graph


class UpdateInvalid(KBError):
    """The update would leave graphs that violate the SHACL shapes; nothing was written."""

    def __init__(self, violations: list[str]) -> None:
        lines = "\n".join(f"  - {v}" for v in violations)
        super().__init__(
            f"the update was not applied: the graphs it changes would have {len(violations)} SHACL "
            f"violation(s):\n{lines}"
        )
        self.violations = violations


def apply_update(store: Store, update: str, minter: IriMinter, *, base_iri: str | None = None) -> list[str]:
    """Apply the SPARQL Update ``update`` to ``store`` (opened for writing); return the IRIs of
    the named graphs it changed, sorted (none: nothing was written).

    The update sees the dataset as it is stored: the named graphs, and an empty default graph
    (write with ``GRAPH <iri> { ... }`` or ``WITH <iri>``). ``base_iri`` resolves relative IRIs.

    :raises ServiceRefused: the update uses ``LOAD`` or ``SERVICE``.
    :raises QueryError: the update is malformed, or writes into the default graph.
    :raises UpdateInvalid: a changed graph would violate the shapes; the store is unchanged.
    :raises StoreError: the store cannot be read or written.
    """
    keyword = outbound_keyword(update)
    if keyword:
        raise ServiceRefused(keyword)
    scratch = ox.Store()
    scratch.load(store.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    before = _fingerprints(scratch)
    try:
        scratch.update(update, base_iri=base_iri)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error in the update: {exc}") from exc
    except (ValueError, OSError) as exc:
        raise QueryError(f"the update cannot be applied: {exc}") from exc
    if next(scratch.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is not None:
        raise QueryError(
            "the update writes into the default graph, which the KB does not keep (queries see the "
            "union of the named graphs there); write into a named graph with GRAPH <iri> { ... } or WITH <iri>."
        )
    after = _fingerprints(scratch)
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    if not changed:
        return []
    graphs = {URIRef(name): _graph(scratch, name) for name in changed}
    gazetteer = _graph(scratch, str(minter.gazetteer_graph))
    violations = validate_graph(merged(*graphs.values(), gazetteer), load_vocabulary(), {})
    if violations:
        raise UpdateInvalid(violations)
    store.replace_graphs(graphs)
    return changed


def _fingerprints(store: ox.Store) -> dict[str, str]:
    """Each named graph's IRI -> a digest of its triples (sorted N-Triples lines)."""
    prints = {}
    for name in store.named_graphs():
        lines = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name).splitlines()
        if lines:
            prints[name.value] = hashlib.sha256(b"\n".join(sorted(lines))).hexdigest()
    return prints


def _graph(store: ox.Store, name: str) -> Graph:
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
    return Graph().parse(data=data.decode("utf-8"), format="nt")
