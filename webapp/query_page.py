"""The query page at ``/sparql`` for people with a browser: an editor, the query library, results.

:mod:`webapp.sparql` routes to it: a browser GET without a query gets :func:`new_query_page`, and
any request with ``format=html`` gets :func:`results_page`. The form is a GET, so the query is in
the page's address and a result can be shared as a link; every library query is a plain link of
the same kind, so the page works without JavaScript. ``/static/sparql-editor.js`` only adds syntax
highlighting and Ctrl+Enter on top of the textarea; nothing is fetched from outside this server.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, render_template, url_for
from rdflib import Graph

from kb.errors import QueryError
from kb.limits import QueryTimeout
from kb.namespaces import PREFIXES, sparql_prefixes
from kb.query_library import NamedQuery, load_library
from kb.sparql import FORMATS, QueryableStore, execute
from webapp.errors import STATUS_BY_ERROR

TEMPLATE = "sparql/page.html"
#: What the page asks :func:`kb.sparql.execute` for: JSON for a table or a boolean, Turtle for a graph.
PAGE_ACCEPT = "application/sparql-results+json, text/turtle"
SAMPLE_QUERY = """
SELECT ?date ?event ?label WHERE {
  ?event a sem:Event ;
         rdfs:label ?label ;
         sem:hasTimeStamp ?date .
}
ORDER BY ?date
LIMIT 50
"""
_POSITION = re.compile(r"\b(\d+):(\d+)\b")
_LOCAL_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?<!\.)|")
#: The project's prefixes, longest namespace first (DefinedNamespace classes are not strings).
_NAMESPACES = sorted(((p, str(ns)) for p, ns in PREFIXES.items()), key=lambda item: -len(item[1]))
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Download:
    """A link to the same answer in another format."""

    name: str
    media_type: str
    href: str


def new_query_page() -> str:
    """The page for a new query: the project's prefixes and a sample query in the editor."""
    return _render(sparql_prefixes() + SAMPLE_QUERY)


def results_page(query: str, dataset: dict[str, Any], store: QueryableStore) -> Response:
    """The page with ``query`` in the editor and its answer below it (table, boolean or Turtle).

    ``dataset`` holds the keyword arguments of :func:`kb.sparql.execute` that set the dataset;
    ``store`` answers the query. A query the endpoint refuses (a syntax error, an update) or
    stops (the time limit) is shown on the page, with the status :data:`webapp.errors.STATUS_BY_ERROR`
    gives it, so the analyst can fix it in place. An answer cut by the row cap says so.

    :raises StoreError: the store cannot be read (answered by the error page).
    """
    start = time.perf_counter()
    max_rows = current_app.config["KB_MAX_ROWS"]
    try:
        answer = execute(store, query, accept=PAGE_ACCEPT, max_rows=max_rows, **dataset)
    except QueryError as exc:
        status = next(code for error_type, code in STATUS_BY_ERROR if isinstance(exc, error_type))
        position = None if isinstance(exc, QueryTimeout) else _POSITION.search(str(exc))
        error = {
            "title": "The query was stopped" if isinstance(exc, QueryTimeout) else "The query was not run",
            "message": str(exc),
            "line": int(position.group(1)) if position else None,
            "column": int(position.group(2)) if position else None,
        }
        return Response(_render(query, error=error), status=status, mimetype="text/html")
    elapsed_ms = (time.perf_counter() - start) * 1000
    kind = "graph" if answer.kind == "graph" else "results"
    links = _dataset_params(dataset)
    downloads = [
        Download(f.name, f.media_types[0], url_for("sparql.endpoint", query=query, format=f.name, **links))
        for f in FORMATS[kind]
    ]
    html = _render(
        query, answer=_shown(answer.kind, answer.body), elapsed_ms=elapsed_ms, downloads=downloads,
        truncated=answer.truncated, max_rows=max_rows,
    )
    response = Response(html, mimetype="text/html")
    response.headers["Server-Timing"] = f"query;dur={elapsed_ms:.1f}"
    response.headers["KB-Truncated"] = "true" if answer.truncated else "false"
    return response


def compact(iri: str) -> str:
    """``iri`` as a prefixed name of the project's prefixes if it is one, else as it is.

    >>> compact("http://semanticweb.cs.vu.nl/2009/11/sem/Event")
    'sem:Event'
    >>> compact("https://peacekb.example/id/actor/taliban")
    'https://peacekb.example/id/actor/taliban'
    """
    for prefix, namespace in _NAMESPACES:
        if iri.startswith(namespace) and _LOCAL_NAME.fullmatch(iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def is_web_iri(iri: str) -> bool:
    """Whether a browser can follow ``iri`` (an http or https IRI)."""
    return iri.startswith(("http://", "https://"))


def _render(query: str, **context: Any) -> str:
    library = load_library()
    current = next((q for q in library if q.text.strip() == query.strip()), None)
    return render_template(
        TEMPLATE,
        query=query,
        library=[(q, _library_link(q)) for q in library],
        current=current,
        compact=compact,
        is_web_iri=is_web_iri,
        xsd_string=_XSD_STRING,
        **context,
    )


def _library_link(query: NamedQuery) -> str:
    return url_for("sparql.endpoint", query=query.text, format="html")


def _dataset_params(dataset: dict[str, Any]) -> dict[str, list[str]]:
    """The protocol parameters that give ``dataset`` again, for links to the same answer."""
    params = {
        "default-graph-uri": list(dataset.get("default_graphs") or ()),
        "named-graph-uri": list(dataset.get("named_graphs") or ()),
    }
    return {name: value for name, value in params.items() if value}


def _shown(kind: str, body: bytes) -> dict[str, Any]:
    """What the page shows of an answer: a table, a boolean, or the graph as Turtle."""
    if kind == "graph":  # re-serialised with the project's prefixes, to be read
        graph = Graph().parse(data=body, format="turtle")
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        return {"kind": "graph", "turtle": graph.serialize(format="turtle"), "count": len(graph)}
    data = json.loads(body)
    if kind == "ask":
        return {"kind": "ask", "boolean": data["boolean"]}
    variables = data["head"]["vars"]
    rows = [[row.get(v) for v in variables] for row in data["results"]["bindings"]]
    return {"kind": "select", "variables": variables, "rows": rows, "count": len(rows)}
