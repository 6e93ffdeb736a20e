"""Errors mapped to HTTP status codes in one place, answered as HTML, JSON or plain text.

The representation follows the request's Accept header: browsers get an HTML page, JSON clients
a JSON object ``{"error": {"status", "title", "message"}}``, other clients (SPARQL tools asking for
CSV, say) plain text. A ``.json`` address (``/timeline.json``) always answers its errors in JSON.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from kb.describe import UnknownResource, lookup_query
from kb.errors import KBError, QueryError, StoreError
from kb.limits import QueryTimeout
from kb.sparql import MalformedAccept, NotAcceptable, ServiceRefused, UpdateRefused, best_match
from kb.update import UpdateInvalid

#: The kb errors a request can cause, most specific first, with their status codes.
STATUS_BY_ERROR: tuple[tuple[type[KBError], int], ...] = (
    (UnknownResource, 404),
    (UpdateRefused, 403),
    (ServiceRefused, 403),
    (NotAcceptable, 406),
    (MalformedAccept, 400),
    (QueryTimeout, 503),
    (UpdateInvalid, 422),
    (QueryError, 400),
    (StoreError, 503),
)
_OFFERS = ("text/html", "application/json", "application/sparql-results+json", "text/plain")


def init_app(app: Flask) -> None:
    for error_type, _ in STATUS_BY_ERROR:
        app.register_error_handler(error_type, _kb_error)
    app.register_error_handler(HTTPException, _http_error)


def _kb_error(error: KBError) -> Response:
    status = next(code for error_type, code in STATUS_BY_ERROR if isinstance(error, error_type))
    lookup = lookup_query(error.iri) if isinstance(error, UnknownResource) else None
    return _respond(status, str(error), lookup)


def _http_error(error: HTTPException) -> Response:
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    response = _respond(error.code or 500, error.description or "")
    response.headers.extend(headers)
    return response


def _respond(status: int, message: str, lookup: str | None = None) -> Response:
    """The error ``status`` with ``message``, in the representation the client accepts.

    ``lookup`` is a SPARQL query that the HTML page offers to run (for an unknown IRI).
    """
    title = HTTP_STATUS_CODES.get(status, "Error")
    if request.path.endswith(".json"):  # a JSON address (/timeline.json) answers its errors in JSON
        representation = "application/json"
    else:
        representation = best_match(request.headers.get("Accept"), _OFFERS) or "text/plain"
    if representation == "text/html":
        html = render_template("errors/error.html", status=status, title=title, message=message, lookup=lookup)
        response = Response(html, status=status, mimetype="text/html")
    elif representation == "text/plain":
        response = Response(f"{status} {title}: {message}\n", status=status, mimetype="text/plain")
    else:
        response = jsonify(error={"status": status, "title": title, "message": message})
        response.status_code = status
    response.vary.add("Accept")
    return response
