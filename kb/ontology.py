"""The project's vocabulary files: the OWL ontology, the event-type scheme and the shapes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from kb.config import ONTOLOGY_DIR
from kb.namespaces import ETYPE, PEACE, SEM


@dataclass(frozen=True)
class Vocabulary:
    """The ontology and event types as one graph, with the look-ups the converter needs."""

    graph: Graph

    def event_types(self) -> set[str]:
        """The local names of the event types (the ``type:`` values of annotations).

        Every concept under a CAMEO root is a type, with or without a ``peace:eventClass`` of its own.
        """
        return {
            str(c)[len(str(ETYPE)):]
            for c in self.graph.subjects(SKOS.broader, None)
            if str(c).startswith(str(ETYPE))
        }

    def event_classes(self, event_type: str) -> list[URIRef]:
        """The peace: class of an event type and all its superclasses (sem:Event included)."""
        cls = self.graph.value(ETYPE[event_type], PEACE.eventClass) or PEACE.Event
        classes = [cls, *self.graph.transitive_objects(cls, RDFS.subClassOf)]
        seen: list[URIRef] = []
        for c in classes:
            if isinstance(c, URIRef) and c not in seen:
                seen.append(c)
        if SEM.Event not in seen:
            seen.append(SEM.Event)
        return seen


@cache
def load_vocabulary(folder: Path = ONTOLOGY_DIR) -> Vocabulary:
    """Parse peace.ttl and event-types.ttl from ``folder`` (once per process)."""
    g = Graph()
    for name in ("peace.ttl", "event-types.ttl"):
        g.parse(folder / name, format="turtle")
    return Vocabulary(g)


@cache
def load_shapes(folder: Path = ONTOLOGY_DIR) -> Graph:
    """Parse shapes.ttl from ``folder`` (once per process)."""
    return Graph().parse(folder / "shapes.ttl", format="turtle")
