"""Atomic build and ingest: ``kb build`` / ``kb ingest`` killed with SIGKILL at random points.

Two versions of a data folder made from data/'s gazetteer and seed article (A, with one event
relabelled, and B, as it is) alternate: the store holds one, a real ``kb`` process loads the other
and is killed after a seeded random delay. Then the store must open with exactly the old or the
new dataset (sorted N-Quads), pass ``kb validate``, and a re-run must complete to the dataset an
uninterrupted run gives (for ingest: the dataset a build of the same data gives).

Where to kill comes from the run before (the first run is timed uninterrupted, then each re-run is
timed, so the plan follows the machine's load): at a seeded random fraction either of the whole
run, from its start, or of its store-writing span, from the moment its new generation folder
appears, where a kill can catch a write in progress. The two anchors alternate, and the fractions
of each are stratified (one in each of as many equal slices of the run as that anchor has trials),
so that even a few trials reach both sides of the switch. A run that ended before its kill does not
count as a trial.

Run with ``-s`` to see the outcome of every trial; set ``KB_KILL_TRIALS`` for more build trials
than the suite's 10 (ingest gets a fifth as many, at least 4).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from kb.config import DEFAULT_DATA_DIR, PROJECT_ROOT
from kb.export import CHECKSUMS, NQUADS, dumps_dir
from kb.store import EmbeddedStore
from kb.timeline import Filters, timeline
from kb.timeline_index import INDEX_FILE, timeline_page

KB = PROJECT_ROOT / ".venv" / "bin" / "kb"
ANNOTATION = "annotations/khalilzad-kabul-sahar-news.yaml"
ARTICLE = "articles/khalilzad-kabul-sahar-news.txt"
MARKER = "kb-store.json"
OLD_LABEL = "label: Khalilzad arrives in Kabul to discuss resuming peace talks"
SEED = 20261130
BUILD_TRIALS = int(os.environ.get("KB_KILL_TRIALS", "10"))
INGEST_TRIALS = max(4, BUILD_TRIALS // 5)

pytestmark = pytest.mark.skipif(not KB.exists(), reason="needs the kb console script in .venv")


@dataclass(frozen=True)
class Timing:
    """One uninterrupted run, seen from outside (seconds from its start): when its new generation
    folder appeared, when the marker switched to it, and when the process ended."""

    first_write: float
    switch: float
    end: float


@dataclass(frozen=True)
class Kill:
    """When to kill a run: a ``fraction`` of its measured length after its start ("start"), or of
    its measured store-writing span after its new generation folder appears ("write")."""

    anchor: str
    fraction: float

    def delay(self, timing: Timing) -> float:
        return self.fraction * (timing.end if self.anchor == "start" else timing.end - timing.first_write)


@dataclass
class Versions:
    """The two data folders and the dataset an uninterrupted build of each gives."""

    data: dict[str, Path]
    expected: dict[str, bytes]


def kb(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(KB), *map(str, args)], check=False, capture_output=True, text=True,
                          timeout=timeout, cwd=PROJECT_ROOT)


def dataset(store: Path) -> bytes:
    """The canonical form of a store's dataset: its N-Quads, lines sorted (the KB has no blank nodes)."""
    with EmbeddedStore.open_reader(store) as reader:
        return reader.dump_nquads()


def generations(store: Path) -> set[str]:
    return {p.name for p in store.iterdir() if p.name.startswith(("gen-", ".removing-"))}


def generation_states(store: Path) -> set[tuple[str, int]]:
    """Each generation folder's name and change time: a killed run's leftover that the next run
    removes and writes again under the same name ("gen-3") counts as written."""
    found = set()
    for folder in store.iterdir():
        if folder.name.startswith(("gen-", ".removing-")):
            try:
                found.add((folder.name, folder.stat().st_ctime_ns))
            except FileNotFoundError:  # removed between the listing and the stat
                continue
    return found


def dumps_state(store: Path, versions: Versions, old: str, new: str) -> str:
    """The dumps beside the store: "old" or "new" (the dataset they hold, matching their
    SHA256SUMS), "checksum mismatch", "other" or "missing"."""
    folder = dumps_dir(store)
    try:
        sums = dict(reversed(line.split("  ")) for line in (folder / CHECKSUMS).read_text().splitlines())
        if any(hashlib.sha256((folder / name).read_bytes()).hexdigest() != d for name, d in sums.items()):
            return "checksum mismatch"
        data = b"".join(sorted(gzip.decompress((folder / NQUADS).read_bytes()).splitlines(keepends=True)))
    except OSError:
        return "missing"
    return {versions.expected[old]: "old", versions.expected[new]: "new"}.get(data, "other")


def current(store: Path) -> str | None:
    try:
        return json.loads((store / MARKER).read_text())["current"]
    except (OSError, ValueError):
        return None


