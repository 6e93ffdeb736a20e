"""The timeline index: written with each generation of the embedded store, built in process for
other stores, and always giving the same answer as the SPARQL-driven :func:`kb.timeline.timeline`.
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from servers import oxigraph_available, oxigraph_server
from timeline_kb import EXTRA_TRIG, build, generate, load_mini_and_extra

import kb.timeline_index
from kb.namespaces import SEM
from kb.store import EmbeddedStore, open_store
from kb.timeline import PAGE_SIZE, FilterError, Filters, parse_filters, timeline
from kb.timeline_index import (
    INDEX_FILE,
    choices,
    index_path,
    timeline_page,
    write_generation_index,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")
BASE = "https://peacekb.example/"


def every_page(store, filters: Filters) -> list:
    """All events of the index-driven timeline, page after page."""
    first = timeline_page(store, filters, 1, overview=False)
    events = list(first.events)
    for page in range(2, first.page_count + 1):
        events += timeline_page(store, filters, page, overview=False).events
    assert len(events) == first.total
    return events


def assert_same_answer(store, args: dict[str, list[str]]) -> int:
    filters = parse_filters(args, BASE)
    expected = timeline(store, filters)
    assert every_page(store, filters) == expected, args
    return len(expected)


MINI_FILTERS = [
    {},
    {"actor": ["taliban"]},
    {"actor": ["khalilzad", "ghani"]},
    {"type": ["negotiate"]},
    {"status": ["occurred", "planned"]},
    {"source": ["article/extra"]},
    {"source": ["actor/sahar-news"]},
    {"from": ["2019-11"], "to": ["2019-12-04"]},
    {"q": ["Reuters"]},
    {"q": ["kA"]},
    {"actor": ["united-states"], "type": ["negotiate"], "q": ["talks"], "to": ["2019"]},
]


def test_each_generation_holds_its_index(tmp_path):
    folder = load_mini_and_extra(tmp_path / "store")
    reader = EmbeddedStore.open_reader(folder)
    assert index_path(reader) == reader.generation_folder / INDEX_FILE
    for args in MINI_FILTERS:
        assert_same_answer(reader, args)


def test_index_matches_sparql_on_the_seed_kb(seed_store):
    actors = {a.iri for event in timeline(seed_store) for a in event.actors}
    assert seed_store.generation_folder is not None
    assert (seed_store.generation_folder / INDEX_FILE).exists()
    assert assert_same_answer(seed_store, {}) > 0
    for actor in sorted(actors)[:10]:
        assert_same_answer(seed_store, {"actor": [actor]})
    for args in ({"status": ["planned"]}, {"status": ["occurred"]}, {"from": ["2019-12"]}, {"q": ["taliban"]}):
        assert_same_answer(seed_store, args)


GENERATED_FILTERS = [
    {},
    {"actor": ["a0"]},
    {"actor": ["a1", "a7", "a25"]},
    {"type": ["https://peacekb.example/event-type/t3"]},
    {"status": ["planned"]},
    {"status": ["rejected", "cancelled", "possible"]},
    {"source": ["actor/pub3"]},
    {"source": ["article/art7", "article/art8"]},
    {"from": ["2005-03"], "to": ["2006"]},
    {"from": ["2010-06-15"]},
    {"to": ["2001-01-31"]},
    {"q": ["doha"]},
    {"q": ["RÉSUMÉ"]},  # case-folded beyond ASCII
    {"q": ["ün"]},  # shorter than a trigram
    {"q": ['"quoted" words']},
    {"q": ["Outlet 3 News"]},  # a publisher's name
    {"actor": ["a0", "a2"], "status": ["occurred"], "from": ["2008"], "to": ["2015-06"], "q": ["talks"]},
    {"type": ["https://peacekb.example/event-type/t1"], "source": ["actor/pub13"], "status": ["planned"]},
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> EmbeddedStore:
    return EmbeddedStore.open_reader(build(tmp_path_factory.mktemp("gen") / "store", 1500))


@pytest.mark.parametrize("args", GENERATED_FILTERS, ids=lambda a: json.dumps(a, ensure_ascii=False))
def test_index_matches_sparql_on_a_generated_kb(generated, args):
    found = assert_same_answer(generated, args)
    if not args:
        assert found == 1500


def test_generated_filters_are_not_trivial(generated):
    counts = {json.dumps(args): len(timeline(generated, parse_filters(args, BASE))) for args in GENERATED_FILTERS[1:]}
    assert all(count < 1500 for count in counts.values()), counts
    # every filter selects some events, but the quoted words and the last combination: none
    assert [args for args, count in counts.items() if count == 0] == [
        json.dumps(GENERATED_FILTERS[14]), json.dumps(GENERATED_FILTERS[-1])
    ]
    assert max(counts.values()) > PAGE_SIZE  # paging is exercised


def _graphs(trig: str) -> dict[URIRef, Graph]:
    dataset = Dataset()
    dataset.parse(data=trig, format="trig")
    return {g.identifier: g for g in dataset.graphs() if len(g)}


def test_a_new_generation_gets_a_new_index_and_old_readers_keep_theirs(tmp_path):
    folder = load_mini_and_extra(tmp_path / "store")
    old = EmbeddedStore.open_reader(folder)
    before = every_page(old, Filters())
    renamed = EXTRA_TRIG.replace('"Informal talks in Doha"@en', '"Quiet talks in Doha"@en')
    with EmbeddedStore.open_writer(folder) as writer:
        writer.replace_graphs({k: v for k, v in _graphs(renamed).items() if "article/extra" in str(k)})
    new = EmbeddedStore.open_reader(folder)
    assert new.generation_folder != old.generation_folder
    assert every_page(old, Filters()) == before  # the old generation still answers from its own index
    labels = [e.label for e in every_page(new, Filters())]
    assert "Quiet talks in Doha" in labels and "Informal talks in Doha" not in labels
    assert every_page(new, Filters()) == timeline(new)


def test_a_failed_index_write_leaves_data_and_index_as_they_were(tmp_path, monkeypatch):
    folder = load_mini_and_extra(tmp_path / "store")
    reader = EmbeddedStore.open_reader(folder)
    marker = (folder / "kb-store.json").read_text()
    index_bytes = (reader.generation_folder / INDEX_FILE).read_bytes()
    dump = reader.dump_nquads()
    folders = sorted(p.name for p in folder.iterdir())

    def broken(*_args, **_kwargs):
        raise OSError("disk full while writing the timeline index")

    monkeypatch.setattr(kb.timeline_index, "scan_events", broken)
    with EmbeddedStore.open_writer(folder) as writer, pytest.raises(Exception, match="rolled back"):
        writer.replace_graphs(_graphs(EXTRA_TRIG.replace("Doha", "Geneva")))
    monkeypatch.undo()
    assert (folder / "kb-store.json").read_text() == marker
    assert sorted(p.name for p in folder.iterdir()) == folders
    after = EmbeddedStore.open_reader(folder)
    assert after.dump_nquads() == dump
    assert (after.generation_folder / INDEX_FILE).read_bytes() == index_bytes


def test_a_store_without_an_index_file_gets_one_built_in_process(tmp_path):
    folder = load_mini_and_extra(tmp_path / "store")
    reader = EmbeddedStore.open_reader(folder)
    (reader.generation_folder / INDEX_FILE).unlink()  # as a store written before the index existed
    built = index_path(reader)
    assert built != reader.generation_folder / INDEX_FILE and built.exists()
    assert index_path(EmbeddedStore.open_reader(folder)) == built  # built once per generation
    for args in MINI_FILTERS:
        assert_same_answer(reader, args)


def test_unknown_values_and_pages_are_refused_with_a_message(tmp_path):
    reader = EmbeddedStore.open_reader(load_mini_and_extra(tmp_path / "store"))
    with pytest.raises(FilterError, match="No dated event has the actor 'nobody'"):
        timeline_page(reader, parse_filters({"actor": ["nobody"]}, BASE))
    with pytest.raises(FilterError, match="There is no page 3"):
        timeline_page(reader, Filters(), 3)
    assert timeline(reader, parse_filters({"actor": ["nobody"]}, BASE)) == []


@pytest.mark.skipif(not oxigraph_available(), reason="the oxigraph CLI is not installed")
def test_a_remote_store_answers_from_an_index_built_in_process(tmp_path):
    embedded = EmbeddedStore.open_reader(load_mini_and_extra(tmp_path / "store"))
    dataset = Dataset()
    dataset.parse(Path(__file__).parent / "fixtures" / "mini.trig", format="trig")
    dataset.parse(data=EXTRA_TRIG, format="trig")
    graphs = {g.identifier: g for g in dataset.graphs() if len(g) and isinstance(g.identifier, URIRef)}
    with oxigraph_server(tmp_path / "oxigraph") as server:
        with open_store(server.query_url, writable=True) as writer:
            writer.replace_graphs(graphs, clear_all=True)
        remote = open_store(server.query_url)
        for args in MINI_FILTERS:
            filters = parse_filters(args, BASE)
            assert every_page(remote, filters) == every_page(embedded, filters), args
        first = index_path(remote)
        time.sleep(1.1)  # the modified stamp counts whole seconds
        with open_store(server.query_url, writable=True) as writer:
            writer.replace_graphs({k: v for k, v in _graphs(EXTRA_TRIG.replace("Doha", "Geneva")).items()
                                   if "article/extra" in str(k)})
        remote = open_store(server.query_url)
        assert index_path(remote) != first
        assert "Informal talks in Geneva" in [e.label for e in every_page(remote, Filters())]


def _positions(store: EmbeddedStore) -> dict[str, int]:
    with sqlite3.connect(store.generation_folder / INDEX_FILE) as db:
        return dict(db.execute("SELECT iri, pos FROM event").fetchall())


def _same_as_a_whole_build(store: EmbeddedStore, tmp_path: Path) -> None:
    """Every table answer of the updated index equals that of an index built from scratch."""
    whole = EmbeddedStore(store.path, store._store)
    rebuilt = write_generation_index(store._store, tmp_path)
    for args in ({}, {"actor": ["a1"]}, {"actor": ["a0", "a3"], "status": ["occurred"]}, {"q": ["renamed"]},
                 {"source": ["article/art3"]}, {"from": ["2006"], "to": ["2007-06"]}):
        filters = parse_filters(args, BASE)
        assert every_page(store, filters) == timeline(store, filters), args
        for overview in (True, False):
            kb.timeline_index._built.clear()
            updated = timeline_page(store, filters, overview=overview)
            with monkeypatched_index(whole, rebuilt):
                assert timeline_page(whole, filters, overview=overview) == updated, args
    for kind in ("actor", "type", "status", "source"):
        with monkeypatched_index(whole, rebuilt):
            assert choices(whole, kind, 10_000) == choices(store, kind, 10_000), kind


@contextmanager
def monkeypatched_index(store, path: Path):
    original = kb.timeline_index.index_path
    kb.timeline_index.index_path = lambda s: path if s is store else original(s)
    try:
        yield
    finally:
        kb.timeline_index.index_path = original


def test_a_write_of_some_graphs_updates_the_index_of_the_events_it_touches(tmp_path):
    folder = build(tmp_path / "store", 300)
    before = _positions(EmbeddedStore.open_reader(folder))
    untouched = [e.iri for e in timeline(EmbeddedStore.open_reader(folder))
                 if "/art3/" not in e.iri and f"{BASE}id/actor/a1" not in [a.iri for a in e.actors]]
    dataset = Dataset()
    dataset.parse(data=generate(300).decode("utf-8"), format="nquads")
    gazetteer = dataset.graph(URIRef(f"{BASE}graph/gazetteer"))
    article = dataset.graph(URIRef(f"{BASE}graph/article/art3"))
    actor = URIRef(f"{BASE}id/actor/a1")
    gazetteer.set((actor, RDFS.label, Literal("Renamed actor", lang="en")))
    gone, moved = URIRef(f"{BASE}id/event/art3/e30"), URIRef(f"{BASE}id/event/art3/e31")
    article.remove((gone, None, None))
    stamp = next(p for p, o in article.predicate_objects(moved) if str(p).startswith(str(SEM)) and "Stamp" in str(p))
    article.set((moved, stamp, Literal("2010-06-15", datatype=XSD.date)))
    added = URIRef(f"{BASE}id/event/art3/added")
    article.add((added, RDF.type, SEM.Event))
    article.add((added, RDFS.label, Literal("A renamed meeting", lang="en")))
    article.add((added, SEM.hasTimeStamp, Literal("2010-06-15", datatype=XSD.date)))
    article.add((added, SEM.hasActor, actor))
    with EmbeddedStore.open_writer(folder) as writer:
        writer.replace_graphs({gazetteer.identifier: gazetteer, article.identifier: article})
    store = EmbeddedStore.open_reader(folder)
    after = _positions(store)
    assert str(gone) not in after and str(added) in after and after[str(moved)] != before[str(moved)]
    assert all(after[iri] == before[iri] for iri in untouched)  # updated in place, not rebuilt
    assert "Renamed actor" in [a.label for e in timeline(store) for a in e.actors]
    _same_as_a_whole_build(store, tmp_path)

    more = b"".join(
        line + b"\n" for line in generate(320).splitlines() if b"/art31>" in line or b"/art30>" in line
    )
    with EmbeddedStore.open_writer(folder) as writer:
        writer.load_quads(more, ox.RdfFormat.N_QUADS)
    store = EmbeddedStore.open_reader(folder)
    assert all(_positions(store)[iri] == after[iri] for iri in untouched)
    assert len(timeline(store)) == 300 + 20  # one event removed, one added, two articles of ten loaded
    _same_as_a_whole_build(store, tmp_path)
