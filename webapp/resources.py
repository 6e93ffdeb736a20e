"""Dereferenceable IRIs: ``/id/...`` for the things the KB mints, ``/graph/...`` for its named graphs.

A thing's IRI (``/id/actor/taliban``) answers ``303 See Other`` to the document about it, chosen
by the Accept header (``/id/actor/taliban.html``, ``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``, and
``.json``, the data of the HTML page). Events, proposals, actors, preconditions and articles have
pages made for readers (:mod:`kb.pages`, ``templates/pages/``) that end with the generic view of
their triples; any other thing has only the generic view (:mod:`webapp.rdfview`). An
IRI that another replaces (``dcterms:isReplacedBy``) answers ``301`` to the new one. A named
graph is itself a document: its IRI answers 200 in the negotiated format, and its suffixed
addresses answer in theirs. A request path maps to the IRI ``KB_BASE_IRI`` + path.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for

from kb.describe import UnknownResource, describe, exists, lookup_query, replaced_by
from kb.pages import as_json, page_data
from kb.sparql import best_match
from webapp.db import get_store
from webapp.linkeddata import (
    JSON,
    PAGE_BY_SUFFIX,
    PAGE_FORMATS,
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
    stem, fmt = split_suffix(path, PAGE_BY_SUFFIX)
    iri = f"{base_iri()}id/{stem}"
    store = get_store()
    if new := replaced_by(store, iri):
        target = local_url(new)
        return redirect(f"{target}.{fmt.suffix}" if fmt and target.startswith("/") else target, 301)
    if fmt is None:
        if not exists(store, iri):
            raise UnknownResource(iri)
        response = redirect(f"{local_url(iri)}.{negotiate(f'<{iri}>', PAGE_FORMATS).suffix}", 303)
        response.vary.add("Accept")
        return response
    description = describe(store, iri)
    if not len(description):
        raise UnknownResource(iri)
    stem_url = local_url(iri)
    formats = format_links(stem_url, PAGE_FORMATS)
    readable = page_data(store, iri) if fmt in (JSON, PAGE_BY_SUFFIX["html"]) else None

    def html() -> str:
        generic = page(description, iri)
        if readable is None:
            return render_template("resources/page.html", iri=iri, page=generic, formats=formats)
        return render_template(f"pages/{readable.kind}.html", iri=iri, data=readable, page=generic, formats=formats)

    def data() -> dict:
        if readable is None:
            return {"kind": "resource", "iri": iri, **asdict(page(description, iri))}
        return as_json(readable)

    return document(description, fmt, stem_url, html, data)


@bp.errorhandler(UnknownResource)
def unknown(error: UnknownResource) -> Response:
    """404 for an IRI the KB knows nothing about: what was asked and where to look instead, as
    HTML, or as JSON for a ``.json`` address or a client that prefers JSON."""
    search = url_for("sparql.endpoint", query=lookup_query(error.iri), format="html")
    timeline = url_for("timeline.index")
    offered = ["text/html", "application/json", "text/plain"]
    wanted = "application/json" if request.path.endswith(".json") else best_match(
        request.headers.get("Accept"), offered
    )
    if wanted == "application/json":
        response = jsonify(error={
            "status": 404, "title": "Not Found", "message": str(error), "iri": error.iri,
            "links": {"timeline": timeline, "search": search},
        })
        response.status_code = 404
    elif wanted != "text/html" and request.accept_mimetypes:
        response = Response(f"404 Not Found: {error} Search: {search}\n", status=404, mimetype="text/plain")
    else:
        html = render_template("errors/not_found.html", iri=error.iri, search=search, timeline=timeline)
        response = Response(html, status=404, mimetype="text/html")
    response.vary.add("Accept")
    return response


@bp.get("/graph/<path:path>")
def named_graph(path: str) -> Response:
    """A named graph's triples, in the format of its suffix or negotiated by Accept.

    :raises UnknownResource: no named graph has this IRI (404).
    :raises NotAcceptable: the Accept header allows no format (406).
    """
    stem, fmt = split_suffix(path, PAGE_BY_SUFFIX)
    iri = f"{base_iri()}graph/{stem}"
    store = get_store()
    if iri not in store.graph_names():
        raise UnknownResource(iri)
    chosen: DocumentFormat = fmt or negotiate(f"graph <{iri}>", PAGE_FORMATS)
    graph = store.graph(iri)
    stem_url = local_url(iri)
    listed = subjects(graph)
    response = document(
        graph,
        chosen,
        stem_url,
        lambda: render_template(
            "resources/graph.html", iri=iri, size=len(graph), subjects=listed,
            formats=format_links(stem_url, PAGE_FORMATS),
        ),
        lambda: {"kind": "graph", "iri": iri, "size": len(graph), "subjects": [
            {"resource": asdict(resource), "types": [asdict(t) for t in types]} for resource, types in listed
        ]},
    )
    if fmt is None:
        response.vary.add("Accept")
        response.headers["Content-Location"] = f"{stem_url}.{chosen.suffix}"
    return response