def timed_run(args: list[str | Path], store: Path) -> Timing:
    """Run ``kb *args`` to the end, polling the store folder for its new generation and the switch."""
    before, marker = generation_states(store), current(store)
    start = time.monotonic()
    child = subprocess.Popen([str(KB), *map(str, args)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT)
    first_write = switch = None
    while child.poll() is None:
        now = time.monotonic() - start
        if first_write is None and generation_states(store) - before:
            first_write = now
        if switch is None and current(store) != marker:
            switch = now
        time.sleep(0.002)
    end = time.monotonic() - start
    errors = child.stderr.read()
    child.stderr.close()
    assert child.returncode == 0, errors
    assert first_write is not None, "the run wrote no generation"
    return Timing(first_write, switch or end, end)


def kill_run(args: list[str | Path], store: Path, kill: Kill, timing: Timing) -> tuple[bool, float]:
    """Run ``kb *args`` and SIGKILL it as ``kill`` says; return whether it was still running then
    and the delay used."""
    before = generations(store)
    child = subprocess.Popen([str(KB), *map(str, args)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, cwd=PROJECT_ROOT)
    if kill.anchor == "write":
        while child.poll() is None and not generations(store) - before:
            time.sleep(0.001)
    delay = kill.delay(timing)
    time.sleep(delay)
    running = child.poll() is None
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    return running, delay


def kill_trials(name: str, commands: dict[str, list[str | Path]], store: Path, versions: Versions,
                trials: int, seed: int) -> Counter[str]:
    """Kill ``trials`` runs at random points, alternating the A and B commands; check each."""
    rng = random.Random(seed)
    held = "B" if dataset(store) == versions.expected["B"] else "A"
    timing = timed_run(commands["A" if held == "B" else "B"], store)  # measured first
    held = "A" if held == "B" else "B"
    outcomes: Counter[str] = Counter()
    while outcomes["killed"] < trials:
        assert outcomes["finished first"] < trials, "most runs ended before their kill"
        new = "A" if held == "B" else "B"
        done = outcomes["killed"]
        kill = Kill(("start", "write")[done % 2], (done // 2 + rng.random()) / ((trials + 1) // 2))
        running, delay = kill_run(commands[new], store, kill, timing)
        outcome = check_after_kill(store, versions, held, new)
        dumps = dumps_state(store, versions, held, new)
        outcomes.update(["killed" if running else "finished first", *([outcome, f"store {outcome}, dumps {dumps}"] * running)])
        print(f"{name} {outcomes['killed']:2}: kill {delay:.3f}s after {kill.anchor} (run measured at "
              f"{timing.end:.2f}s, writing from {timing.first_write:.2f}s, switch {timing.switch:.2f}s): "
              f"{outcome if running else 'ended before the kill'}, dumps {dumps}")
        timing = timed_run(commands[new], store)  # the re-run, timed for the next trial
        check_completed(store, versions, new)
        held = new
    print(f"{name}: {dict(outcomes)}")
    return outcomes


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> Versions:
    root = tmp_path_factory.mktemp("versions")
    data = {"A": root / "data-a", "B": root / "data-b"}
    for folder in data.values():  # the gazetteer and one article: a build's length stays bounded
        shutil.copytree(DEFAULT_DATA_DIR / "gazetteer", folder / "gazetteer")
        for name in (ANNOTATION, ARTICLE):
            (folder / name).parent.mkdir(exist_ok=True)
            shutil.copy(DEFAULT_DATA_DIR / name, folder / name)
    annotation = data["A"] / ANNOTATION
    text = annotation.read_text(encoding="utf-8")
    assert OLD_LABEL in text
    annotation.write_text(text.replace(OLD_LABEL, OLD_LABEL + " (first review)"), encoding="utf-8")
    expected = {}
    for name, folder in data.items():
        store = root / f"reference-{name}"
        result = kb("build", "--data", folder, "--store", store)
        assert result.returncode == 0, result.stderr
        expected[name] = dataset(store)
    assert expected["A"] != expected["B"]
    return Versions(data, expected)


def check_after_kill(store: Path, versions: Versions, old: str, new: str) -> str:
    """The store holds exactly the old or the new dataset, with its own timeline index, and
    validates; return which."""
    now = dataset(store)
    assert now in (versions.expected[old], versions.expected[new]), "a mix of the old and new datasets"
    check_index(store)
    result = kb("validate", "--store", store)
    assert result.returncode == 0, result.stdout + result.stderr
    return "new" if now == versions.expected[new] else "old"


def check_index(store: Path) -> None:
    """The current generation holds a timeline index, and every page of it lists what the
    SPARQL-driven timeline of the same data lists."""
    with EmbeddedStore.open_reader(store) as reader:
        assert (reader.generation_folder / INDEX_FILE).is_file(), "the current generation has no index"
        first = timeline_page(reader, Filters(), 1, overview=False)
        events = [e for page in range(1, first.page_count + 1)
                  for e in timeline_page(reader, Filters(), page, overview=False).events]
        assert events == timeline(reader), "the index and the data of the current generation differ"


def check_completed(store: Path, versions: Versions, new: str) -> None:
    """After a re-run: the new dataset and its index, its dumps beside the store, no generation
    left over."""
    assert dataset(store) == versions.expected[new]
    check_index(store)
    assert dumps_state(store, versions, new, new) == "new"
    assert len(generations(store)) <= 2, generations(store)
    assert not [p for p in store.iterdir() if p.name.startswith(".removing-")]


def test_build_killed_at_random_points_leaves_old_or_new_and_reruns_to_new(
        versions: Versions, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert kb("build", "--data", versions.data["A"], "--store", store).returncode == 0
    builds = {name: ["build", "--data", folder, "--store", store] for name, folder in versions.data.items()}
    outcomes = kill_trials("build", builds, store, versions, BUILD_TRIALS, SEED)
    assert outcomes["old"] + outcomes["new"] == BUILD_TRIALS
    assert outcomes["old"] and outcomes["new"], "the kills should land both before and after the switch"


def test_ingest_killed_at_random_points_leaves_old_or_new_and_reruns_to_new(
        versions: Versions, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert kb("build", "--data", versions.data["A"], "--store", store).returncode == 0
    ingests = {name: ["ingest", folder / ANNOTATION, "--data", folder, "--store", store]
               for name, folder in versions.data.items()}
    outcomes = kill_trials("ingest", ingests, store, versions, INGEST_TRIALS, SEED + 1)
    assert outcomes["old"] + outcomes["new"] == INGEST_TRIALS
