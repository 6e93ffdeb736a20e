"""The ceilings of the throughput benchmark: what a Python web server costs per request on this
machine before the work of ``kb serve``.

``python -m benchmarks.hello_endpoint --port N --app bare|flask|lean [--server waitress|granian]
[--processes P] [--threads T] [--store DB]`` answers every GET:

- ``bare``: a fixed SPARQL JSON answer (``ASK`` true) from a bare WSGI function;
- ``flask``: the same answer from a one-route Flask app (Flask's request and response objects,
  routing and context, nothing else);
- ``lean``: the ``query`` parameter run in process on the pyoxigraph database ``DB`` (union
  default graph) and its JSON answer, from a bare WSGI function: no Flask, no time limit, no
  row cap, no content negotiation. The least any SPARQL endpoint in Python can do per request.

``waitress`` (the server of ``kb serve``) runs one process with T threads; ``granian`` (a web
server written in Rust, installed with the ``bench`` extra) runs P processes of T threads each.
"""

from __future__ import annotations

import argparse
import os
import urllib.parse
from collections.abc import Callable, Iterable
from functools import cache

import pyoxigraph
from flask import Flask, Response

BODY = b'{"head":{},"boolean":true}'
MEDIA_TYPE = "application/sparql-results+json"
STORE_VARIABLE = "HELLO_ENDPOINT_STORE"  # how granian's worker processes learn the database of ``lean``

StartResponse = Callable[[str, list[tuple[str, str]]], object]


def bare(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", MEDIA_TYPE), ("Content-Length", str(len(BODY)))])
    return [BODY]


def flask_app() -> Flask:
    app = Flask(__name__)

    @app.get("/<path:_path>")
    def answer(_path: str) -> Response:
        return Response(BODY, mimetype=MEDIA_TYPE)

    return app


@cache
def _database() -> pyoxigraph.Store:
    return pyoxigraph.Store.read_only(os.environ[STORE_VARIABLE])


def lean(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("query", ["ASK {}"])[0]
    try:
        answer = _database().query(query, use_default_graph_as_union=True)
        status, media_type, body = "200 OK", MEDIA_TYPE, answer.serialize(format=pyoxigraph.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError, OSError) as exc:
        status, media_type, body = "400 Bad Request", "text/plain", str(exc).encode()
    start_response(status, [("Content-Type", media_type), ("Content-Length", str(len(body)))])
    return [body]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--app", choices=("bare", "flask", "lean"), required=True)
    parser.add_argument("--server", choices=("waitress", "granian"), default="waitress")
    parser.add_argument("--processes", type=int, default=1, help="granian only")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--store", help="the pyoxigraph database that --app lean queries")
    args = parser.parse_args()
    if args.app == "lean":
        if not args.store:
            parser.error("--app lean needs --store")
        os.environ[STORE_VARIABLE] = args.store
    factory = APPS[args.app]
    if args.server == "granian":
        from granian import Granian
        from granian.constants import Interfaces

        # each of granian's worker processes imports this module and calls the factory
        Granian(f"benchmarks.hello_endpoint:{factory.__name__}", address="127.0.0.1", port=args.port,
                interface=Interfaces.WSGI, workers=args.processes, blocking_threads=args.threads, factory=True,
                log_enabled=False).serve()
        return
    import waitress

    waitress.serve(factory(), host="127.0.0.1", port=args.port, threads=args.threads)


def bare_app() -> Callable:
    return bare


def lean_app() -> Callable:
    return lean


#: What ``--app`` names: a function that makes the WSGI app.
APPS: dict[str, Callable[[], Callable]] = {"bare": bare_app, "flask": flask_app, "lean": lean_app}


if __name__ == "__main__":
    main()
