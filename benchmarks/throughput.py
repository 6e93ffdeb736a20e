"""``/sparql`` throughput under a bounded concurrent load on 127.0.0.1 (wrk: fixed connections,
fixed duration), against ``oxigraph serve-read-only --union-default-graph`` and an rdflib
in-memory endpoint on the same N-Quads and the same queries; and the peak RSS of ``kb serve``
holding the large KB after that load.

Every server runs at once and the wrk runs take turns, round after round (a median per server),
so a change in the machine's load during the run touches every server alike. ``kb serve`` runs
with its default threads and with as many threads as query workers. Ceilings run beside them
on the cheap query (:mod:`benchmarks.hello_endpoint`): a fixed answer from a bare WSGI function
and from a one-route Flask app, and the leanest SPARQL endpoint Python can serve (the query run
in process by pyoxigraph, no Flask, no time limit), under waitress and, where the ``bench``
extra is installed, under granian with one process per CPU. The note of a ``kb serve`` row gives
its CPU per request: the web process's and its query workers'.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import statistics
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack
from pathlib import Path

from benchmarks.common import VENV_BIN, Context, Row, cpu_count, free_port, peak_rss_mb, server
from kb.config import ONTOLOGY_DIR

CHEAP = "SELECT ?event WHERE { ?event a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> } LIMIT 10"
#: Queries of the analyst library run under load beside the cheap one ("agreements" too because
#: rdflib cannot answer "meetings": "Variable visitorLabel is not bound").
LIBRARY = ("meetings", "agreements")
CONNECTIONS = 4
ACCEPT = "Accept: application/sparql-results+json"


def wrk(url: str, query: str, seconds: int) -> tuple[float, int, int]:
    """Answers per second (non-2xx answers left out), requests done, and failed requests (non-2xx,
    socket errors, timeouts)."""
    target = url + "?" + urllib.parse.urlencode({"query": query})
    out = subprocess.run(
        ["/usr/bin/wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-H", ACCEPT, target],
        capture_output=True, text=True, check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    done = int(re.search(r"(\d+) requests in", out).group(1))
    refused = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = refused + (sum(int(n) for n in errors.groups()) if errors else 0)
    return (rate * (done - refused) / done if done else 0.0), done, failed


def check_answer(url: str, query: str, timeout: float = 60) -> tuple[int | None, str]:
    """One request before the load: the number of result rows, or None and why the server did not
    answer (its status and the first line of its message, or that it could not be reached or gave
    no answer within ``timeout`` seconds)."""
    request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": ACCEPT.split(": ", 1)[1]})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return len(json.load(response)["results"]["bindings"]), ""
    except urllib.error.HTTPError as exc:
        message = exc.read().decode("utf-8", "replace").strip().splitlines() or [""]
        return None, f"HTTP {exc.code}: {message[0][:120]}"
    except TimeoutError:
        return None, f"no answer within {timeout:g} s"
    except (urllib.error.URLError, OSError, ValueError, KeyError) as exc:  # refused, cut off, not SPARQL JSON
        return None, f"no usable answer: {getattr(exc, 'reason', exc)}"


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of processes so far (clock ticks of /proc/PID/stat)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _descendants(pid: int) -> list[int]:
    """The processes started by ``pid``, and theirs (the query workers are the fork server's children)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        for child in children:
            found += [child, *_descendants(child)]
    return found


def _oxigraph_db(ctx: Context, size: str) -> Path:
    corpus = ctx.corpus(size)
    folder = corpus.root / "oxigraph"
    if not (corpus.root / "oxigraph.ready").exists():
        subprocess.run([str(VENV_BIN / "oxigraph"), "load", "--location", str(folder), "--file",
                        str(corpus.nquads)], check=True, capture_output=True)
        (corpus.root / "oxigraph.ready").write_text("loaded\n")
    return folder


#: The servers, each: command line ({port}, {store}, {oxigraph}, {nquads} filled in), query path,
#: and whether it runs the library queries too (the ceilings answer without running any query).
SERVERS: dict[str, tuple[list[str], str, bool]] = {
    "kb serve": ([str(VENV_BIN / "kb"), "serve", "--store", "{store}", "--port", "{port}"], "/sparql", True),
    "kb serve, threads = workers": (
        [str(VENV_BIN / "kb"), "serve", "--store", "{store}", "--port", "{port}", "--threads", "{workers}"],
        "/sparql", True,
    ),
    "oxigraph": ([str(VENV_BIN / "oxigraph"), "serve-read-only", "--location", "{oxigraph}",
                  "--bind", "127.0.0.1:{port}", "--union-default-graph"], "/query", True),
    "rdflib": ([str(VENV_BIN / "python"), "-m", "benchmarks.rdflib_endpoint", "--data", "{nquads}",
                "--port", "{port}"], "/sparql", True),
    "waitress, bare WSGI": ([str(VENV_BIN / "python"), "-m", "benchmarks.hello_endpoint", "--app", "bare",
                             "--port", "{port}"], "/sparql", False),
    "waitress + Flask, one route": ([str(VENV_BIN / "python"), "-m", "benchmarks.hello_endpoint", "--app",
                                     "flask", "--port", "{port}"], "/sparql", False),
    "waitress, lean endpoint": ([str(VENV_BIN / "python"), "-m", "benchmarks.hello_endpoint", "--app", "lean",
                                 "--store", "{oxigraph}", "--port", "{port}"], "/sparql", False),
}
OURS = ("kb serve", "kb serve, threads = workers")
FIXED = "a fixed answer, no query"
LEAN = "the query run in process by pyoxigraph, bare WSGI, no time limit"
#: Each ceiling on the cheap query, and what it does per request.
CEILINGS = {"waitress, bare WSGI": FIXED, "waitress + Flask, one route": FIXED, "waitress, lean endpoint": LEAN}
if importlib.util.find_spec("granian"):  # the bench extra
    for app, label, what in (("bare", "bare WSGI", FIXED), ("flask", "+ Flask, one route", FIXED),
                             ("lean", "lean endpoint", LEAN)):
        name = f"granian, {{cpus}} processes, {label}"
        SERVERS[name] = ([str(VENV_BIN / "python"), "-m", "benchmarks.hello_endpoint", "--app", app, "--server",
                          "granian", "--processes", "{cpus}", "--threads", "2", "--store", "{oxigraph}", "--port",
                          "{port}"], "/sparql", False)
        CEILINGS[name] = what


def _compare(ours: tuple[int | None, str], peer: tuple[int | None, str], our_rate: float, peer_rate: float,
             target: float, failed: int) -> tuple[float | None, bool | None, str]:
    """The ratio of two rates, whether it meets ``target``, and a note; rates are only compared
    when both servers gave the same number of rows to the check before the load."""
    (our_rows, our_error), (peer_rows, _) = ours, peer
    if our_rows is None:
        return None, False, f"our server cannot answer ({our_error}); "
    if peer_rows is None:
        return None, None, "not comparable; "
    if our_rows != peer_rows:
        return None, None, f"not comparable: {our_rows} rows against {peer_rows}; "
    ratio = our_rate / peer_rate if peer_rate else float("inf")
    return ratio, ratio >= target and not failed, ""


def run(ctx: Context) -> list[Row]:
    from kb.config import Settings

    rows = []
    rounds, seconds = (1, 2) if ctx.quick else (3, 4)
    queries = {"cheap": CHEAP, **{name: (ONTOLOGY_DIR / "queries" / f"{name}.rq").read_text(encoding="utf-8")
                                  for name in LIBRARY}}
    workers = str(Settings.from_env().query_workers)
    for size in [s for s in ("medium", "large") if s in ctx.sizes]:
        corpus = ctx.corpus(size)
        fill = {"store": str(ctx.store(size)), "oxigraph": str(_oxigraph_db(ctx, size)),
                "nquads": str(corpus.nquads), "workers": workers, "cpus": str(cpu_count())}
        with ExitStack() as running:
            urls, pids = {}, {}
            for name, (command, path, _) in SERVERS.items():
                port = free_port()
                urls[name] = f"http://127.0.0.1:{port}{path}"
                log = corpus.root / f"{re.sub(r'[^a-z]+', '-', name.lower()).strip('-')}.log"
                process = running.enter_context(server([p.format(port=port, **fill) for p in command], urls[name], log))
                pids[name] = process.pid
            answers = {(name, qname): check_answer(urls[name], text) for qname, text in queries.items()
                       for name, (_, _, library) in SERVERS.items() if library or qname == "cheap"}
            loads = [os.getloadavg()[0]]
            rates: dict[tuple[str, str], list[float]] = {}
            failures: dict[tuple[str, str], int] = {}
            cpu: dict[str, tuple[float, float, int]] = {}  # web process s, workers s, requests
            for qname, text in queries.items():
                for _ in range(rounds if qname == "cheap" else 1):  # a library query: one long turn each
                    for name, (_, _, library) in SERVERS.items():
                        if qname != "cheap" and not library:
                            continue
                        family = _descendants(pids[name])
                        before = (_cpu_seconds([pids[name]]), _cpu_seconds(family))
                        rate, done, failed = wrk(urls[name], text, seconds if qname == "cheap" else 2 * seconds)
                        if qname == "cheap" and name in OURS:
                            web, rest, count = cpu.get(name, (0.0, 0.0, 0))
                            cpu[name] = (web + _cpu_seconds([pids[name]]) - before[0],
                                         rest + _cpu_seconds(family) - before[1], count + done)
                        rates.setdefault((name, qname), []).append(rate)
                        failures[name, qname] = failures.get((name, qname), 0) + failed
                loads.append(os.getloadavg()[0])
            workers_rss = [peak_rss_mb(pid) for pid in _descendants(pids["kb serve"])]
            rss = peak_rss_mb(pids["kb serve"]) + sum(workers_rss)
            oxigraph_rss = peak_rss_mb(pids["oxigraph"])
        load = f"load average {min(loads):.1f}-{max(loads):.1f}"
        median = {key: statistics.median(values) for key, values in rates.items()}
        turns = f"{CONNECTIONS} connections, median of {rounds} x {seconds} s turns"
        for qname in queries:
            for ours in OURS:
                our_rate, failed = median[ours, qname], failures[ours, qname]
                web, rest, count = cpu.get(ours, (0.0, 0.0, 0))
                per_request = (f"; CPU per request: web process {web / count * 1000:.2f} ms, query workers "
                               f"{rest / count * 1000:.2f} ms" if qname == "cheap" and count else "")
                for peer, target in (("oxigraph", 1.0), ("rdflib", 20.0)):
                    theirs, peer_failed = median[peer, qname], failures[peer, qname]
                    ratio, met, checked = _compare(answers[ours, qname], answers[peer, qname], our_rate, theirs,
                                                   target, failed)
                    baseline = (f"{peer} cannot answer ({answers[peer, qname][1]})" if answers[peer, qname][0] is None
                                else f"{peer} {theirs:.1f} req/s" + (f" ({peer_failed} failed)" if peer_failed else ""))
                    rows.append(Row(
                        "throughput", f"/sparql {qname} vs {peer} ({ours})", ctx.label(size), our_rate, "req/s",
                        baseline, ratio, f">= {target:g}x", met,
                        checked + (turns if qname == "cheap" else f"{CONNECTIONS} connections, {2 * seconds} s")
                        + (f"; {failed} failed" if failed else "") + (per_request if peer == "oxigraph" else "")
                        + f"; {load}",
                    ))
        for ceiling, what in CEILINGS.items():
            ours_rate, theirs = median[ceiling, "cheap"], median["oxigraph", "cheap"]
            if what == FIXED:
                ratio, checked = ours_rate / theirs, ""
            else:  # a ceiling that runs the query is compared only where it gave oxigraph's rows
                ratio, _, checked = _compare(answers[ceiling, "cheap"], answers["oxigraph", "cheap"], ours_rate,
                                             theirs, 1.0, failures[ceiling, "cheap"])
            rdflib_rate = median["rdflib", "cheap"]
            rows.append(Row("throughput", f"ceiling: {ceiling.format(cpus=fill['cpus'])} vs oxigraph", ctx.label(size),
                            ours_rate, "req/s", f"oxigraph {theirs:.1f} req/s (cheap query)", ratio, "", None,
                            f"{checked}{what}; {ours_rate / rdflib_rate:.1f}x rdflib's {rdflib_rate:.1f} req/s; "
                            f"{turns}; {load}"))
        if size == "large":
            rows.append(Row("memory", "peak RSS of kb serve after the load", ctx.label(size), rss, "MB",
                            f"oxigraph serve {oxigraph_rss:.0f} MB", rss / 400, "<= 400 MB", rss <= 400,
                            f"the web process and its {len(workers_rss)} child processes (the query workers and their "
                            f"fork server), each one's peak summed (children "
                            f"{' + '.join(f'{r:.0f}' for r in workers_rss)} MB)"))
    return rows
