"""Shared fixtures: the KB built from data/ into a real embedded store, and the seed article's alone."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from kb.build import Dataset, build, prepare
from kb.config import DEFAULT_DATA_DIR
from kb.namespaces import IriMinter
from kb.store import EmbeddedStore

#: tests/browser.py: the session's one headless chromium (Playwright) and its fixtures.
pytest_plugins = ["browser"]

# rdflib's own internals warn about their deprecated Dataset APIs; nothing to act on here.
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib\..*")


@pytest.fixture(scope="session")
def minter() -> IriMinter:
    return IriMinter()


@pytest.fixture(scope="session")
def seed_dataset(minter: IriMinter) -> Dataset:
    """The named graphs made from data/, converted and validated (not loaded)."""
    return prepare(DEFAULT_DATA_DIR, minter)


@pytest.fixture(scope="session")
def seed_store_path(tmp_path_factory: pytest.TempPathFactory, minter: IriMinter) -> Path:
    """A store folder holding the KB built from data/ by ``kb.build.build``."""
    path = tmp_path_factory.mktemp("seed") / "store"
    build(DEFAULT_DATA_DIR, str(path), minter)
    return path


@pytest.fixture(scope="session")
def seed_store(seed_store_path: Path) -> EmbeddedStore:
    """The seed store opened read-only."""
    return EmbeddedStore.open_reader(seed_store_path)


@pytest.fixture(scope="session")
def seed_only_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding only the seed article, its annotation, the gazetteer and a links.yaml
    that links nothing (read-only: copy it before changing anything)."""
    return copy_corpus_part(LINKED_SAMPLE[:1], tmp_path_factory.mktemp("seed-only") / "data")


#: The seed article and two articles that report some of its events: what the linked-data tests
#: crawl, small enough to dereference every IRI, with links between articles.
LINKED_SAMPLE = ("khalilzad-kabul-sahar-news", "december-talks-pause-hindu-kush-herald",
                 "trump-bagram-visit-logar-times")


def copy_corpus_part(articles: tuple[str, ...], data: Path) -> Path:
    """Copy the gazetteer, the named articles with their annotations and the part of links.yaml
    that refers to them alone into ``data``."""
    shutil.copytree(DEFAULT_DATA_DIR / "gazetteer", data / "gazetteer")
    for folder in ("articles", "annotations"):
        (data / folder).mkdir()
        for article in articles:
            for path in (DEFAULT_DATA_DIR / folder).glob(f"{article}.*"):
                shutil.copy(path, data / folder / path.name)
    links = yaml.safe_load((DEFAULT_DATA_DIR / "links.yaml").read_text(encoding="utf-8"))

    def kept(ref: str) -> bool:
        return ref.partition("/")[0] in articles

    clusters = []
    for cluster in links["events"]:
        reports = [r for r in cluster["reports"] if kept(r)]
        groups = [g for g in ([q for q in group if kept(q)] for group in cluster.get("quantities", [])) if len(g) > 1]
        if len(reports) > 1:
            clusters.append({**cluster, "reports": reports, "quantities": groups})
    links["events"] = clusters
    for key in ("responses", "outcomes", "preconditions"):
        links[key] = [entry for entry in links[key]
                      if all(kept(ref) for field, ref in entry.items() if field != "reason")]
    (data / "links.yaml").write_text(yaml.safe_dump(links, sort_keys=False), encoding="utf-8")
    return data


@pytest.fixture(scope="session")
def linked_sample_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the articles of ``LINKED_SAMPLE`` (read-only: copy it before changing
    anything)."""
    return copy_corpus_part(LINKED_SAMPLE, tmp_path_factory.mktemp("linked-sample") / "data")


@pytest.fixture(scope="session")
def seed_only_store(seed_only_data: Path, minter: IriMinter) -> Iterator[EmbeddedStore]:
    """The KB of the seed article alone: for tests whose expectations are the seed's own facts
    and counts."""
    location = seed_only_data.parent / "store"
    build(seed_only_data, str(location), minter)
    with EmbeddedStore.open_reader(location) as store:
        yield store
