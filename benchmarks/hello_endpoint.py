"""The ceiling of the throughput benchmark: what waitress costs per request on this machine
before any work. ``python -m benchmarks.hello_endpoint --port N --app bare|flask [--threads T]``
serves a fixed SPARQL JSON answer (``ASK`` true) to every GET: as a bare WSGI function, or as a
one-route Flask app (Flask's request and response objects, routing and context, nothing else).
"""

from __future__ import annotations

import argparse

import waitress
from flask import Flask, Response

BODY = b'{"head":{},"boolean":true}'
MEDIA_TYPE = "application/sparql-results+json"


def bare(environ, start_response):
    start_response("200 OK", [("Content-Type", MEDIA_TYPE), ("Content-Length", str(len(BODY)))])
    return [BODY]


def flask_app() -> Flask:
    app = Flask(__name__)

    @app.get("/<path:_path>")
    def answer(_path: str) -> Response:
        return Response(BODY, mimetype=MEDIA_TYPE)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--app", choices=("bare", "flask"), required=True)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    waitress.serve(bare if args.app == "bare" else flask_app(), host="127.0.0.1", port=args.port, threads=args.threads)


if __name__ == "__main__":
    main()
