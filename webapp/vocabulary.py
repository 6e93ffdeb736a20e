"""The vocabularies at their namespace IRIs: ``/ontology``, ``/event-type/``, ``/shapes``.

Each answers as HTML documentation generated from its Turtle file (:mod:`kb.vocabdoc`) or as RDF,
negotiated like every linked-data document (:func:`webapp.linkeddata.negotiate`: HTML for
browsers and clients that accept anything, Turtle first among the RDF formats) or chosen by a
suffix: ``/ontology.ttl``, ``.nt``, ``.rdf``, ``.jsonld`` (``.html``), and ``/event-type.ttl`` ...
for the scheme. The Turtle is the file itself; JSON-LD refers to the context at
``/context.jsonld``.

Hash IRIs (``https://peacekb.example/ontology#Visit``) land on the term's anchor in the page. An
event type's slash IRI (``/event-type/visit``) answers 303 See Other: browsers go to its entry
in the scheme page (``/event-type/#visit``), RDF clients to the scheme in their format.

Answers carry ``Vary: Accept`` when negotiated, an ETag (304 when it still matches) and CORS
headers.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for

from kb.jsonld import CONTEXT_PATH, serialize_jsonld
from kb.jsonld import MEDIA_TYPE as JSONLD_MEDIA_TYPE
from kb.vocabdoc import (
    EVENT_TYPES,
    ONTOLOGY,
    SHAPES,
    VocabularyDocument,
    document_graph,
    event_type_names,
    event_types_doc,
    ontology_doc,
    shapes_doc,
    turtle,
)
from webapp.linkeddata import (
    BY_SUFFIX,
    DOCUMENT_FORMATS,
    VOCABULARY_ENDPOINTS,
    DocumentFormat,
    allow_any_origin,
    negotiate,
)

bp = Blueprint("vocabulary", __name__)
bp.after_request(allow_any_origin)

_SUFFIX_RULE = "<any(" + ", ".join(BY_SUFFIX) + "):suffix>"


@bp.context_processor
def _template_helpers() -> dict[str, object]:
    return {"rdf_formats": [f for f in DOCUMENT_FORMATS if f.suffix != "html"]}


@bp.get("/ontology", defaults={"suffix": None})
@bp.get(f"/ontology.{_SUFFIX_RULE}")
def ontology(suffix: str | None) -> Response:
    """The ontology (``peace.ttl``)."""
    return _answer(ONTOLOGY, suffix, lambda: render_template("vocabulary/ontology.html", doc=ontology_doc()))


@bp.get("/event-type/", defaults={"suffix": None})
@bp.get(f"/event-type.{_SUFFIX_RULE}")
def event_types(suffix: str | None) -> Response:
    """The event-type scheme (``event-types.ttl``)."""
    return _answer(EVENT_TYPES, suffix, lambda: render_template("vocabulary/event_types.html", doc=event_types_doc()))


@bp.get("/event-type/<name>")
def event_type(name: str) -> Response:
    """An event type (or ``scheme``): See Other to its entry in the scheme page, or to the scheme's RDF.

    :raises NotFound: the scheme has no such term (404).
    :raises NotAcceptable: the Accept header allows no format (406).
    """
    if name not in event_type_names():
        abort(404, f"no event type {name!r}; the scheme at {url_for('vocabulary.event_types')} lists them all.")
    fmt = negotiate(f"event type {name!r}")
    if fmt.suffix == "html":
        location = f"{url_for('vocabulary.event_types')}#{name}"
    else:
        location = url_for("vocabulary.event_types", suffix=fmt.suffix)
    response = redirect(location, 303)
    response.vary.add("Accept")
    return response


@bp.get("/shapes", defaults={"suffix": None})
@bp.get(f"/shapes.{_SUFFIX_RULE}")
def shapes(suffix: str | None) -> Response:
    """The SHACL shapes (``shapes.ttl``)."""
    return _answer(SHAPES, suffix, lambda: render_template("vocabulary/shapes.html", doc=shapes_doc()))


@bp.get("/context.jsonld")
def context() -> Response:
    """The JSON-LD context of every JSON-LD answer."""
    return _conditional(Response(CONTEXT_PATH.read_bytes(), mimetype=JSONLD_MEDIA_TYPE))


def _answer(document: VocabularyDocument, suffix: str | None, page: Callable[[], str]) -> Response:
    """``document`` in the format of ``suffix``, or as negotiated: the HTML ``page`` or RDF."""
    fmt = BY_SUFFIX[suffix] if suffix else negotiate(f"<{document.iri}>")
    response = Response(_body(document, fmt, page), mimetype=fmt.media_type)
    if not suffix:
        response.vary.add("Accept")
        response.headers["Content-Location"] = url_for(VOCABULARY_ENDPOINTS[document], suffix=fmt.suffix)
    return _conditional(response)


def _body(document: VocabularyDocument, fmt: DocumentFormat, page: Callable[[], str]) -> bytes | str:
    if fmt.suffix == "html":
        return page()
    if fmt.suffix == "ttl":
        return turtle(document)
    if fmt.suffix == "jsonld":
        return serialize_jsonld(document_graph(document), context_url=url_for("vocabulary.context", _external=True))
    return document_graph(document).serialize(format=fmt.rdflib_name, encoding="utf-8")


def _conditional(response: Response) -> Response:
    """``response`` with an ETag of its body, or 304 Not Modified if the client's copy matches."""
    response.add_etag()
    return response.make_conditional(request)
