"""Backup and restore: ``kb export`` then ``kb import`` gives back the same KB; bad dumps are refused
with one message and leave the store as it was; the store format version is checked on open."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import Namespace

from kb.config import DEFAULT_DATA_DIR, PROJECT_ROOT
from kb.export import CHECKSUMS, NQUADS, TRIG, dumps_dir
from kb.store import FORMAT_VERSION, EmbeddedStore

KB = PROJECT_ROOT / ".venv" / "bin" / "kb"
OA = Namespace("http://www.w3.org/ns/oa#")
MARKER = "kb-store.json"

pytestmark = pytest.mark.skipif(not KB.exists(), reason="needs the kb console script in .venv")


def kb(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(KB), *map(str, args)], check=False, capture_output=True, text=True,
                          timeout=120, cwd=PROJECT_ROOT)


def canonical(store: Path) -> bytes:
    with EmbeddedStore.open_reader(store) as reader:
        return reader.dump_nquads()


def snapshot(store: Path) -> tuple[bytes, str, list[str]]:
    """Everything a failed import must leave alone: the dataset, the marker and the folder listing."""
    return canonical(store), (store / MARKER).read_text(), sorted(p.name for p in store.iterdir())


@pytest.fixture(scope="module")
def export(seed_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("backup") / "export"
    result = kb("export", "--store", seed_store_path, "--out", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def other_store(tmp_path: Path) -> Path:
    """A store holding a small dataset that is not the seed KB."""
    path = tmp_path / "other"
    g = Graph()
    g.add((URIRef("https://peacekb.example/id/x"), URIRef("https://peacekb.example/ontology#p"), Literal("x")))
    with EmbeddedStore.open_writer(path) as store:
        store.replace_graphs({URIRef("https://peacekb.example/graph/article/other"): g})
    return path


# -- a round trip gives back the same KB ----------------------------------------------------------

@pytest.mark.parametrize("source", ["folder", NQUADS, TRIG])
def test_export_then_import_into_an_empty_store_is_isomorphic(seed_store_path: Path, export: Path,
                                                              tmp_path: Path, source: str) -> None:
    target = tmp_path / "restored"
    result = kb("import", export if source == "folder" else export / source, "--store", target)
    assert result.returncode == 0, result.stderr
    assert "checked against" in result.stdout
    original = canonical(seed_store_path)
    assert b"_:" not in original  # no blank nodes: equal sorted N-Quads are isomorphic datasets
    with EmbeddedStore.open_reader(target) as reader, EmbeddedStore.open_reader(seed_store_path) as source:
        assert sorted(reader.graph_names()) == sorted(source.graph_names()) and len(source.graph_names()) >= 3
    assert canonical(target) == original
    # the restored store's own dumps are written, as after a build
    dumped = gzip.decompress((dumps_dir(target) / NQUADS).read_bytes())
    assert sorted(dumped.splitlines()) == original.splitlines()


def evidence_quotes(node: object) -> set[str]:
    """Every ``exact`` evidence quote anywhere in a parsed annotation."""
    if isinstance(node, dict):
        found = {node["exact"]} if isinstance(node.get("exact"), str) else set()
        return found.union(*(evidence_quotes(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(evidence_quotes(v) for v in node))
    return set()


def test_the_restored_kb_holds_every_annotation(export: Path, tmp_path: Path) -> None:
    """Each reviewed annotation's evidence quotes, event labels and note come back from the dump."""
    target = tmp_path / "restored"
    assert kb("import", export, "--store", target).returncode == 0
    with EmbeddedStore.open_reader(target) as reader:
        article_graphs = [g for g in reader.graph_names() if "/graph/article/" in g]
        restored = Graph()
        for name in article_graphs:
            restored += reader.graph(name)
    files = sorted((DEFAULT_DATA_DIR / "annotations").glob("*.yaml"))
    assert len(article_graphs) == len(files)
    quotes = {str(o) for o in restored.objects(None, OA.exact)}
    labels = {str(o) for o in restored.objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    texts = {" ".join(str(o).split()) for _, _, o in restored}
    for path in files:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert evidence_quotes(doc) and evidence_quotes(doc) <= quotes, path
        assert {e["label"] for e in doc.get("events", [])} <= labels, path
        if doc["article"].get("note"):
            assert " ".join(doc["article"]["note"].split()) in texts, path


# -- the target store ----------------------------------------------------------------------------

def test_a_non_empty_store_is_refused_without_replace(export: Path, other_store: Path) -> None:
    before = snapshot(other_store)
    result = kb("import", export, "--store", other_store)
    assert result.returncode == 1
    assert "already holds 1 graph(s)" in result.stderr and "--replace" in result.stderr
    assert snapshot(other_store) == before


def test_replace_swaps_the_whole_dataset(seed_store_path: Path, export: Path, other_store: Path) -> None:
    result = kb("import", export, "--store", other_store, "--replace")
    assert result.returncode == 0, result.stderr
    assert "replacing 1 graph(s)" in result.stdout
    assert canonical(other_store) == canonical(seed_store_path)  # the old graph is gone


# -- bad dumps: one message, store unchanged ----------------------------------------------------

def rewrite_sums(folder: Path) -> None:
    """Make SHA256SUMS agree with the files, so the damage is found by the check after it."""
    lines = [f"{hashlib.sha256((folder / n).read_bytes()).hexdigest()}  {n}\n" for n in (NQUADS, TRIG)
             if (folder / n).exists()]
    (folder / CHECKSUMS).write_text("".join(lines))


def truncated(folder: Path) -> Path:
    data = (folder / NQUADS).read_bytes()
    (folder / NQUADS).write_bytes(data[: len(data) // 2])
    rewrite_sums(folder)
    return folder


def wrong_checksum(folder: Path) -> Path:
    packed = gzip.compress(gzip.decompress((folder / NQUADS).read_bytes()).replace(b"Kabul", b"Kabol"), mtime=0)
    (folder / NQUADS).write_bytes(packed)  # valid gzip, valid RDF, but not what was exported
    return folder


def not_rdf(folder: Path) -> Path:
    (folder / NQUADS).write_bytes(gzip.compress(b"EventId,Date\nx,2019-12-04\n"))
    rewrite_sums(folder)
    return folder


def not_gzip(folder: Path) -> Path:
    (folder / NQUADS).write_bytes(b"<a> <b> <c> <d> .\n")
    rewrite_sums(folder)
    return folder


def default_graph_triples(folder: Path) -> Path:
    (folder / NQUADS).write_bytes(gzip.compress(b"<https://x.example/a> <https://x.example/b> \"c\" .\n"))
    rewrite_sums(folder)
    return folder


def empty_dump(folder: Path) -> Path:
    (folder / NQUADS).write_bytes(gzip.compress(b""))
    rewrite_sums(folder)
    return folder


def missing_file(folder: Path) -> Path:
    return folder / "no-such-dump.nq.gz"


def folder_without_dump(folder: Path) -> Path:
    for name in (NQUADS, TRIG):
        (folder / name).unlink()
    return folder


def not_a_dump_name(folder: Path) -> Path:
    return folder / "events.csv"


BAD_DUMPS = {
    truncated: "gzip stream ends early",
    wrong_checksum: "checksum mismatch",
    not_rdf: "not valid N-Quads",
    not_gzip: "not a valid gzip file",
    default_graph_triples: "outside any named graph",
    empty_dump: "holds no triples",
    missing_file: "no such file or folder",
    folder_without_dump: f"no {NQUADS} or {TRIG} in this folder",
    not_a_dump_name: "not a dump kb reads",
}


@pytest.mark.parametrize("damage", list(BAD_DUMPS), ids=lambda f: f.__name__)
def test_a_bad_dump_is_refused_with_one_message_and_the_store_unchanged(
        damage, export: Path, other_store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "dump"
    shutil.copytree(export, folder)
    source = damage(folder)
    before = snapshot(other_store)
    result = kb("import", source, "--store", other_store, "--replace")  # --replace: it would be written
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert BAD_DUMPS[damage] in lines[0] and str(folder) in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert snapshot(other_store) == before


def test_a_bad_dump_does_not_create_the_target_store(tmp_path: Path) -> None:
    result = kb("import", tmp_path / "nothing.nq.gz", "--store", tmp_path / "new")
    assert result.returncode == 1 and "no such file or folder" in result.stderr
    assert not (tmp_path / "new").exists()


# -- the store format version -----------------------------------------------------------------

def set_marker(store: Path, **fields: object) -> None:
    marker = json.loads((store / MARKER).read_text())
    marker.update(fields)
    (store / MARKER).write_text(json.dumps(marker))


def test_the_format_version_is_recorded(other_store: Path) -> None:
    assert json.loads((other_store / MARKER).read_text())["format_version"] == FORMAT_VERSION


@pytest.mark.parametrize("command", [["validate"], ["query", "ASK {}"], ["import", "DUMP"]])
def test_a_store_of_another_format_version_is_refused_on_open(command: list[str], export: Path,
                                                              other_store: Path) -> None:
    dataset = canonical(other_store)
    set_marker(other_store, format_version=FORMAT_VERSION + 1)
    marker, listing = (other_store / MARKER).read_text(), sorted(other_store.iterdir())
    args = [str(export) if a == "DUMP" else a for a in command]
    result = kb(*args, "--store", other_store, *(["--replace"] if command[0] == "import" else []))
    assert result.returncode == 1
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert f"format version {FORMAT_VERSION + 1}" in message  # what was found
    assert f"reads version {FORMAT_VERSION}" in message  # what this code reads
    assert "kb build" in message  # how to fix it
    assert (other_store / MARKER).read_text() == marker and sorted(other_store.iterdir()) == listing
    set_marker(other_store, format_version=FORMAT_VERSION)  # readable again: the data is untouched
    assert canonical(other_store) == dataset


def test_an_unreadable_marker_is_refused_on_open(other_store: Path) -> None:
    (other_store / MARKER).write_text("{not json")
    result = kb("validate", "--store", other_store)
    assert result.returncode == 1
    assert "unreadable store marker" in result.stderr and "Traceback" not in result.stderr
