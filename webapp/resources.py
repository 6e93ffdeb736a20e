"""Dereferenceable IRIs: ``/id/...`` for the things the KB mints, ``/graph/...`` for its named graphs.

A thing's IRI (``/id/actor/taliban``) answers ``303 See Other`` to the document about it, chosen
by the Accept header (``/id/actor/taliban.html``, ``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``); an
IRI that another replaces (``dcterms:isReplacedBy``) answers ``301`` to the new one. A named
graph is itself a document: its IRI answers 200 in the negotiated format, and its suffixed
addresses answer in theirs. A request path maps to the IRI ``KB_BASE_IRI`` + path.
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template

from kb.describe import UnknownResource, describe, exists, replaced_by
from webapp.db import get_store
from webapp.linkeddata import (
    DocumentFormat,
    allow_any_origin,
    base_iri,
    document,
    format_links,
    local_url,
    negotiate,
    split_suffix,
)
from webapp.rdfview import page, subjects

bp = Blueprint("resources", __name__)
bp.after_request(allow_any_origin)


@bp.get("/id/<path:path>")
def thing(path: str) -> Response:
    """See Other to the document about a thing, or the document itself (a suffixed path).

    :raises UnknownResource: the KB has nothing about the IRI (404).
    :raises NotAcceptable: the Accept header allows no format (406).
    :raises QueryError: the path does not make an IRI (400).
    """
    stem, fmt = split_suffix(path)
    iri = f"{base_iri()}id/{stem}"
    store = get_store()
    if new := replaced_by(store, iri):
        target = local_url(new)
        return redirect(f"{target}.{fmt.suffix}" if fmt and target.startswith("/") else target, 301)
    if fmt is None:
        if not exists(store, iri):
            raise UnknownResource(iri)
        response = redirect(f"{local_url(iri)}.{negotiate(f'<{iri}>').suffix}", 303)
        response.vary.add("Accept")
        return response
    description = describe(store, iri)
    if not len(description):
        raise UnknownResource(iri)
    stem_url = local_url(iri)
    return document(
        description,
        fmt,
        stem_url,
        lambda: render_template(
            "resources/page.html", iri=iri, page=page(description, iri), formats=format_links(stem_url)
        ),
    )


@bp.get("/graph/<path:path>")
def named_graph(path: str) -> Response:
    """A named graph's triples, in the format of its suffix or negotiated by Accept.

    :raises UnknownResource: no named graph has this IRI (404).
    :raises NotAcceptable: the Accept header allows no format (406).
    """
    stem, fmt = split_suffix(path)
    iri = f"{base_iri()}graph/{stem}"
    store = get_store()
    if iri not in store.graph_names():
        raise UnknownResource(iri)
    chosen: DocumentFormat = fmt or negotiate(f"graph <{iri}>")
    graph = store.graph(iri)
    stem_url = local_url(iri)
    response = document(
        graph,
        chosen,
        stem_url,
        lambda: render_template(
            "resources/graph.html",
            iri=iri,
            size=len(graph),
            subjects=subjects(graph),
            formats=format_links(stem_url),
        ),
    )
    if fmt is None:
        response.vary.add("Accept")
        response.headers["Content-Location"] = f"{stem_url}.{chosen.suffix}"
    return response
