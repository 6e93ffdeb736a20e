"""Real SPARQL servers on 127.0.0.1 for the tests: ``oxigraph serve`` and Virtuoso open source.

Each helper is a context manager that starts the server on a free port with its data in a
folder of the caller's, waits until it answers a query, yields a :class:`Server` and ends the
process it started (by its PID) on exit. :func:`oxigraph_available` / :func:`virtuoso_available`
say whether the program is installed (``pip install -e '.[test]'`` provides ``oxigraph``;
``apt-get install -y virtuoso-opensource`` provides ``virtuoso-t``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import free_port, stop_process, wait_until_answering

VIRTUOSO_VAD = Path("/usr/share/virtuoso-opensource-7/vad")
VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")
#: Virtuoso's row cap in the tests: lower than its default (10 000) so the seed KB crosses it
#: and the remote store's paging and its "result truncated" error are exercised.
VIRTUOSO_MAX_ROWS = 1000


@dataclass(frozen=True)
class Server:
    """A running server: its query URL and the environment that points a RemoteStore at it."""

    name: str
    query_url: str
    env: dict[str, str] = field(default_factory=dict)


def oxigraph_program() -> str | None:
    """The ``oxigraph`` CLI: beside this Python (the venv) or on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def oxigraph_available() -> bool:
    return oxigraph_program() is not None


def virtuoso_available() -> bool:
    return shutil.which("virtuoso-t") is not None


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[Server]:
    """``oxigraph serve --union-default-graph`` with its data in ``folder``.

    The query URL is ``http://127.0.0.1:PORT/query``; the remote store derives ``/update`` and
    ``/store`` from it.
    """
    program = oxigraph_program()
    if program is None:
        raise RuntimeError("the oxigraph CLI is not installed; run pip install -e '.[test]'.")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder.parent / f"{folder.name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [program, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
             "--union-default-graph"],
            stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}/query"
        wait_until_answering(url, process, log, timeout=30)
        yield Server("oxigraph", url)
    finally:
        stop_process(process)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 200M
DirsAllowed = ., {dir}, {vad}
VADInstallDir = {vad}
TransactionAfterImageLimit = 50000000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
MaxClientConnections = 10
ServerThreads = 10
KeepAliveTimeout = 10
MaxKeepAlives = 10
EnabledDavVSP = 0
HTTPProxyEnabled = 0

[AutoRepair]
BadParentLinks = 0

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
DefaultQuery = select distinct ?Concept where {{[] a ?Concept}} LIMIT 100
DeferInferenceRulesInit = 0
"""

VIRTUOSO_PASSWORD = "kb-test-dba"


@contextmanager
def virtuoso_server(folder: Path, max_rows: int = VIRTUOSO_MAX_ROWS) -> Iterator[Server]:
    """``virtuoso-t +foreground`` with an ini of its own in ``folder``, bound to 127.0.0.1.

    Queries go to ``/sparql`` (anonymous, read-only); updates to ``/sparql-auth`` with HTTP
    digest credentials of the DBA account, whose password is set on first start with
    ``isql-vt`` once the server answers. The store gets them through ``KB_STORE_UPDATE_URL``, ``KB_STORE_USER`` and
    ``KB_STORE_PASSWORD`` (see :attr:`Server.env`).
    """
    if not virtuoso_available():
        raise RuntimeError("virtuoso-t is not installed; run apt-get install -y virtuoso-opensource.")
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port,
                                       vad=VIRTUOSO_VAD, vsp=VIRTUOSO_VSP, max_rows=max_rows))
    log = folder / "virtuoso.log"
    with (folder / "stdout.log").open("wb") as out:
        process = subprocess.Popen(
            ["virtuoso-t", "+foreground", "+configfile", str(ini)],
            cwd=folder, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ},
        )
    try:
        url = f"http://127.0.0.1:{http_port}/sparql"
        wait_until_answering(url, process, log, timeout=90)
        # A new database has the DBA password "dba"; set the test's own before anything else.
        subprocess.run(
            ["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba",
             f"exec=USER_SET_PASSWORD('dba', '{VIRTUOSO_PASSWORD}');"],
            check=True, capture_output=True, timeout=60,
        )
        yield Server("virtuoso", url, {
            "KB_STORE_UPDATE_URL": f"http://127.0.0.1:{http_port}/sparql-auth",
            "KB_STORE_GSP_URL": f"http://127.0.0.1:{http_port}/sparql-graph-crud-auth",
            "KB_STORE_USER": "dba",
            "KB_STORE_PASSWORD": VIRTUOSO_PASSWORD,
            "KB_STORE_MAX_ROWS": str(max_rows),
        })
    finally:
        stop_process(process)
