"""The update endpoint of /sparql: off without KB_UPDATE_TOKEN, bearer-token protected when on,
validated against the shapes, applied as one write. Runs on a copy of the seed KB (data/)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from test_no_outbound import trap  # noqa: F401 -- the fixture: a socket that records connections
from webapp_support import http_request, live_server

from kb.store import EmbeddedStore
from webapp import create_app
from webapp.sparql import stop_query_pool

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

TOKEN = "correct-horse-battery-staple"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
#: An event of an article graph, and the graph, chosen from the store.
FIRST_EVENT = f"""SELECT ?g ?event WHERE {{
  GRAPH ?g {{ ?event a <{SEM}Event> ; <{SEM}hasTimeStamp> ?t }}
  FILTER(STRSTARTS(STR(?g), "https://peacekb.example/graph/article/"))
}} ORDER BY ?g ?event LIMIT 1"""


@pytest.fixture()
def store_dir(seed_store_path: Path, tmp_path: Path) -> Path:
    """A copy of the seed store, so each test may write to it."""
    return Path(shutil.copytree(seed_store_path, tmp_path / "store"))


def _serve(store_dir: Path, token: str) -> Iterator[str]:
    app = create_app({"TESTING": True, "KB_STORE": str(store_dir), "KB_UPDATE_TOKEN": token})
    with live_server(app) as url:
        yield url
    stop_query_pool(app)


@pytest.fixture()
def server(store_dir: Path) -> Iterator[str]:
    yield from _serve(store_dir, TOKEN)


def _event(url: str) -> tuple[str, str]:
    reply = http_request(f"{url}/sparql?{urlencode({'query': FIRST_EVENT})}")
    row = json.loads(reply.body)["results"]["bindings"][0]
    return row["g"]["value"], row["event"]["value"]


def _post_update(url: str, update: str, token: str | None = TOKEN, *, form: bool = False):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    if form:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urlencode({"update": update}).encode()
    else:
        headers["Content-Type"] = "application/sparql-update"
        body = update.encode()
    return http_request(f"{url}/sparql", "POST", body, {**headers, "Accept": "text/plain"})


def _dump(store_dir: Path) -> bytes:
    with EmbeddedStore.open_reader(store_dir) as reader:
        return reader.dump_nquads()


def _marker(store_dir: Path) -> bytes:
    return (store_dir / "kb-store.json").read_bytes()


@pytest.mark.parametrize("form", [False, True], ids=["direct", "form"])
def test_an_update_is_applied_and_seen_by_the_next_query(server: str, store_dir: Path, form: bool) -> None:
    graph, event = _event(server)
    update = f'INSERT DATA {{ GRAPH <{graph}> {{ <{event}> <{RDFS}comment> "checked by the desk" }} }}'
    reply = _post_update(server, update, form=form)
    assert reply.status == 200, reply.text
    assert f"<{graph}>" in reply.text and TOKEN not in reply.text
    ask = f'ASK {{ GRAPH <{graph}> {{ <{event}> <{RDFS}comment> "checked by the desk" }} }}'
    answer = http_request(f"{server}/sparql?{urlencode({'query': ask})}")
    assert json.loads(answer.body)["boolean"] is True
    assert b"checked by the desk" in _dump(store_dir)


def test_a_violating_update_is_422_and_leaves_the_store_as_it_was(server: str, store_dir: Path) -> None:
    graph, event = _event(server)
    before, marker = _dump(store_dir), _marker(store_dir)
    update = f"DELETE WHERE {{ GRAPH <{graph}> {{ <{event}> <{SEM}hasTimeStamp> ?t }} }}"
    reply = _post_update(server, update)
    assert reply.status == 422
    assert "SHACL" in reply.text and "time stamp" in reply.text and event in reply.text
    assert _dump(store_dir) == before and _marker(store_dir) == marker


def test_a_wrong_or_missing_token_is_401_with_a_bearer_challenge(server: str, store_dir: Path) -> None:
    before = _dump(store_dir)
    update = f'INSERT DATA {{ GRAPH <https://peacekb.example/graph/x> {{ <urn:a> <{RDFS}label> "x" }} }}'
    for token in ("wrong-token", None):
        reply = _post_update(server, update, token)
        assert reply.status == 401
        assert reply.headers["WWW-Authenticate"].lower().startswith("bearer")
        assert "KB_UPDATE_TOKEN" in reply.text and TOKEN not in reply.text and "wrong-token" not in reply.text
    assert _dump(store_dir) == before


def test_without_a_token_configured_updates_are_403_and_say_how_to_enable_them(store_dir: Path) -> None:
    for url in _serve(store_dir, ""):
        reply = _post_update(url, "CLEAR ALL")
        assert reply.status == 403 and "KB_UPDATE_TOKEN" in reply.text and "Bearer" in reply.text
    assert EmbeddedStore.open_reader(store_dir).graph_names()


def test_load_and_service_in_an_update_are_refused_without_connecting(
    server: str, store_dir: Path, trap: tuple[str, list[bytes]]  # noqa: F811
) -> None:
    target, seen = trap
    before = _dump(store_dir)
    for update in (f"LOAD <{target}>", f"LOAD SILENT <{target}> INTO GRAPH <https://peacekb.example/graph/x>",
                   f"INSERT {{ GRAPH <urn:g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"):
        reply = _post_update(server, update)
        assert reply.status == 403, reply.text
        assert "never fetches" in reply.text
    assert seen == [] and _dump(store_dir) == before


def test_a_malformed_update_is_400_with_the_position(server: str) -> None:
    reply = _post_update(server, "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> } }")
    assert reply.status == 400 and "syntax error" in reply.text and "1:" in reply.text


def test_an_update_into_the_default_graph_is_400(server: str, store_dir: Path) -> None:
    before = _dump(store_dir)
    reply = _post_update(server, f'INSERT DATA {{ <urn:a> <{RDFS}label> "x" }}')
    assert reply.status == 400 and "named graph" in reply.text
    assert _dump(store_dir) == before


def test_an_update_in_a_get_is_refused(server: str) -> None:
    reply = http_request(f"{server}/sparql?{urlencode({'update': 'CLEAR ALL'})}",
                         headers={"Authorization": f"Bearer {TOKEN}", "Accept": "text/plain"})
    assert reply.status == 403 and "POST" in reply.text
