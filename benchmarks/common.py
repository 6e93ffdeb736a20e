"""What every benchmark shares: the corpus sizes, cached stores, timing, servers and the result rows."""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.generate import Corpus, generate

#: Corpus sizes in events, chosen so the KB holds about 15k, 150k and 1.5M triples (the model
#: writes ~45 triples per event: an event, its time, its evidence annotation and selectors).
FULL_SIZES = {"small": 330, "medium": 3300, "large": 33000}
QUICK_SIZES = {"small": 40, "medium": 80, "large": 160}
SEED = 1
VENV_BIN = Path(sys.executable).parent


@dataclass
class Row:
    """One figure: a median, the baseline measured in the same run, and the target it is held to."""

    benchmark: str
    measure: str
    size: str
    value: float
    unit: str
    baseline: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""


@dataclass
class Context:
    """The run's settings and the corpora and stores made so far (made once, then reused)."""

    quick: bool
    sizes: dict[str, int]
    repeats: int
    rows: list[Row] = field(default_factory=list)

    def corpus(self, size: str) -> Corpus:
        return generate(self.sizes[size], SEED)

    def triples(self, size: str) -> int:
        return int(self.corpus(size).manifest["triples"])

    def label(self, size: str) -> str:
        m = self.corpus(size).manifest
        return f"{size} ({m['events']} ev, {_short(m['triples'])} tr)"

    def store(self, size: str) -> Path:
        """An embedded store (the project's own) loaded with the corpus's N-Quads, made once."""
        import pyoxigraph as ox

        from kb.store import EmbeddedStore

        corpus = self.corpus(size)
        path = corpus.root / "store"
        if not (path / "ready").exists():
            shutil.rmtree(path, ignore_errors=True)
            with EmbeddedStore.open_writer(path) as writer:
                writer.load_quads(corpus.nquads.read_bytes(), ox.RdfFormat.N_QUADS)
            (path / "ready").write_text("loaded\n")
        return path


def median_time(
    action: Callable[[], object], repeats: int, setup: Callable[[], object] | None = None, budget: float = 600
) -> float:
    """The median wall time of ``action`` over ``repeats`` runs (``setup`` runs untimed before
    each); fewer runs once they have taken ``budget`` seconds in all (at least one run)."""
    times: list[float] = []
    for _ in range(repeats):
        if sum(times) > budget:
            break
        if setup is not None:
            setup()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _short(n: int) -> str:
    return f"{n / 1e6:.2f}M" if n >= 1e6 else f"{n / 1e3:.0f}k"


def free_port() -> int:
    """A TCP port of 127.0.0.1 that is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answering(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    """Poll the SPARQL endpoint ``url`` with ``ASK {}`` until it answers 200.

    :raises RuntimeError: the process died or ``timeout`` seconds passed (with the tail of ``log``).
    """
    deadline = time.monotonic() + timeout
    target = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; its log:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(target, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:  # refused, reset or timed out: not answering yet
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not answer within {timeout:.0f} s; its log:\n{_tail(log)}")


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def stop_process(process: subprocess.Popen) -> None:
    """End a process this code started, by its PID: terminate, then kill if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def server(command: list[str], url: str, log: Path, timeout: float = 600) -> Iterator[subprocess.Popen]:
    """Start a server process, wait until ``url`` answers ``ASK {}``, yield it, stop it by its PID."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_answering(url, process, log, timeout)
        yield process
    finally:
        stop_process(process)


def peak_rss_mb(pid: int) -> float:
    """The peak resident set size (VmHWM) of a running process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def cpu_count() -> int:
    return os.cpu_count() or 1
