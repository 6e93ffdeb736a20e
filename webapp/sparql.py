"""``/sparql``: the SPARQL 1.1 Protocol for queries, and a minimal query page for browsers.

Queries come as ``GET ?query=``, as a ``POST`` of ``application/x-www-form-urlencoded`` (``query=``)
or as a ``POST`` of ``application/sparql-query`` (the query is the body); ``default-graph-uri`` and
``named-graph-uri`` (repeatable) set the dataset, or ``as_of=YYYY-MM-DD`` sets it to the graphs
known that day (:mod:`kb.as_of`); ``format`` overrides the Accept header.
``format=html`` answers with the query page (:mod:`webapp.query_page`) and the answer on it.

A GET without any parameter answers browsers (Accept prefers ``text/html``) with the query page
and other clients (no Accept, ``*/*`` or an RDF type) with the SPARQL 1.1 Service Description
(:mod:`kb.service_description`) in the negotiated RDF format.

Limits (settings of :class:`kb.config.Settings`, in the app's config): on an embedded store queries run in a pool of
worker processes (:mod:`kb.query_pool`) that stops one at ``KB_QUERY_TIMEOUT`` seconds (503);
every answer is cut to ``KB_MAX_ROWS`` rows or triples and says so in the headers ``KB-Max-Rows``
and ``KB-Truncated``.

Updates (``update=`` in a form, ``application/sparql-update``) get 403 unless ``KB_UPDATE_TOKEN``
is set; then a POST with ``Authorization: Bearer <token>`` is applied by :func:`kb.update.apply_update`
(422 when it would break the shapes), and a missing or wrong token gets 401. An update as ``query=``
or in a GET is always refused.
"""

from __future__ import annotations

import hmac
import threading
import weakref
from dataclasses import dataclass
from urllib.parse import parse_qsl

from flask import Blueprint, Flask, Response, current_app, request, url_for
from werkzeug.datastructures import MultiDict, WWWAuthenticate
from werkzeug.exceptions import BadRequest, Unauthorized, UnsupportedMediaType

from kb.as_of import as_of_dataset, known_graphs, parse_day
from kb.jsonld import serialize_jsonld
from kb.namespaces import PREFIXES, IriMinter
from kb.query_pool import QueryPool
from kb.service_description import graph_names, service_description
from kb.sparql import FORMATS, Format, QueryableStore, UpdateRefused, best_match, choose_format, execute
from kb.store import is_remote, open_store
from kb.update import apply_update
from webapp import query_page
from webapp.db import get_store

bp = Blueprint("sparql", __name__)

_FORM = "application/x-www-form-urlencoded"
_DIRECT = "application/sparql-query"
_UPDATE = "application/sparql-update"
_POOL = "kb.query_pool"
_POOL_LOCK = threading.Lock()
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
    update: str | None = None


