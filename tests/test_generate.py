"""benchmarks/generate.py: a deterministic synthetic corpus that the whole pipeline accepts.

* Same events and seed: the same bytes in every file; another seed: another corpus.
* At 1k events every generated annotation reads, converts and passes the SHACL shapes
  (kb.build.prepare), every event type of ontology/event-types.ttl occurs, and the N-Quads hold
  exactly the triples the pipeline makes of the annotations.
* Actors follow a long tail: a few are in many articles, most in few.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

from benchmarks.generate import Corpus, generate
from kb.build import prepare
from kb.namespaces import IriMinter
from kb.ontology import load_vocabulary

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return generate(300, seed=3, root=tmp_path_factory.mktemp("gen") / "c")


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    root = tmp_path / "c"
    first = files(generate(150, seed=5, root=root).root)
    shutil.rmtree(root)
    again = files(generate(150, seed=5, root=root).root)  # the same place: peace:sourceFile is a path
    other = files(generate(150, seed=6, root=tmp_path / "other").root)
    assert len(first) > 10
    assert first == again
    assert first["kb.nq"] != other["kb.nq"]
    assert first["data/gazetteer/actors.yaml"] != other["data/gazetteer/actors.yaml"]


def test_reuses_a_generated_corpus(tmp_path: Path) -> None:
    first = generate(60, seed=2, root=tmp_path / "c")
    stamp = first.nquads.stat().st_mtime_ns
    again = generate(60, seed=2, root=tmp_path / "c")
    assert again.nquads.stat().st_mtime_ns == stamp
    assert again.manifest == first.manifest


def test_counts_and_event_types(corpus: Corpus) -> None:
    events: Counter[str] = Counter()
    for path in corpus.annotation_files():
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        events.update(e["type"] for e in doc.get("events", []))
    assert sum(events.values()) == corpus.manifest["events"] >= 300
    assert set(events) == load_vocabulary().event_types()
    assert len(corpus.annotation_files()) == corpus.manifest["articles"]


def test_annotations_pass_the_pipeline_and_match_the_nquads(corpus: Corpus) -> None:
    dataset = prepare(corpus.data_dir, IriMinter())  # raises BuildFailed on any SHACL violation
    assert len(dataset.articles) == corpus.manifest["articles"]
    built = {ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(iri)))
             for iri, graph in dataset.graphs.items()
             for t in ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)}
    loaded = set(ox.parse(path=str(corpus.nquads), format=ox.RdfFormat.N_QUADS))
    assert loaded == built
    assert len(loaded) == corpus.manifest["triples"] == dataset.triple_count()


def test_actors_have_a_long_tail(corpus: Corpus) -> None:
    articles_per_actor: Counter[str] = Counter()
    for path in corpus.annotation_files():
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        actors = {a for e in doc.get("events", []) for names in e["roles"].values() for a in names}
        articles_per_actor.update(actors)
    counts = sorted(articles_per_actor.values(), reverse=True)
    assert counts[0] >= 0.3 * corpus.manifest["articles"]  # the head: in a third of the articles or more
    assert sum(1 for c in counts if c <= 3) >= len(counts) // 4  # the tail: many actors in few articles
