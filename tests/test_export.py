"""Dumps, kb export and its GDELT-style CSV, and redirects of changed IRIs."""

from __future__ import annotations

import csv
import gzip
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from rdflib import Graph
from rdflib.namespace import DCTERMS, SKOS

from kb.build import build
from kb.config import DEFAULT_DATA_DIR, ONTOLOGY_DIR
from kb.errors import AnnotationError
from kb.export import CHECKSUMS, NQUADS, TRIG, dumps_dir
from kb.gazetteer import load_gazetteer
from kb.namespaces import ETYPE, IriMinter
from kb.store import EmbeddedStore

ANNOTATION = DEFAULT_DATA_DIR / "annotations" / "khalilzad-kabul-sahar-news.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("export") / "store"
    build(DEFAULT_DATA_DIR, str(store), IriMinter())
    return store


def kb_dump(store: Path) -> bytes:
    with EmbeddedStore.open_reader(store) as reader:
        return reader.dump_nquads()


def test_build_writes_dumps_with_checksums(built: Path) -> None:
    folder = dumps_dir(built)
    sums = dict(reversed(line.split("  ")) for line in (folder / CHECKSUMS).read_text().splitlines())
    assert set(sums) == {NQUADS, TRIG}
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("name,fmt", [(NQUADS, ox.RdfFormat.N_QUADS), (TRIG, ox.RdfFormat.TRIG)])
def test_dumps_reload_into_an_empty_store_as_the_same_dataset(built: Path, tmp_path: Path, name: str,
                                                               fmt: ox.RdfFormat) -> None:
    data = gzip.decompress((dumps_dir(built) / name).read_bytes())
    with EmbeddedStore.open_writer(tmp_path / "reloaded") as empty:
        empty.load_quads(data, fmt)
        reloaded = empty.dump_nquads()
    assert reloaded == kb_dump(built)  # the KB has no blank nodes: equal text means isomorphic


def test_dumps_are_reproducible(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "store"
    build(DEFAULT_DATA_DIR, str(again), IriMinter())
    assert (dumps_dir(again) / NQUADS).read_bytes() == (dumps_dir(built) / NQUADS).read_bytes()


def test_kb_export_writes_dumps_and_events_csv(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "kb", "export", "--store", str(built), "--out", str(out)],
                            check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert {p.name for p in out.iterdir()} == {NQUADS, TRIG, CHECKSUMS, "events.csv"}
    assert gzip.decompress((out / NQUADS).read_bytes()) == kb_dump(built)

    # one row per event of every annotation, keyed "<article id>/<event id>" as in the event IRIs
    table = list(csv.DictReader((out / "events.csv").open(encoding="utf-8")))
    everything = {f"{doc['article']['id']}/{e['id']}" for doc in map(yaml.safe_load, annotation_texts())
                  for e in doc.get("events", [])}
    assert {"/".join(r["EventId"].rsplit("/", 2)[1:]) for r in table} == everything
    assert len(table) == len(everything)
    seed = yaml.safe_load(ANNOTATION.read_text(encoding="utf-8"))
    rows = {r["EventId"].rsplit("/", 1)[1]: r for r in table
            if r["EventId"].rsplit("/", 2)[1] == seed["article"]["id"]}
    events = seed["events"]
    types = Graph().parse(ONTOLOGY_DIR / "event-types.ttl")
    for event in events:
        row = rows[event["id"]]
        code = str(types.value(ETYPE[event["type"]], SKOS.notation))
        assert (row["EventCode"], row["EventRootCode"]) == (code, code[:2])
        assert row["Status"] == event["status"]
        assert row["Date"], f"{event['id']} has no date in the CSV"
    # GDELT's quad classes: 01-05 verbal cooperation (1), 14-20 material conflict (4).
    assert rows["khalilzad-arrives-in-kabul"]["QuadClass"] == "1"
    assert rows["trump-stalls-process"]["QuadClass"] == "4"
    # Actor1 acts, Actor2 is acted upon.
    visit = rows["khalilzad-arrives-in-kabul"]
    assert (visit["Actor1Name"], visit["Actor2Name"]) == ("Zalmay Khalilzad", "Afghan government")
    proposal = rows["ceasefire-proposal"]
    assert (proposal["Actor1Name"], proposal["Actor2Name"]) == ("Zalmay Khalilzad", "Taliban")
    assert visit["ActionGeoName"] == "Kabul" and visit["Date"] == "2019-12-04"


def annotation_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((DEFAULT_DATA_DIR / "annotations").glob("*.yaml"))]


def gazetteer_copy(tmp_path: Path, redirects: str) -> Path:
    folder = tmp_path / "gazetteer"
    shutil.copytree(DEFAULT_DATA_DIR / "gazetteer", folder)
    (folder / "redirects.yaml").write_text(redirects, encoding="utf-8")
    return folder


def test_redirect_of_a_merged_actor(tmp_path: Path) -> None:
    m = IriMinter()
    folder = gazetteer_copy(tmp_path, "redirects:\n  - from: actor/suhail-shahhen\n    to: actor/suhail-shaheen\n")
    graph = load_gazetteer(folder, m).graph
    assert graph.value(m.actor("suhail-shahhen"), DCTERMS.isReplacedBy) == m.actor("suhail-shaheen")


@pytest.mark.parametrize("entry,words", [
    ("  - from: actor/someone-old\n    to: actor/nobody\n", "names no gazetteer entry"),
    ("  - from: actor/taliban\n    to: actor/suhail-shaheen\n", "is still a gazetteer entry"),
    ("  - from: person/x\n    to: actor/taliban\n", "must read actor/<id> or place/<id>"),
])
def test_bad_redirects_are_refused(tmp_path: Path, entry: str, words: str) -> None:
    folder = gazetteer_copy(tmp_path, "redirects:\n" + entry)
    with pytest.raises(AnnotationError, match=words) as caught:
        load_gazetteer(folder, IriMinter())
    assert caught.value.location.startswith(f"{folder / 'redirects.yaml'}:")
