"""kb build / ingest / validate end to end on real stores, through the installed `kb` command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDFS

from kb.build import build
from kb.config import DEFAULT_DATA_DIR
from kb.store import EmbeddedStore

KB = [sys.executable, "-m", "kb"]
SEED = "khalilzad-kabul-sahar-news"


def run_kb(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KB, *args], check=False, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def copy_data(tmp_path: Path, source: Path = DEFAULT_DATA_DIR) -> Path:
    """A private copy of a data folder (data/ by default) that a test may break."""
    data = tmp_path / "data"
    shutil.copytree(source, data)
    return data


def dump(store: Path) -> bytes:
    with EmbeddedStore.open_reader(store) as reader:
        return reader.dump_nquads()


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_build_then_validate_exit_zero(tmp_path: Path) -> None:
    store = tmp_path / "store"
    built = run_kb("build", "--store", str(store))
    assert built.returncode == 0, built.stderr
    articles = len(list((DEFAULT_DATA_DIR / "annotations").glob("*.yaml")))
    assert f"built {articles} article(s)" in built.stdout
    checked = run_kb("validate", "--store", str(store))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"{articles} article graph(s) and the gazetteer conform" in checked.stdout


def test_store_location_from_environment(tmp_path: Path, seed_only_data: Path) -> None:
    store = tmp_path / "env-store"
    assert run_kb("build", "--data", str(seed_only_data), env={"KB_STORE": str(store)}).returncode == 0
    assert (store / "kb-store.json").exists()


def test_rebuild_is_idempotent_and_iris_are_stable(tmp_path: Path, minter, seed_store_path: Path) -> None:
    first = tmp_path / "a"
    build(DEFAULT_DATA_DIR, str(first), minter)
    once = dump(first)
    build(DEFAULT_DATA_DIR, str(first), minter)  # a rebuild over an existing store
    assert dump(first) == once == dump(seed_store_path)  # and the session's build, made apart
    assert b"_:" not in once, "blank nodes would make IRIs unstable across rebuilds"


def test_one_named_graph_per_article(seed_store: EmbeddedStore, minter) -> None:
    names = seed_store.graph_names()
    assert str(minter.article_graph(SEED)) in names
    assert str(minter.gazetteer_graph) in names and str(minter.ontology_graph) in names


def test_broken_annotation_fails_with_shape_message_file_and_line(tmp_path: Path, minter, seed_only_data: Path) -> None:
    store = tmp_path / "store"
    build(seed_only_data, str(store), minter)
    before = dump(store)
    data = copy_data(tmp_path, seed_only_data)
    annotation = data / "annotations" / f"{SEED}.yaml"
    text = annotation.read_text(encoding="utf-8")
    # A statement must carry a quote or a content; only the shapes know that.
    start = text.index("  - id: officials-indicate-reduction")
    broken = text[:start] + text[start:].replace(
        "    content: The number of US troops in Afghanistan could be reduced to 8600.\n", "", 1)
    assert broken != text
    annotation.write_text(broken, encoding="utf-8")

    result = run_kb("build", "--data", str(data), "--store", str(store))
    assert result.returncode == 1
    expected = f"{annotation}:{line_of(annotation, '- id: officials-indicate-reduction')}:"
    assert expected in result.stderr
    assert "SHACL violation" in result.stderr and "Traceback" not in result.stderr
    assert dump(store) == before, "a failed build must leave the store as it was"


def test_malformed_annotation_names_file_and_line(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    annotation = data / "annotations" / f"{SEED}.yaml"
    text = annotation.read_text(encoding="utf-8")
    annotation.write_text(text.replace("place: bagram-airfield", "place: bagram-airport", 1), encoding="utf-8")
    result = run_kb("build", "--data", str(data), "--store", str(tmp_path / "store"))
    assert result.returncode == 1
    assert f"{annotation}:{line_of(annotation, 'place: bagram-airport')}:" in result.stderr
    assert "bagram-airport" in result.stderr and "names no known place" in result.stderr
    assert not (tmp_path / "store").exists(), "nothing is written when a build fails"


def test_ingest_loads_good_files_and_reports_bad_ones(tmp_path: Path, minter) -> None:
    store = tmp_path / "store"
    data = copy_data(tmp_path)
    good = data / "annotations" / f"{SEED}.yaml"
    bad = tmp_path / "notes.txt"
    bad.write_text("not an article", encoding="utf-8")  # a title line and no body
    result = run_kb("ingest", str(good), str(bad), "--data", str(data), "--store", str(store))
    assert result.returncode == 1
    assert f"{bad}:" in result.stderr and "no body text" in result.stderr
    assert f"loaded {good}" in result.stdout
    reader = EmbeddedStore.open_reader(store)
    assert str(minter.article_graph(SEED)) in reader.graph_names()


def test_reingest_replaces_the_article_graph(tmp_path: Path, minter, seed_only_data: Path) -> None:
    store = tmp_path / "store"
    build(seed_only_data, str(store), minter)
    data = copy_data(tmp_path, seed_only_data)
    annotation = data / "annotations" / f"{SEED}.yaml"
    text = annotation.read_text(encoding="utf-8")
    annotation.write_text(
        text.replace("label: Trump meets President Ghani at Bagram", "label: Trump and Ghani meet at Bagram", 1),
        encoding="utf-8")
    assert run_kb("ingest", str(annotation), "--data", str(data), "--store", str(store)).returncode == 0
    reader = EmbeddedStore.open_reader(store)
    labels = {r["l"]["value"] for r in reader.select(
        "SELECT ?l { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l }")}
    assert "Trump and Ghani meet at Bagram" in labels
    assert "Trump meets President Ghani at Bagram" not in labels


def test_validate_reports_violations_in_the_store(tmp_path: Path, minter, seed_store_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(seed_store_path, store)
    graph = minter.article_graph(SEED)
    label, stamp = RDFS.label, URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/hasTimeStamp")
    with EmbeddedStore.open_writer(store) as writer:  # damage the store behind the pipeline's back
        damaged = writer.graph(str(graph))
        for event in {e for e in damaged.subjects(stamp, None) if (e, label, None) in damaged}:
            damaged.remove((event, label, None))
            damaged.remove((event, stamp, None))
        writer.replace_graphs({URIRef(str(graph)): damaged})
    result = run_kb("validate", "--store", str(store))
    assert result.returncode == 1
    assert "violation" in result.stderr and str(graph) in result.stdout
    one_process = run_kb("validate", "--workers", "1", "--store", str(store))
    blank = re.compile(r"_:\w+")  # a path such as sh:alternativePath is a blank node, labelled per process
    assert one_process.returncode == 1
    assert blank.sub("_:b", one_process.stdout) == blank.sub("_:b", result.stdout)


def test_query_formats_and_errors(seed_store_path: Path) -> None:
    ask = run_kb("query", "ASK { ?s ?p ?o }", "--store", str(seed_store_path))
    assert ask.returncode == 0 and ask.stdout.strip() == "true"
    csv = run_kb("query", "SELECT ?a WHERE { ?a a <http://semanticweb.cs.vu.nl/2009/11/sem/Actor> }",
                 "--format", "csv", "--store", str(seed_store_path))
    assert csv.returncode == 0 and csv.stdout.splitlines()[0].strip() == "a"
    bad = run_kb("query", "SELECT * {", "--store", str(seed_store_path))
    assert bad.returncode == 2 and "syntax error" in bad.stderr and "Traceback" not in bad.stderr
    update = run_kb("query", "DROP ALL", "--store", str(seed_store_path))
    assert update.returncode == 2 and "Update" in update.stderr


def test_query_from_file(seed_store_path: Path, tmp_path: Path) -> None:
    rq = tmp_path / "count.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", encoding="utf-8")
    result = run_kb("query", f"@{rq}", "--format", "json", "--store", str(seed_store_path))
    assert result.returncode == 0
    assert '"n"' in result.stdout
    missing = run_kb("query", "@/no/such/file.rq", "--store", str(seed_store_path))
    assert missing.returncode == 1 and "/no/such/file.rq" in missing.stderr


@pytest.mark.parametrize("command", ["validate", "serve"])
def test_missing_store_is_a_clear_error(tmp_path: Path, command: str) -> None:
    result = run_kb(command, "--store", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "kb build" in result.stderr and "Traceback" not in result.stderr
