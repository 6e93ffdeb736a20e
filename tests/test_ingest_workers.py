"""`kb ingest --workers 2` (drafts, conversions and validations in worker processes) ends as a run
in one process does: the same lines, the same drafts, the same store; a body given twice in one
run is refused even while the first copy is still being checked; a failing file is reported in
its place and the others load.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from cli_support import MINTER, kb

from kb.config import DEFAULT_DATA_DIR
from kb.store import EmbeddedStore

#: Articles that carry their own date and publisher (front matter or page metadata).
ARTICLES = ["doha-agreement-salang-review.md", "eid-ceasefire-hindu-kush-herald.md", "talks-open-salang-review.md",
            "kabul-falls-oxus-dispatch.html", "biden-withdrawal-lapis-wire.html", "loya-jirga-oxus-dispatch.md",
            "rif-begins-oxus-dispatch.md", "kabul-bombing-registan-courier.md"]
ANNOTATION = DEFAULT_DATA_DIR / "annotations" / "khalilzad-kabul-sahar-news.yaml"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """A data folder with the gazetteer only, and the files of one run: article files, an
    annotation, a copy of the first article under another name, and two files that fail."""
    folder = tmp_path_factory.mktemp("workers")
    data = folder / "data"
    shutil.copytree(DEFAULT_DATA_DIR / "gazetteer", data / "gazetteer")
    (data / "annotations").mkdir()
    files = folder / "in"
    files.mkdir()
    paths = []
    for name in ARTICLES:
        paths.append(files / name)
        shutil.copy(DEFAULT_DATA_DIR / "articles" / name, paths[-1])
    copy = files / "copy-of-the-first.md"
    shutil.copy(paths[0], copy)
    paths.insert(1, copy)  # checked while the first is still in a worker
    undated = files / "undated-report.txt"
    undated.write_text("Talks resumed in Doha.\n\nThe delegations met again on Saturday.\n", encoding="utf-8")
    paths.insert(3, undated)
    paths.insert(5, ANNOTATION)
    broken = files / "broken-annotation.yaml"
    broken.write_text("format: 1\narticle: [this is not a mapping\n", encoding="utf-8")
    paths.append(broken)
    return data, paths


def ingest(inputs: tuple[Path, list[Path]], folder: Path, workers: int) -> tuple[subprocess.CompletedProcess, Path]:
    data, paths = inputs
    store = folder / "store"
    return kb("ingest", *paths, "--workers", str(workers), "--data", data, "--store", store, timeout=300), store


def dataset(store: Path) -> set[str]:
    with EmbeddedStore.open_reader(store) as reader:
        return set(reader.dump_nquads().decode("utf-8").splitlines())


def drafts(store: Path) -> dict[str, str]:
    folder = store.with_name(f"{store.name}-drafts")
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.yaml"))}


@pytest.fixture(scope="module")
def one_process(inputs, tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    return ingest(inputs, tmp_path_factory.mktemp("one"), 1)


@pytest.fixture(scope="module")
def two_workers(inputs, tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    return ingest(inputs, tmp_path_factory.mktemp("two"), 2)


def printed(run: tuple[subprocess.CompletedProcess, Path]) -> tuple[int, str, str]:
    """The exit code and output of a run, its own store folder named STORE."""
    done, store = run
    folder = str(store.parent)
    return done.returncode, done.stdout.replace(folder, "STORE"), done.stderr.replace(folder, "STORE")


def test_two_workers_print_what_one_process_prints(one_process, two_workers) -> None:
    two = two_workers[0]
    assert printed(two_workers) == printed(one_process)
    assert two.returncode == 1
    assert len(two.stdout.splitlines()) == len(ARTICLES) + 1  # the articles and the annotation loaded


def test_two_workers_write_the_same_store_and_drafts(one_process, two_workers) -> None:
    (_, one), (_, two) = one_process, two_workers
    assert dataset(two) == dataset(one)
    assert drafts(two) == drafts(one)
    assert len(drafts(two)) == len(ARTICLES)


def test_failures_are_reported_in_the_order_of_the_files(two_workers, inputs) -> None:
    _, paths = inputs
    errors = two_workers[0].stderr.splitlines()
    failed = [path for path in paths if any(line.startswith(f"error: {path}:") for line in errors)]
    assert [path.name for path in failed] == ["copy-of-the-first.md", "undated-report.txt", "broken-annotation.yaml"]
    duplicate = next(line for line in errors if line.startswith(f"error: {failed[0]}:"))
    assert "earlier in this run" in duplicate and f"<{MINTER.article('doha-agreement-salang-review')}>" in duplicate
    assert errors[-1] == f"3 of {len(paths)} file(s) failed and were not loaded."
