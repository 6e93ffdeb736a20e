"""A pool of warm worker processes that run queries on the embedded store under a time limit.

pyoxigraph cannot interrupt a running query, so a query that must be stoppable runs in another
process: :class:`QueryPool` keeps ``size`` workers, each with the store open read-only (reopened
when the store's current generation changes). A query is sent to an idle worker as its text,
formats and dataset; the worker answers with the serialised bytes, already cut to the row cap.
A worker that has not answered by the deadline is killed by its PID and replaced, and the
caller gets :class:`~kb.limits.QueryTimeout`.

The pool has the query method of a store (:meth:`QueryPool.query`), so
:func:`kb.sparql.execute` runs through it unchanged. Workers start from a fork server (a
single-threaded process that has imported this module), so starting or replacing one takes
milliseconds and never forks the threads of a web server. A worker also ends when its pipe to
the pool closes, so it cannot outlive the process that started it.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import pickle
import queue
import select
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Self

from kb.errors import QueryError, StoreError
from kb.limits import CappedAnswer, QueryTimeout, cap_answer
from kb.store import EmbeddedStore, change_stamp

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload([__name__])
_ERRORS: dict[str, type[Exception]] = {"QueryError": QueryError, "StoreError": StoreError}


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    answered: select.poll = field(default_factory=select.poll)  # waits for the worker's reply

    def __post_init__(self) -> None:
        self.answered.register(self.connection.fileno(), select.POLLIN)

    def wait(self, seconds: float) -> bool:
        """Whether the worker has replied (or ended) within ``seconds``: one poll(2) on a poller
        made once, where :meth:`Connection.poll` builds a selector object per call."""
        return bool(self.answered.poll(math.ceil(seconds * 1000)))


class QueryPool:
    """``size`` worker processes answering queries on the embedded store at ``location``.

    ``timeout`` (seconds) bounds each query, counted from when a worker takes it; waiting for a
    free worker counts too, so a request never waits longer than ``timeout`` in all. ``max_rows``
    is the row cap the workers apply (0: none). Use it as a context manager or call
    :meth:`close`, which ends every worker.
    """

    def __init__(self, location: str | os.PathLike[str], *, size: int = 2, timeout: float = 10.0,
                 max_rows: int = 0) -> None:
        if size < 1:
            raise ValueError("a query pool needs at least one worker")
        self.location = str(location)
        self.timeout = timeout
        self.max_rows = max_rows
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._idle.put(self._start())

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def pids(self) -> list[int]:
        """The PIDs of the live workers."""
        with self._lock:
            return sorted(w.process.pid for w in self._all if w.process.pid is not None)

    @property
    def idle(self) -> int:
        """How many workers wait for a query now."""
        return self._idle.qsize()

    def query(
        self,
        query: str,
        *,
        result_format: str = "json",
        graph_format: str = "turtle",
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> CappedAnswer:
        """Run a query in a worker, as :meth:`kb.store.EmbeddedStore.query` does, within the time limit.

        :raises QueryTimeout: no answer within ``timeout`` seconds (the worker was replaced).
        :raises QueryError, StoreError: as the store raises them, with the store's message.
        """
        deadline = time.monotonic() + self.timeout
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(self.timeout) from None
        request = (query, result_format, graph_format, default_graphs, named_graphs, self.max_rows)
        try:
            # send() would build a ForkingPickler per call; recv() reads these bytes all the same
            worker.connection.send_bytes(pickle.dumps(request, pickle.HIGHEST_PROTOCOL))
            if not worker.wait(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                worker = None
                raise QueryTimeout(self.timeout)
            outcome, *reply = worker.connection.recv()
        except (OSError, EOFError) as exc:  # the worker died (killed from outside, out of memory)
            if worker is not None:
                self._replace(worker)
                worker = None
            raise StoreError(f"the query worker ended unexpectedly ({exc or 'no answer'}); try again.") from None
        finally:
            if worker is not None:
                self._idle.put(worker)
        if outcome == "error":
            error_type, message = reply
            raise _ERRORS[error_type](message)
        return CappedAnswer(*reply)

    def close(self) -> None:
        """End every worker (asked to stop, then killed if it has not within a second)."""
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.connection.close()  # the worker sees the end of its pipe and exits
        for worker in workers:
            worker.process.join(timeout=1)
            if worker.process.is_alive():
                _kill(worker)

    def _start(self) -> _Worker:
        ours, theirs = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=_serve, args=(theirs, self.location), daemon=True, name="kb-query-worker")
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        with self._lock:
            if self._closed:
                ours.close()
                _kill(worker)
                raise StoreError("the query pool is closed.")
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` (it may be running a query that would never end) and start another."""
        _kill(worker)
        worker.connection.close()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return
        self._idle.put(self._start())


def _kill(worker: _Worker) -> None:
    if worker.process.pid is not None and worker.process.is_alive():
        try:
            os.kill(worker.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    worker.process.join(timeout=5)


# -- the worker process ---------------------------------------------------------------------


def _serve(connection: Connection, location: str) -> None:
    """A worker's loop: answer each request on ``connection`` until the pool closes it."""
    store: EmbeddedStore | None = None
    opened_marker: tuple[int, int] | None = None
    while True:
        try:
            query, result_format, graph_format, default_graphs, named_graphs, max_rows = connection.recv()
        except (EOFError, OSError):
            return
        try:
            current = change_stamp(location)
            if store is None or current != opened_marker:
                store = EmbeddedStore.open_reader(location)  # the old generation closes with its handle
                opened_marker = current
            answer = store.query(
                query, result_format=result_format, graph_format=graph_format,
                default_graphs=default_graphs, named_graphs=named_graphs,
            )
            capped = cap_answer(answer, max_rows)
            reply = ("ok", capped.kind, capped.media_type, capped.body, capped.truncated, capped.max_rows)
        except (QueryError, StoreError) as exc:
            reply = ("error", "QueryError" if isinstance(exc, QueryError) else "StoreError", str(exc))
        except OSError as exc:  # RocksDB could not read a file of the generation
            reply = ("error", "StoreError", f"{location}: cannot read the store ({exc}).")
        except Exception as exc:  # noqa: BLE001 -- reported to the caller; the worker keeps serving
            reply = ("error", "StoreError", f"the query failed in the store ({type(exc).__name__}: {exc}).")
        try:
            connection.send_bytes(pickle.dumps(reply, pickle.HIGHEST_PROTOCOL))
        except (BrokenPipeError, OSError):
            return
