"""Shared fixtures: the KB built from data/ into a real embedded store, and the seed article's alone."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

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
    """A data folder holding only the seed article, its annotation and the gazetteer (read-only:
    copy it before changing anything)."""
    data = tmp_path_factory.mktemp("seed-only") / "data"
    shutil.copytree(DEFAULT_DATA_DIR / "gazetteer", data / "gazetteer")
    for folder, name in (("articles", "khalilzad-kabul-sahar-news.txt"),
                         ("annotations", "khalilzad-kabul-sahar-news.yaml")):
        (data / folder).mkdir()
        shutil.copy(DEFAULT_DATA_DIR / folder / name, data / folder / name)
    return data


@pytest.fixture(scope="session")
def seed_only_store(seed_only_data: Path, minter: IriMinter) -> Iterator[EmbeddedStore]:
    """The KB of the seed article alone: for tests whose expectations are the seed's own facts
    and counts."""
    location = seed_only_data.parent / "store"
    build(seed_only_data, str(location), minter)
    with EmbeddedStore.open_reader(location) as store:
        yield store
