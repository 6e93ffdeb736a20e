"""Helpers shared by the web tests: the mini fixture in a real store, and a real WSGI server."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit

import waitress
from flask import Flask
from rdflib import Dataset
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kb.store import EmbeddedStore
from webapp import create_app

FIXTURE = Path(__file__).parent / "fixtures" / "mini.trig"
BASE = "https://peacekb.example/"
ARTICLE_GRAPH = BASE + "graph/article/mini"
GAZETTEER_GRAPH = BASE + "graph/gazetteer"
ONTOLOGY_GRAPH = BASE + "graph/ontology"


def load_fixture(store_dir: Path) -> Path:
    """Load tests/fixtures/mini.trig into a new embedded store at ``store_dir``; return the folder."""
    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    graphs = {g.identifier: g for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID}
    writer = EmbeddedStore.open_writer(store_dir)
    writer.replace_graphs(graphs)
    return store_dir  # the writer is released here, before any reader opens the folder


def make_app(store_dir: Path) -> Flask:
    """The web app in testing mode over the store at ``store_dir``."""
    return create_app({"TESTING": True, "KB_STORE": str(store_dir)})


@contextmanager
def live_server(app: Flask, port: int = 0) -> Iterator[str]:
    """Serve ``app`` with waitress on ``port`` (by default a free one) of 127.0.0.1; yield its base URL."""
    server = waitress.create_server(app, host="127.0.0.1", port=port, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        server.task_dispatcher.shutdown()
        thread.join(timeout=10)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Message
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get_content_type()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def http_request(
    url: str, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None
) -> Reply:
    """One HTTP request with http.client (which, unlike urllib, does not raise on 4xx)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()
