"""The dataset as a whole: its VoID description (``/.well-known/void``) and its dumps (``/dumps/...``)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, send_from_directory, url_for

from kb.export import CHECKSUMS, NQUADS, TRIG, dumps_dir
from kb.void import dataset_iri, void_description
from webapp.db import get_store
from webapp.linkeddata import (
    BY_SUFFIX,
    DocumentFormat,
    allow_any_origin,
    base_iri,
    document,
    format_links,
    negotiate,
)
from webapp.rdfview import page

bp = Blueprint("dataset", __name__)
bp.after_request(allow_any_origin)


@bp.get("/.well-known/void")
def void() -> Response:
    """The VoID description in the format the Accept header prefers (HTML for browsers).

    :raises NotAcceptable: the Accept header allows no format (406).
    """
    chosen = negotiate("the VoID description")
    response = _void_document(chosen)
    response.vary.add("Accept")
    response.headers["Content-Location"] = f"{url_for('dataset.void')}.{chosen.suffix}"
    return response


@bp.get("/.well-known/void.<suffix>")
def void_as(suffix: str) -> Response:
    """The VoID description in the format of its suffix (``html``, ``ttl``, ``nt``, ``jsonld``, ``rdf``)."""
    if suffix not in BY_SUFFIX:
        abort(404, f"no format '.{suffix}'; use one of: " + ", ".join(f".{s}" for s in BY_SUFFIX) + ".")
    return _void_document(BY_SUFFIX[suffix])


@bp.get("/dumps/<name>")
def dump(name: str) -> Response:
    """A dump file of the whole KB (gzipped N-Quads or TriG, or their SHA256SUMS), sent conditionally.

    :raises NotFound: no such file (``kb build`` writes the dumps).
    """
    folder = dumps_dir(current_app.config["KB_STORE"])
    if not (folder / name).is_file():
        abort(404, f"no dump file '{name}' here; `kb build` writes {NQUADS}, {TRIG} and {CHECKSUMS}.")
    return send_from_directory(
        folder,
        name,
        mimetype="application/gzip" if name.endswith(".gz") else "text/plain",
    )


def _void_document(fmt: DocumentFormat) -> Response:
    store = get_store()
    folder = dumps_dir(current_app.config["KB_STORE"])
    dumps = [name for name in (NQUADS, TRIG) if (folder / name).is_file()]
    graph = void_description(store, base_iri(), store.last_modified(), dumps)
    stem = url_for("dataset.void")
    iri = dataset_iri(base_iri())
    return document(
        graph,
        fmt,
        stem,
        lambda: render_template("resources/page.html", iri=iri, page=page(graph, iri), formats=format_links(stem)),
    )
