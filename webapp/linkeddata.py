"""What every linked-data document shares: its formats, content negotiation and response headers.

A document is a graph served as HTML or RDF; which one comes from a file-name suffix
(``/id/actor/taliban.ttl``) or, for a negotiated address, from the Accept header, matched with
:func:`kb.sparql.best_match` against the media types of :data:`kb.sparql.FORMATS`. The pages of
the KB's things (``/id/...``) also have a JSON twin, :data:`JSON` (the page's data, not RDF).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, request, url_for
from rdflib import Graph

from kb.jsonld import serialize_jsonld
from kb.namespaces import PREFIXES
from kb.sparql import FORMATS, NotAcceptable, best_match
from kb.vocabdoc import EVENT_TYPES, ONTOLOGY, SHAPES, locate
from webapp.db import get_store

VOID_IN_DATASET = "http://rdfs.org/ns/void#inDataset"


@dataclass(frozen=True)
class DocumentFormat:
    """A representation of a document: file-name suffix, label, media types (the first is served)
    and rdflib serialiser (None for HTML, rendered by a template, and JSON-LD, by :mod:`kb.jsonld`)."""

    suffix: str
    label: str
    media_types: tuple[str, ...]
    rdflib_name: str | None = None

    @property
    def media_type(self) -> str:
        return self.media_types[0]


def _rdf(suffix: str, name: str, label: str, rdflib_name: str | None) -> DocumentFormat:
    media_types = next(f.media_types for f in FORMATS["graph"] if f.name == name)
    return DocumentFormat(suffix, label, media_types, rdflib_name)


#: The representations of every document, in order of preference when an Accept header ties
#: (so a client that accepts anything gets HTML).
DOCUMENT_FORMATS: tuple[DocumentFormat, ...] = (
    DocumentFormat("html", "HTML", ("text/html",)),
    _rdf("ttl", "turtle", "Turtle", "turtle"),
    _rdf("nt", "ntriples", "N-Triples", "nt"),
    _rdf("jsonld", "jsonld", "JSON-LD", None),
    _rdf("rdf", "rdfxml", "RDF/XML", "xml"),
)
BY_SUFFIX = {f.suffix: f for f in DOCUMENT_FORMATS}
#: The data of an HTML page as plain JSON, for app builders (JSON-LD stays at ``.jsonld``).
JSON = DocumentFormat("json", "JSON", ("application/json",))
#: The representations of a thing's page: the documents' and its JSON twin, which comes before
#: JSON-LD so that ``Accept: application/json`` (also a JSON-LD media type) gets the page's data.
PAGE_FORMATS: tuple[DocumentFormat, ...] = (DOCUMENT_FORMATS[0], JSON, *DOCUMENT_FORMATS[1:])
PAGE_BY_SUFFIX = {f.suffix: f for f in PAGE_FORMATS}


def base_iri() -> str:
    """The configured base of the KB's IRIs, ending with '/'."""
    base: str = current_app.config["KB_BASE_IRI"]
    return base if base.endswith("/") else base + "/"


VOCABULARY_ENDPOINTS = {
    ONTOLOGY: "vocabulary.ontology", EVENT_TYPES: "vocabulary.event_types", SHAPES: "vocabulary.shapes",
}


def local_url(iri: str) -> str:
    """Where ``iri`` is served by this server: under the base IRI, or a term of the project's
    vocabularies (its anchor in their documentation); any other IRI is returned as it is."""
    found = locate(iri)
    if found is not None:
        document, local = found
        path = url_for(VOCABULARY_ENDPOINTS[document])
        return f"{path}#{local}" if local else path
    base = base_iri()
    return f"{request.script_root}/{iri[len(base):]}" if iri.startswith(base) else iri


def split_suffix(
    path: str, suffixes: Mapping[str, DocumentFormat] = BY_SUFFIX
) -> tuple[str, DocumentFormat | None]:
    """``path`` without a known format suffix (one of ``suffixes``), and that format (None if it has none)."""
    stem, dot, suffix = path.rpartition(".")
    if dot and stem and suffix in suffixes:
        return stem, suffixes[suffix]
    return path, None


def negotiate(what: str, formats: tuple[DocumentFormat, ...] = DOCUMENT_FORMATS) -> DocumentFormat:
    """The representation among ``formats`` that the request's Accept header prefers.

    :raises NotAcceptable: it accepts none of ``formats``.
    """
    accept = request.headers.get("Accept")
    chosen = best_match(accept, [m for f in formats for m in f.media_types])
    if chosen is None:
        available = ", ".join(f.media_type for f in formats)
        raise NotAcceptable(f"{what} is not available as Accept: {accept}; ask for one of: {available}.")
    return next(f for f in formats if chosen in f.media_types)


def serialize(graph: Graph, fmt: DocumentFormat) -> bytes:
    """``graph`` in an RDF format (not HTML)."""
    if fmt.suffix == "jsonld":
        return serialize_jsonld(graph)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph.serialize(format=fmt.rdflib_name, encoding="utf-8")


def format_links(
    stem: str, formats: tuple[DocumentFormat, ...] = DOCUMENT_FORMATS
) -> list[tuple[DocumentFormat, str]]:
    """Every representation (of ``formats``) of the document at local path ``stem``, with its address."""
    return [(f, f"{stem}.{f.suffix}") for f in formats]


def document(
    graph: Graph,
    fmt: DocumentFormat,
    stem: str,
    html: Callable[[], str],
    data: Callable[[], Mapping[str, Any]] | None = None,
) -> Response:
    """The document at local path ``stem`` in format ``fmt``, answered conditionally.

    ``data`` gives the page's data for its JSON twin (:data:`JSON`); a document without it has none.

    It carries an ETag (a hash of the body), Last-Modified (the store's last write), a Link to
    the dataset (``void:inDataset``) and Links to its other representations; a request whose
    If-None-Match or If-Modified-Since still holds gets 304. The JSON-LD document links no
    alternates: pyld (3.3) fails on a response with several ``rel="alternate"`` links.
    """
    if fmt == JSON and data is not None:
        body = json.dumps(data(), ensure_ascii=False, indent=1).encode("utf-8")
    else:
        body = html().encode("utf-8") if fmt.suffix == "html" else serialize(graph, fmt)
    response = Response(body, mimetype=fmt.media_type)
    links = [f'<{url_for("dataset.void")}#dataset>; rel="{VOID_IN_DATASET}"']
    if fmt.suffix != "jsonld":
        links += [
            f'<{address}>; rel="alternate"; type="{other.media_type}"'
            for other, address in format_links(stem, PAGE_FORMATS if data is not None else DOCUMENT_FORMATS)
            if other != fmt
        ]
    response.headers["Link"] = ", ".join(links)
    response.add_etag()
    response.last_modified = get_store().last_modified()
    return response.make_conditional(request)


def allow_any_origin(response: Response) -> Response:
    """CORS: any web page may read the KB's documents and their ETag and Link headers."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Link"
    return response
