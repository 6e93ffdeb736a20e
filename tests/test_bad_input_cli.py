"""Bad input through the installed `kb` command: every file of the bad-input corpus (tests/bad_input/
and the big, deep and missing ones), a wrong evidence span, a shape violation, a duplicate article
under another name, a read-only and a locked store. Each gets one `error:` line naming the file and
the fault, exit code 1, and the store (its sorted N-Quads and its dumps folder) as it was.

The expected fault phrases are the reader test's (tests/test_readers_bad_input.py), and each line
is compared with what `read_article` itself says about the same file.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from rdflib import Graph
from rdflib.namespace import SH
from test_readers_bad_input import BAD, CASES

from kb.articles import read_article
from kb.build import build
from kb.errors import InputError
from kb.namespaces import IriMinter
from kb.store import EmbeddedStore

KB = Path(sys.executable).with_name("kb")
SHAPES = Path(__file__).parents[1] / "ontology" / "shapes.ttl"
SEED = "khalilzad-kabul-sahar-news"
MINTER = IriMinter()
PUBLISHED, PUBLISHER = "2019-12-04", "Sahar News"
GIVEN = ("--published", PUBLISHED, "--publisher", PUBLISHER)
#: Articles of the corpus that read well (tests/test_readers_bad_input.py tests them apart).
GOOD = {"utf16-bom.txt", "unclosed.html"}
#: Files whose fault is their own date: a date given on the command line wins over it, so they
#: are ingested with only --publisher.
DATED = {"impossible-date.md", "impossible-date.html", "not-a-date.md", "future-date.md"}
#: kb ingest refuses these by their suffix before reading them (its message, not the reader's).
TAKES = "kb ingest takes annotations (.yaml) and articles (.txt, .md"
NOT_ARTICLES = {"events.csv": ("is a '.csv' file", TAKES), "events.json": ("is a '.json' file", TAKES)}
#: Fault phrases of the files the reader test checks in their own tests (the same phrases).
APART = {"windows-1252.txt": ("is not valid UTF-8", "looks like Windows-1252"),
         "huge.txt": ("is 50.0 MB", "read up to 10 MB"),
         "deep-empty.html": ("has no article text",),
         "missing.html": ("no such file", "check the path"),
         "articles.md": ("is a folder", "give an article file")}


def kb(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KB), *map(str, args)], check=False, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "KB_BASE_IRI": str(MINTER.base)})


def snapshot(store: Path) -> tuple[list[str], dict[str, bytes]]:
    """The store's sorted N-Quads and the bytes of each file of its dumps folder (kept parts included)."""
    with EmbeddedStore.open_reader(store) as reader:
        quads = sorted(reader.dump_nquads().decode("utf-8").splitlines())
    dumps = store.with_name(f"{store.name}-dumps")
    return quads, {str(p.relative_to(dumps)): p.read_bytes() for p in sorted(dumps.rglob("*")) if p.is_file()}


def error_lines(result: subprocess.CompletedProcess[str], path: Path) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith(f"error: {path}: ")]


def reader_message(path: Path, **given: object) -> str:
    with pytest.raises(InputError) as caught:
        read_article(path, **given)
    return str(caught.value)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, seed_only_data: Path) -> Path:
    """The seed article's store, built once (copy it before writing)."""
    store = tmp_path_factory.mktemp("built") / "store"
    build(seed_only_data, str(store), MINTER)
    return store


