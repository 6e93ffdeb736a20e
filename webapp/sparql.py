"""``/sparql``: the SPARQL 1.1 Protocol for queries, and a minimal query page for browsers.

Queries come as ``GET ?query=``, as a ``POST`` of ``application/x-www-form-urlencoded`` (``query=``)
or as a ``POST`` of ``application/sparql-query`` (the query is the body); ``default-graph-uri`` and
``named-graph-uri`` (repeatable) set the dataset, and ``format`` overrides the Accept header.
``format=html`` answers with the query page (:mod:`webapp.query_page`) and the answer on it.

A GET without any parameter answers browsers (Accept prefers ``text/html``) with the query page
and other clients (no Accept, ``*/*`` or an RDF type) with the SPARQL 1.1 Service Description
(:mod:`kb.service_description`) in the negotiated RDF format. Updates, however they come
(``update=`` in a GET or a form, ``application/sparql-update``, an update as ``query=``), get 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from flask import Blueprint, Response, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from kb.jsonld import serialize_jsonld
from kb.namespaces import PREFIXES
from kb.service_description import graph_names, service_description
from kb.sparql import FORMATS, Format, UpdateRefused, best_match, choose_format, execute
from webapp import query_page
from webapp.db import get_store

bp = Blueprint("sparql", __name__)

_FORM = "application/x-www-form-urlencoded"
_DIRECT = "application/sparql-query"
_UPDATE = "application/sparql-update"
#: What a GET without a query can answer: the service description in an RDF format, or the page.
_NO_QUERY_OFFERS = (*(m for f in FORMATS["graph"] for m in f.media_types), "text/html")
#: rdflib's serialiser for each graph format of :data:`kb.sparql.FORMATS` (JSON-LD: kb.jsonld).
#: TriG gets Turtle, which is TriG without graphs: rdflib's TriG writer would put the triples in a
#: graph named by the rdflib graph's own identifier rather than in the default graph.
_RDFLIB_NAMES = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "trig": "turtle"}


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
    """Answer a SPARQL query; without one, the query page (browsers) or the service description.

    :raises BadRequest: no query, several, a body that is not UTF-8 (or declared in another charset).
    :raises UnsupportedMediaType: a POST that is neither a form nor ``application/sparql-query``.
    :raises UpdateRefused, NotAcceptable, QueryError, StoreError: see :func:`kb.sparql.execute`.
    """
    operation = _read_operation()
    fmt = operation.params.get("format") or None
    if operation.query is None:
        return _without_query(operation.params, fmt)
    dataset = {
        "default_graphs": operation.params.getlist("default-graph-uri"),
        "named_graphs": operation.params.getlist("named-graph-uri"),
        "base_iri": url_for("sparql.endpoint", _external=True),
    }
    if fmt == "html":
        return query_page.results_page(operation.query, dataset)
    answer = execute(get_store(), operation.query, accept=request.headers.get("Accept"), fmt=fmt, **dataset)
    response = Response(answer.body, mimetype=answer.media_type)
    response.vary.add("Accept")
    return response


def _without_query(params: MultiDict[str, str], fmt: str | None) -> Response | str:
    """A GET without a query: the query page for a browser, the service description for others.

    :raises BadRequest: the request has protocol parameters but no query, or accepts neither.
    """
    accept = request.headers.get("Accept")
    if fmt == "html" or (fmt is None and best_match(accept, _NO_QUERY_OFFERS) == "text/html"):
        return query_page.new_query_page()
    description_format = choose_format("graph", accept=accept, fmt=fmt)
    if description_format is not None and all(name == "format" for name in params):
        return _service_description(description_format)
    raise BadRequest(
        "no query: give it as ?query=..., as the form field query=..., "
        f"or as the body of a POST of {_DIRECT}. A GET without parameters answers the service "
        "description in an RDF format (text/turtle, ...)."
    )


def _service_description(fmt: Format) -> Response:
    graph = service_description(url_for("sparql.endpoint", _external=True), graph_names(get_store()))
    if fmt.name == "jsonld":
        body = serialize_jsonld(graph)
    else:
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        body = graph.serialize(format=_RDFLIB_NAMES[fmt.name], encoding="utf-8")
    response = Response(body, mimetype=fmt.media_types[0])
    response.vary.add("Accept")
    return response


def _read_operation() -> _Operation:
    if request.method == "GET":
        params = _decode_params(request.query_string, "the query string")
        if "update" in params:
            raise UpdateRefused()
        return _Operation(_single_query(params, required=False), params)
    media_type = request.mimetype
    if media_type == _UPDATE:
        raise UpdateRefused()
    if media_type in (_FORM, _DIRECT):
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise BadRequest(f"the body is declared as charset={charset}; send it as UTF-8.")
    if media_type == _FORM:
        # The protocol puts every parameter in the body; some clients (and the W3C tests) put the
        # dataset parameters in the URL, so both are read (a query in both is two queries: 400).
        body = _decode_params(request.get_data(), "the form body")
        url = _decode_params(request.query_string, "the query string")
        params = MultiDict([*body.items(multi=True), *url.items(multi=True)])
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