@bp.after_request
def _allow_any_origin(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "KB-Max-Rows, KB-Truncated"
    response.headers["KB-Max-Rows"] = str(current_app.config["KB_MAX_ROWS"])
    response.headers.setdefault("KB-Truncated", "false")
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, Authorization"
    return response


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response | str:
    """Answer a SPARQL query; without one, the query page (browsers) or the service description.

    :raises BadRequest: no query, several, a body that is not UTF-8 (or declared in another charset).
    :raises UnsupportedMediaType: a POST that is neither a form nor ``application/sparql-query``.
    :raises UpdateRefused, NotAcceptable, QueryError, StoreError: see :func:`kb.sparql.execute`.
    """
    operation = _read_operation()
    if operation.update is not None:
        return _update(operation)
    fmt = operation.params.get("format") or None
    if operation.query is None:
        return _without_query(operation.params, fmt)
    dataset = {
        "default_graphs": operation.params.getlist("default-graph-uri"),
        "named_graphs": operation.params.getlist("named-graph-uri"),
        "base_iri": url_for("sparql.endpoint", _external=True),
    }
    if "as_of" in operation.params:
        dataset["default_graphs"], dataset["named_graphs"] = _as_of_dataset(operation.params)
    if fmt == "html":
        return query_page.results_page(operation.query, dataset, query_store())
    answer = execute(
        query_store(), operation.query, accept=request.headers.get("Accept"), fmt=fmt,
        max_rows=current_app.config["KB_MAX_ROWS"], **dataset,
    )
    response = Response(answer.body, mimetype=answer.media_type)
    response.headers["KB-Truncated"] = "true" if answer.truncated else "false"
    response.vary.add("Accept")
    return response


def _as_of_dataset(params: MultiDict[str, str]) -> tuple[list[str], list[str]]:
    """The dataset of ``as_of=YYYY-MM-DD``: the graphs known that day (:func:`kb.as_of.known_graphs`)
    as the default graph and as the named graphs.

    :raises BadRequest: ``as_of`` given twice, or with ``default-graph-uri`` / ``named-graph-uri``.
    :raises AsOfError: the value is not a date of the form YYYY-MM-DD (400).
    """
    days = params.getlist("as_of")
    if len(days) != 1:
        raise BadRequest(f"give as_of once, not {len(days)} times.")
    if "default-graph-uri" in params or "named-graph-uri" in params:
        raise BadRequest("as_of chooses the graphs itself (those known that day): drop default-graph-uri and "
                         "named-graph-uri, or drop as_of and name the graphs.")
    day = parse_day(days[0])
    return as_of_dataset(known_graphs(get_store(), day, current_app.config["KB_BASE_IRI"]))


def query_store() -> QueryableStore:
    """What answers the app's queries: the app's worker pool on an embedded store with a time
    limit, else the request's store (a remote one waits at most ``KB_QUERY_TIMEOUT``)."""
    location = current_app.config["KB_STORE"]
    timeout = float(current_app.config["KB_QUERY_TIMEOUT"])
    if not timeout or is_remote(location):
        store = get_store()
        if is_remote(location):
            store.query_timeout = timeout
        return store
    app = current_app._get_current_object()
    pool = app.extensions.get(_POOL)
    if pool is None:
        with _POOL_LOCK:
            pool = app.extensions.get(_POOL)
            if pool is None:
                pool = QueryPool(
                    location, size=max(1, int(app.config["KB_QUERY_WORKERS"])), timeout=timeout,
                    max_rows=int(app.config["KB_MAX_ROWS"]),
                )
                weakref.finalize(app, pool.close)
                app.extensions[_POOL] = pool
    return pool


def stop_query_pool(app: Flask) -> None:
    """End the app's query workers, if it started any (``kb serve`` does this on exit)."""
    pool = app.extensions.pop(_POOL, None)
    if pool is not None:
        pool.close()


def _update(operation: _Operation) -> Response:
    """Apply an update POSTed with the configured bearer token.

    :raises UpdateRefused: no token is configured (updates are off).
    :raises Unauthorized: the request has no token, or another one.
    :raises UpdateInvalid, QueryError, ServiceRefused, StoreError: see :func:`kb.update.apply_update`.
    """
    token = current_app.config["KB_UPDATE_TOKEN"]
    if not token:
        raise UpdateRefused()
    scheme, _, given = (request.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        challenge = WWWAuthenticate("bearer", {"realm": "kb-update"})
        if given:
            challenge["error"] = "invalid_token"
        raise Unauthorized(
            "this update needs the server's update token: send it as Authorization: Bearer <token> "
            "(the value of KB_UPDATE_TOKEN on the server).",
            www_authenticate=challenge,
        )
    for name in ("using-graph-uri", "using-named-graph-uri"):
        if name in operation.params:
            raise BadRequest(f"{name} is not supported here; name the graphs in the update (USING, WITH, GRAPH).")
    minter = IriMinter(current_app.config["KB_BASE_IRI"])
    with open_store(current_app.config["KB_STORE"], writable=True) as writer:
        changed = apply_update(writer, operation.update, minter, base_iri=url_for("sparql.endpoint", _external=True))
    lines = "".join(f"  <{name}>\n" for name in changed)
    message = f"updated {len(changed)} graph(s)\n{lines}" if changed else "the update changed nothing\n"
    return Response(message, mimetype="text/plain")


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
            raise UpdateRefused(_GET_UPDATE if current_app.config["KB_UPDATE_TOKEN"] else None)
        return _Operation(_single_query(params, required=False), params)
    media_type = request.mimetype
    if media_type == _UPDATE and not current_app.config["KB_UPDATE_TOKEN"]:
        raise UpdateRefused()
    if media_type in (_FORM, _DIRECT, _UPDATE):
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
            if not current_app.config["KB_UPDATE_TOKEN"]:
                raise UpdateRefused()
            if "query" in params:
                raise BadRequest("a request carries either query= or update=, not both.")
            return _Operation(None, params, _single(params, "update"))
        return _Operation(_single_query(params, required=True), params)
    if media_type == _UPDATE:
        params = _decode_params(request.query_string, "the query string")
        return _Operation(None, params, _body_text("update"))
    if media_type == _DIRECT:
        params = _decode_params(request.query_string, "the query string")
        if "query" in params:
            raise BadRequest(f"a POST of {_DIRECT} carries the query in its body, not in ?query=.")
        return _Operation(_body_text("query"), params)
    raise UnsupportedMediaType(
        f"POST a query as {_FORM} (query=...) or as {_DIRECT}, not as {media_type or 'a body without Content-Type'}."
    )


_GET_UPDATE = "updates are not accepted in a GET: POST them (update= in a form, or application/sparql-update)."


def _body_text(what: str) -> str:
    """The request body, a query or an update, as text.

    :raises BadRequest: it is not UTF-8 or empty.
    """
    try:
        text = request.get_data().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the {what} is not UTF-8 (byte {exc.start} of the body).") from exc
    if not text.strip():
        raise BadRequest(f"the request body is empty: send the {what} as the body.")
    return text


def _single(params: MultiDict[str, str], name: str) -> str:
    values = params.getlist(name)
    if len(values) != 1 or not values[0].strip():
        raise BadRequest(f"give exactly one non-empty {name} parameter, not {len(values)}.")
    return values[0]


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
