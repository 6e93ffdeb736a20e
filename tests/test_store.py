"""The embedded store: opening rules, locking, version marker, atomic graph replacement."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kb.errors import StoreError
from kb.store import EmbeddedStore

G1, G2 = URIRef("https://peacekb.example/graph/article/one"), URIRef("https://peacekb.example/graph/article/two")
P = URIRef("https://peacekb.example/ontology#p")


def graph(*objects: str) -> Graph:
    g = Graph()
    for o in objects:
        g.add((URIRef("https://peacekb.example/id/x"), P, Literal(o)))
    return g


def test_replace_graphs_replaces_only_the_named_graphs(tmp_path: Path) -> None:
    store = EmbeddedStore.open_writer(tmp_path / "s")
    store.replace_graphs({G1: graph("a", "b"), G2: graph("c")})
    store.replace_graphs({G1: graph("z")})
    objects = {r["o"]["value"] for r in store.select("SELECT ?o { ?s ?p ?o }")}
    assert objects == {"z", "c"}
    store.replace_graphs({G2: graph("y")}, clear_all=True)
    assert store.graph_names() == [str(G2)]


def test_a_failing_write_changes_nothing(tmp_path: Path) -> None:
    store = EmbeddedStore.open_writer(tmp_path / "s")
    store.replace_graphs({G1: graph("a")})
    before = store.dump_nquads()
    bad = graph("b")
    bad.add((URIRef("https://peacekb.example/id/x"), P, URIRef("not an iri with spaces")))
    with pytest.raises(Exception, match="valid URI"):  # rdflib refuses before anything is sent
        store.replace_graphs({G1: bad, G2: graph("c")})
    assert store.dump_nquads() == before


def test_reader_needs_a_built_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="kb build"):
        EmbeddedStore.open_reader(tmp_path / "none")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "file.txt").write_text("x")
    with pytest.raises(StoreError, match="not a KB store"):
        EmbeddedStore.open_reader(tmp_path / "plain")
    with pytest.raises(StoreError, match="not a KB store"):
        EmbeddedStore.open_writer(tmp_path / "plain")


def test_format_version_is_checked(tmp_path: Path) -> None:
    EmbeddedStore.open_writer(tmp_path / "s")
    (tmp_path / "s" / "kb-store.json").write_text(json.dumps({"format_version": 99}))
    with pytest.raises(StoreError, match="format version 99"):
        EmbeddedStore.open_reader(tmp_path / "s")


def test_second_writer_is_told_the_store_is_locked(tmp_path: Path) -> None:
    EmbeddedStore.open_writer(tmp_path / "s").replace_graphs({G1: graph("a")})
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('ready', flush=True); "
         "sys.stdin.read()", str(tmp_path / "s")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="locked by another process"):
            EmbeddedStore.open_writer(tmp_path / "s")
        reader = EmbeddedStore.open_reader(tmp_path / "s")  # readers still open
        assert reader.ask("ASK { ?s ?p 'a' }")
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
