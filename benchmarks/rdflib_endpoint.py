"""A minimal SPARQL endpoint over an rdflib in-memory dataset, the baseline of the throughput
benchmark: ``python -m benchmarks.rdflib_endpoint --data kb.nq --port N``. GET ``?query=``;
answers SELECT/ASK as SPARQL JSON, CONSTRUCT as Turtle; no caching. rdflib's query parser is
not thread-safe (concurrent queries fail inside pyparsing), so waitress runs one thread."""

from __future__ import annotations

import argparse
from urllib.parse import parse_qs

import waitress
from rdflib import Dataset


def make_app(dataset: Dataset):
    def app(environ, start_response):
        query = parse_qs(environ.get("QUERY_STRING", "")).get("query", [""])[0]
        try:
            result = dataset.query(query)
        except Exception as exc:  # noqa: BLE001 - a benchmark baseline answers every failure with 400
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [str(exc).encode()]
        if result.type == "CONSTRUCT":
            body, media = result.serialize(format="turtle"), "text/turtle"
        else:
            body, media = result.serialize(format="json"), "application/sparql-results+json"
        start_response("200 OK", [("Content-Type", media)])
        return [body]

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    dataset = Dataset(default_union=True)
    dataset.parse(args.data, format="nquads")
    waitress.serve(make_app(dataset), host="127.0.0.1", port=args.port, threads=1)


if __name__ == "__main__":
    main()
