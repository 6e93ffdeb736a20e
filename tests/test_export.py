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
from kb.export import CHECKSUMS, NQUADS, PARTS, TRIG, Changes, dumps_dir, write_dumps
from kb.gazetteer import load_gazetteer
from kb.namespaces import ETYPE, IriMinter
from kb.store import EmbeddedStore

ANNOTATION = DEFAULT_DATA_DIR / "annotations" / "khalilzad-kabul-sahar-news.yaml"


@pytest.fixture(scope="module")
def built(seed_store_path: Path) -> Path:
    """The session's build of data/ (read only here: the tests that write work on copies)."""
    return seed_store_path


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


def parts(store: Path) -> dict[str, tuple[int, int]]:
    """The kept gzip members beside a store: file name -> (inode, modification time)."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (dumps_dir(store) / PARTS).glob("*.gz")}


def test_an_ingest_remakes_only_the_members_of_the_graphs_it_wrote(built: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(built, store)
    shutil.copytree(dumps_dir(built), dumps_dir(store))
    before = parts(store)
    annotation = tmp_path / "annotations" / "seed-again.yaml"
    annotation.parent.mkdir()
    doc = yaml.safe_load(ANNOTATION.read_text(encoding="utf-8"))
    doc["article"].update(id="seed-again", file=str(ANNOTATION.parent / doc["article"]["file"]))
    annotation.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kb", "ingest", str(annotation), "--store", str(store)],
                            check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr

    after = parts(store)
    remade = {name for name in after if after[name] != before.get(name)}
    # the new article's graph only: the gazetteer and ontology graphs are as stored, so not written
    assert len(remade) == 2 and remade == set(after) - set(before)
    with EmbeddedStore.open_reader(store) as reader:
        write_dumps(reader, tmp_path / "whole")  # every member made afresh
    for name in (NQUADS, TRIG, CHECKSUMS):
        assert (dumps_dir(store) / name).read_bytes() == (tmp_path / "whole" / name).read_bytes()


def test_an_ingest_with_a_changed_gazetteer_writes_it_and_remakes_its_members(built: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(built, store)
    shutil.copytree(dumps_dir(built), dumps_dir(store))
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    actors = data / "gazetteer" / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8").replace("label: Zalmay Khalilzad", "label: Zalmay M. Khalilzad", 1),
                      encoding="utf-8")
    before = parts(store)
    result = subprocess.run([sys.executable, "-m", "kb", "ingest", str(data / "annotations" / ANNOTATION.name),
                             "--data", str(data), "--store", str(store)],
                            check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    with EmbeddedStore.open_reader(store) as reader:
        assert reader.ask('ASK { GRAPH <https://peacekb.example/graph/gazetteer> { ?a ?p "Zalmay M. Khalilzad"@en } }')
        write_dumps(reader, tmp_path / "whole")
    after = parts(store)
    assert len({name for name in after if after[name] != before.get(name)}) == 2 * 2  # gazetteer and article
    assert (dumps_dir(store) / NQUADS).read_bytes() == (tmp_path / "whole" / NQUADS).read_bytes()


def test_a_damaged_or_outdated_member_is_made_again(built: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(built, store)
    shutil.copytree(dumps_dir(built), dumps_dir(store))
    damaged = sorted((dumps_dir(store) / PARTS).glob("*.nq.gz"))[0]
    damaged.write_bytes(damaged.read_bytes()[:-5])
    with EmbeddedStore.open_reader(store) as reader:
        write_dumps(reader, dumps_dir(store), Changes(reader.generation))
        write_dumps(reader, tmp_path / "whole")
        for name in (NQUADS, TRIG):
            assert (dumps_dir(store) / name).read_bytes() == (tmp_path / "whole" / name).read_bytes()
        kept = parts(store)
        write_dumps(reader, dumps_dir(store), Changes("gen-0"))  # changes since another generation
    remade = parts(store)
    assert remade.keys() == kept.keys() and all(remade[name] != kept[name] for name in kept)


def test_kb_export_writes_dumps_and_events_csv(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "kb", "export", "--store", str(built), "--out", str(out)],
                            check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert {p.name for p in out.iterdir()} == {NQUADS, TRIG, CHECKSUMS, "events.csv"}
    assert sorted(gzip.decompress((out / NQUADS).read_bytes()).splitlines()) == kb_dump(built).splitlines()
    for name in (NQUADS, TRIG):  # the same bytes as the dumps kept beside the store
        assert (out / name).read_bytes() == (dumps_dir(built) / name).read_bytes()

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
