"""``/sparql``: the SPARQL 1.1 Protocol for queries, and a minimal query page for browsers.

Queries come as ``GET ?query=``, as a ``POST`` of ``application/x-www-form-urlencoded`` (``query=``)
or as a ``POST`` of ``application/sparql-query`` (the query is the body); ``default-graph-uri`` and
``named-graph-uri`` (repeatable) set the dataset, and ``format`` overrides the Accept header.
``format=html`` answers with the query page and the results as a table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from flask import Blueprint, Response, render_template, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from kb.namespaces import sparql_prefixes
from kb.sparql import UpdateRefused, best_match, execute
from kb.store import QueryAnswer
from webapp.db import get_store

bp = Blueprint("sparql", __name__)

_FORM = "application/x-www-form-urlencoded"
_DIRECT = "application/sparql-query"
_UPDATE = "application/sparql-update"
_PAGE_ACCEPT = "application/sparql-results+json, text/turtle"
_SAMPLE_QUERY = """
SELECT ?date ?event ?label WHERE {
  ?event a sem:Event ;
         rdfs:label ?label ;
         sem:hasTimeStamp ?date .
}
ORDER BY ?date
LIMIT 50
"""


@dataclass(frozen=True)
class _Operation:
    """A protocol request: its query (None if absent) and its other parameters."""

    query: str | None
    params: MultiDict[str, str]


@bp.after_request
def _allow_any_origin(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    return response


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response | str:
    """Answer a SPARQL query; without one, show the query page to browsers.

    :raises BadRequest: no query, several, a body that is not UTF-8.
    :raises UnsupportedMediaType: a POST that is neither a form nor ``application/sparql-query``.
    :raises UpdateRefused, NotAcceptable, QueryError, StoreError: see :func:`kb.sparql.execute`.
    """
    operation = _read_operation()
    fmt = operation.params.get("format") or None
    if operation.query is None:
        wanted = best_match(request.headers.get("Accept"), ("application/sparql-results+json", "text/html"))
        if fmt == "html" or wanted == "text/html":
            return render_template("sparql/form.html", query=sparql_prefixes() + _SAMPLE_QUERY)
        raise BadRequest(
            "no query: give it as ?query=..., as the form field query=..., "
            f"or as the body of a POST of {_DIRECT}."
        )
    dataset = {
        "default_graphs": operation.params.getlist("default-graph-uri"),
        "named_graphs": operation.params.getlist("named-graph-uri"),
    }
    if fmt == "html":
        answer = execute(get_store(), operation.query, accept=_PAGE_ACCEPT, **dataset)
        return render_template("sparql/form.html", query=operation.query, **_table(answer))
    answer = execute(get_store(), operation.query, accept=request.headers.get("Accept"), fmt=fmt, **dataset)
    response = Response(answer.body, mimetype=answer.media_type)
    response.vary.add("Accept")
    return response


def _read_operation() -> _Operation:
    if request.method == "GET":
        params = _decode_params(request.query_string, "the query string")
        return _Operation(_single_query(params, required=False), params)
    media_type = request.mimetype
    if media_type == _FORM:
        params = _decode_params(request.get_data(), "the form body")
        if "update" in params:
            raise UpdateRefused()
        return _Operation(_single_query(params, required=True), params)
    if media_type == _DIRECT:
        params = _decode_params(request.query_string, "the query string")
        if "query" in params:
            raise BadRequest(f"a POST of {_DIRECT} carries the query in its body, not in ?query=.")
        try:
            query = request.get_data().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadRequest(f"the query is not UTF-8 (byte {exc.start} of the body).") from exc
        if not query.strip():
            raise BadRequest("the request body is empty: send the query as the body.")
        return _Operation(query, params)
    if media_type == _UPDATE:
        raise UpdateRefused()
    raise UnsupportedMediaType(
        f"POST a query as {_FORM} (query=...) or as {_DIRECT}, not as {media_type or 'a body without Content-Type'}."
    )


def _decode_params(raw: bytes, where: str) -> MultiDict[str, str]:
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"{where} is not UTF-8.") from exc
    return MultiDict(pairs)


def _single_query(params: MultiDict[str, str], *, required: bool) -> str | None:
    queries = params.getlist("query")
    if len(queries) > 1:
        raise BadRequest(f"{len(queries)} query parameters: give exactly one.")
    if queries and queries[0].strip():
        return queries[0]
    if required:
        raise BadRequest("no query: the form has no (or an empty) query field.")
    return None


def _table(answer: QueryAnswer) -> dict[str, Any]:
    """What the query page shows of an answer: a table, a boolean, or the graph as Turtle."""
    if answer.kind == "graph":
        return {"graph": answer.body.decode("utf-8")}
    data = json.loads(answer.body)
    if answer.kind == "ask":
        return {"boolean": data["boolean"]}
    variables = data["head"]["vars"]
    return {"variables": variables, "rows": [[row.get(v) for v in variables] for row in data["results"]["bindings"]]}
