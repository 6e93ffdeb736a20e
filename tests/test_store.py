"""The embedded store: opening rules, locking, version marker, atomic graph replacement."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
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
        [sys.executable, "-c", "import sys; from kb.store import EmbeddedStore; "
         "s = EmbeddedStore.open_writer(sys.argv[1]); print('ready', flush=True); sys.stdin.read()",
         str(tmp_path / "s")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="locked by another process"):
            EmbeddedStore.open_writer(tmp_path / "s")
        reader = EmbeddedStore.open_reader(tmp_path / "s")  # readers still open
        assert reader.ask("ASK { ?s ?p 'a' }")
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    EmbeddedStore.open_writer(tmp_path / "s").close()  # the lock went with its holder


def test_old_layout_is_told_to_rebuild(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "kb-store.json").write_text(json.dumps({"format_version": 1, "modified": "2024-01-01"}))
    for opener in (EmbeddedStore.open_reader, EmbeddedStore.open_writer):
        with pytest.raises(StoreError, match="format version 1.*rebuild"):
            opener(tmp_path / "s")


# -- generations: readers beside a writer, and a writer killed mid-write -----------------------

ROOT = Path(__file__).resolve().parent.parent
MARK = URIRef("https://peacekb.example/ontology#mark")

#: A child process that writes generation after generation. Each write puts ``size`` triples in
#: G1 and one marker triple per triple-batch, so a reader can tell a complete dataset by its counts.
WRITER = """
import sys
from rdflib import Graph, Literal, URIRef
from kb.store import EmbeddedStore
path, first, writes, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
G1 = URIRef("https://peacekb.example/graph/article/one")
MARK = URIRef("https://peacekb.example/ontology#mark")
with EmbeddedStore.open_writer(path) as store:
    print("ready", flush=True)
    for n in range(first, first + writes):
        g = Graph()
        for i in range(size):
            g.add((URIRef(f"https://peacekb.example/id/x{i}"), MARK, Literal(n)))
        store.replace_graphs({G1: g})
        print("wrote", n, flush=True)
"""


def dataset(n: int, size: int) -> Graph:
    g = Graph()
    for i in range(size):
        g.add((URIRef(f"https://peacekb.example/id/x{i}"), MARK, Literal(n)))
    return g


def writer_process(path: Path, first: int, writes: int, size: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(first), str(writes), str(size)],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)


def test_a_reader_keeps_its_snapshot_and_a_new_reader_sees_the_write(tmp_path: Path) -> None:
    writer = EmbeddedStore.open_writer(tmp_path / "s")
    writer.replace_graphs({G1: graph("a")})
    before = EmbeddedStore.open_reader(tmp_path / "s")
    writer.replace_graphs({G1: graph("b"), G2: graph("c")})
    assert writer.ask("ASK { ?s ?p 'b' }")  # the writer reads its own latest write
    assert before.ask("ASK { ?s ?p 'a' }") and not before.ask("ASK { ?s ?p 'b' }")
    assert before.graph_names() == [str(G1)]
    after = EmbeddedStore.open_reader(tmp_path / "s")
    assert after.dump_nquads() == writer.dump_nquads()
    assert after.graph_names() == [str(G1), str(G2)]
    writer.replace_graphs({G1: graph("d")})  # older generations go, the current and previous stay
    generations = sorted(p.name for p in (tmp_path / "s").iterdir() if p.name.startswith("gen-"))
    assert len(generations) == 2


def test_a_writer_killed_mid_write_leaves_the_old_or_the_new_dataset(tmp_path: Path) -> None:
    path, size = tmp_path / "s", 10000
    with EmbeddedStore.open_writer(path) as store:
        store.replace_graphs({G1: dataset(0, size)})
        old = store.dump_nquads()
    with EmbeddedStore.open_writer(tmp_path / "expected") as store:
        store.replace_graphs({G1: dataset(1, size)})
        new = store.dump_nquads()
    rng = random.Random(8)
    for _ in range(10):
        child = writer_process(path, 1, 1, size)
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0, 0.9))  # before, during or after the write
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        with EmbeddedStore.open_reader(path) as reader:
            now = reader.dump_nquads()
        assert now in (old, new)
        print('killed after the switch' if now == new else 'killed before the switch')
        with EmbeddedStore.open_writer(path) as store:  # the next write succeeds, and restores ``old``
            store.replace_graphs({G1: dataset(0, size)})
            assert store.dump_nquads() == old
        assert len([p for p in path.iterdir() if p.name.startswith(("gen-", ".removing"))]) <= 2
    with EmbeddedStore.open_reader(path) as reader:
        assert reader.dump_nquads() == old


def test_a_reader_beside_a_writer_always_sees_a_complete_dataset(tmp_path: Path) -> None:
    path, size, writes = tmp_path / "s", 2000, 10
    with EmbeddedStore.open_writer(path) as store:
        store.replace_graphs({G1: dataset(0, size)})
    child = writer_process(path, 1, writes, size)
    assert child.stdout.readline().strip() == "ready"
    seen = set()
    deadline = time.monotonic() + 120
    try:
        while child.poll() is None and time.monotonic() < deadline:
            with EmbeddedStore.open_reader(path) as reader:
                rows = reader.select(f"SELECT ?n (COUNT(*) AS ?c) {{ ?s <{MARK}> ?n }} GROUP BY ?n")
            assert len(rows) == 1, rows  # one generation's marker, never a mix
            assert int(rows[0]["c"]["value"]) == size
            seen.add(int(rows[0]["n"]["value"]))
    finally:
        child.wait(timeout=120)
    assert child.returncode == 0
    assert child.stdout.read().split().count("wrote") == writes
    child.stdout.close()
    with EmbeddedStore.open_reader(path) as reader:
        assert reader.select(f"SELECT DISTINCT ?n {{ ?s <{MARK}> ?n }}")[0]["n"]["value"] == str(writes)
    assert seen <= set(range(writes + 1))