@pytest.fixture
def store(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built store and its dumps folder."""
    copy = tmp_path / "stores" / "store"
    shutil.copytree(built, copy)
    shutil.copytree(built.with_name("store-dumps"), copy.with_name("store-dumps"))
    return copy


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The bad inputs too big or odd to keep in the repository: a 50 MB text, 5 000-deep HTML
    without text, a path that does not exist and a folder."""
    folder = tmp_path_factory.mktemp("generated")
    huge = folder / "huge.txt"
    line = b"The envoy met the delegation in Doha on Monday to discuss the talks.\n"
    huge.write_bytes(line * (50 * 1024 * 1024 // len(line) + 1))
    deep = folder / "deep-empty.html"
    deep.write_text("<span><b><i>" * 5000, encoding="utf-8")
    (folder / "articles.md").mkdir()
    return [huge, deep, folder / "missing.html", folder / "articles.md"]


@pytest.fixture
def data(seed_only_data: Path, tmp_path: Path) -> Path:
    """A private copy of the seed-only data folder, which a test may break."""
    copy = tmp_path / "data"
    shutil.copytree(seed_only_data, copy)
    return copy


def phrases(path: Path) -> tuple[str, ...]:
    return NOT_ARTICLES.get(path.name) or CASES.get(path.name) or APART[path.name]


def assert_refused_each(result: subprocess.CompletedProcess[str], files: list[Path], **given: object) -> None:
    """One error line per file, naming it, holding the reader test's phrases and equal to the
    reader's own message for the file (read with the same metadata)."""
    assert "Traceback" not in result.stderr, result.stderr
    assert sum(line.startswith("error: ") for line in result.stderr.splitlines()) == len(files), result.stderr
    for path in files:
        lines = error_lines(result, path)
        assert len(lines) == 1, (path, result.stderr)
        for fault in phrases(path):
            assert fault in lines[0], lines[0]
        if path.name not in NOT_ARTICLES:
            assert lines[0] == f"error: {reader_message(path, **given)}"
    assert f"{len(files)} of {len(files)} file(s) failed" in result.stderr


def test_every_bad_file_in_one_ingest_is_refused_and_the_store_is_unchanged(
        store: Path, generated: list[Path], data: Path) -> None:
    files = sorted(p for p in BAD.iterdir() if p.name not in GOOD | DATED) + generated
    assert len(files) == 28
    before = snapshot(store)
    result = kb("ingest", *files, *GIVEN, "--data", data, "--store", store)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert_refused_each(result, files, published=date.fromisoformat(PUBLISHED), publisher=PUBLISHER)
    assert snapshot(store) == before


def test_files_with_a_bad_date_are_refused_when_no_date_is_given(store: Path, data: Path) -> None:
    files = sorted(BAD / name for name in DATED)
    before = snapshot(store)
    result = kb("ingest", *files, "--publisher", PUBLISHER, "--data", data, "--store", store)
    assert result.returncode == 1, result.stderr
    assert_refused_each(result, files, publisher=PUBLISHER)
    assert snapshot(store) == before


def test_a_good_article_among_bad_ones_still_loads(store: Path, data: Path) -> None:
    good, bad = BAD / "unclosed.html", [BAD / "empty.txt", BAD / "events.csv"]
    before, _ = snapshot(store)
    result = kb("ingest", bad[0], good, bad[1], *GIVEN, "--data", data, "--store", store)
    assert result.returncode == 1, result.stderr
    assert f"loaded {good}" in result.stdout
    for path in bad:
        assert len(error_lines(result, path)) == 1, result.stderr
    assert "2 of 3 file(s) failed" in result.stderr
    after, _ = snapshot(store)
    graph = f"<{MINTER.article_graph('unclosed')}>"
    assert any(q.endswith(f" {graph} .") for q in after)
    assert [q for q in after if not q.endswith(f" {graph} .")] == before, "the other graphs are untouched"


# --- annotations and stores ---------------------------------------------------------------------


def one_error(result: subprocess.CompletedProcess[str]) -> str:
    """The one `error:` line of a failed run (and no traceback)."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def seed_annotation(data: Path) -> Path:
    return data / "annotations" / f"{SEED}.yaml"


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize("command", ["ingest", "build"])
def test_an_evidence_span_that_does_not_match_says_where_the_quote_is(
        store: Path, command: str, data: Path) -> None:
    annotation = seed_annotation(data)
    text = annotation.read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    evidence = doc["events"][0]["evidence"]
    span = evidence[0] if isinstance(evidence, list) else evidence
    start, end = span["start"], span["end"]
    old = f"start: {start}, end: {end}"
    assert text.count(old) == 1, "the test edits one span written inline"
    annotation.write_text(text.replace(old, f"start: {start + 3}, end: {end + 3}"), encoding="utf-8")
    body = read_article(data / "articles" / f"{SEED}.txt").body
    where = body.find(span["exact"])
    assert where == start

    before = snapshot(store)
    args = (annotation,) if command == "ingest" else ()
    result = kb(command, *args, "--data", data, "--store", store)
    one_error(result)  # ingest: the fault itself; build: "1 problem(s)" and the fault below it
    at = f"{annotation}:{line_of(annotation, f'start: {start + 3}')}: "
    faults = [line for line in result.stderr.splitlines() if at in line]
    assert len(faults) == 1, result.stderr
    assert f"the quote is at start: {where}, end: {where + len(span['exact'])}" in faults[0]
    assert snapshot(store) == before


def test_a_reviewed_annotation_that_violates_the_shapes_names_the_shape_message(
        store: Path, data: Path) -> None:
    annotation = seed_annotation(data)
    text = annotation.read_text(encoding="utf-8")
    start = text.index("  - id: officials-indicate-reduction")  # a statement needs a quote or a content
    broken = text[:start] + text[start:].replace(
        "    content: The number of US troops in Afghanistan could be reduced to 8600.\n", "", 1)
    assert broken != text and "status: reviewed" in text
    annotation.write_text(broken, encoding="utf-8")
    before = snapshot(store)
    result = kb("ingest", annotation, "--data", data, "--store", store)
    line = one_error(result)
    assert line.startswith(f"error: {annotation}: ") and "SHACL violation" in line
    details = [d.strip().removeprefix("- ") for d in result.stderr.splitlines() if d.startswith("  - ")]
    shape_messages = {str(m) for m in Graph().parse(SHAPES).objects(None, SH.message)}
    where = f"{annotation}:{line_of(annotation, '- id: officials-indicate-reduction')}: "
    named = [d for d in details if d.startswith(where) and any(m in d for m in shape_messages)]
    assert len(named) == 1, details
    assert snapshot(store) == before


def test_a_duplicate_article_under_another_name_is_refused_naming_the_original(
        store: Path, tmp_path: Path, data: Path) -> None:
    copy = tmp_path / "kabul-talks-copy.txt"
    shutil.copy(data / "articles" / f"{SEED}.txt", copy)
    before = snapshot(store)
    line = one_error(kb("ingest", copy, *GIVEN, "--data", data, "--store", store))
    assert line.startswith(f"error: {copy}: ")
    assert f"<{MINTER.article(SEED)}>" in line and "already in the store" in line
    assert snapshot(store) == before


def test_two_copies_in_one_run_load_once(store: Path, tmp_path: Path, data: Path) -> None:
    """The second copy is refused even though the first is not written yet (same batch)."""
    first, second = tmp_path / "copy-one.txt", tmp_path / "copy-two.txt"
    text = ("Zalmay Khalilzad met Taliban negotiators in Doha on Saturday, a spokesman said.\n\n"
            "The talks will resume next week, according to the spokesman.\n")
    for path in (first, second):
        path.write_text(text, encoding="utf-8")
    result = kb("ingest", first, second, *GIVEN, "--data", data, "--store", store)
    line = one_error(result)
    assert line.startswith(f"error: {second}: ")
    assert f"<{MINTER.article('copy-one')}>" in line and "earlier in this run" in line
    assert f"loaded {first}" in result.stdout
    with EmbeddedStore.open_reader(store) as reader:
        graphs = reader.graph_names()
    assert str(MINTER.article_graph("copy-one")) in graphs
    assert str(MINTER.article_graph("copy-two")) not in graphs


def test_a_read_only_store_folder_is_refused(store: Path, data: Path) -> None:
    folders = [store, *store.iterdir()]
    before = snapshot(store)
    for folder in folders:
        if folder.is_dir():
            folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(store, os.W_OK):
            pytest.skip("the file system lets this user write a read-only folder (running as root)")
        line = one_error(kb("ingest", seed_annotation(data), "--data", data, "--store", store))
        assert line.startswith(f"error: {store}: ") and "cannot open the store for writing" in line
    finally:
        for folder in folders:
            if folder.is_dir():
                folder.chmod(stat.S_IRWXU)
    assert snapshot(store) == before


def test_a_store_locked_by_another_process_is_refused(store: Path, data: Path) -> None:
    before = snapshot(store)
    with EmbeddedStore.open_writer(store):
        line = one_error(kb("ingest", seed_annotation(data), "--data", data, "--store", store))
    assert line.startswith(f"error: {store}: ") and "locked by another process" in line
    assert snapshot(store) == before
