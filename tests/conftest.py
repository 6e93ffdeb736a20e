"""Shared fixtures: the seed KB built from data/ into a real embedded store."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from kb.build import Dataset, build, prepare
from kb.config import DEFAULT_DATA_DIR
from kb.namespaces import IriMinter
from kb.store import EmbeddedStore

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
