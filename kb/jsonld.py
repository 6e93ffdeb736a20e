"""JSON-LD compacted with the project's published context (``ontology/context.jsonld``).

Every JSON-LD output of the KB (the vocabularies, CONSTRUCT and DESCRIBE answers) goes through
:func:`serialize_jsonld`, so the same short terms (``label``, ``eventType``, ``hasActor`` ...)
appear everywhere. rdflib uses a term of the context only where it gives back the same triple (a
term with ``"@language": "en"`` only for English strings, a coerced datatype only for literals of
that datatype), so parsing the output gives the graph that was serialised (tested on the seed KB).
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph
from rdflib.plugins.serializers.jsonld import from_rdf
from rdflib.plugins.shared.jsonld.context import Context

from kb.config import ONTOLOGY_DIR

CONTEXT_PATH = ONTOLOGY_DIR / "context.jsonld"
MEDIA_TYPE = "application/ld+json"


def load_context() -> dict[str, Any]:
    """The context document ``{"@context": {...}}``, parsed afresh (callers may change it)."""
    return json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))


def serialize_jsonld(graph: Graph, *, context_url: str | None = None) -> bytes:
    """``graph`` as compacted JSON-LD (UTF-8): ``{"@context": ..., "@graph": [nodes by id]}``.

    The context is inlined, or referenced as ``context_url`` where the same context is published
    (the web app's ``/context.jsonld``). Nodes are sorted by id, so equal graphs give equal bytes.
    """
    inline = load_context()["@context"]
    context = Context(inline)
    compacted = from_rdf(graph, context_data=context)
    del compacted["@context"]
    nodes = compacted.get(context.graph_key, [compacted])  # one node comes back unwrapped
    document = {
        "@context": context_url or inline,
        "@graph": sorted(nodes, key=lambda node: str(node.get(context.id_key, ""))),
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
