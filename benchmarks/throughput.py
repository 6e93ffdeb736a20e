"""``/sparql`` throughput under a bounded concurrent load on 127.0.0.1 (wrk: fixed connections,
fixed duration), against ``oxigraph serve-read-only --union-default-graph`` and an rdflib
in-memory endpoint on the same N-Quads and the same queries; and the peak RSS of ``kb serve``
holding the large KB after that load."""

from __future__ import annotations

import re
import subprocess
import urllib.parse
from pathlib import Path

from benchmarks.common import VENV_BIN, Context, Row, free_port, peak_rss_mb, server
from kb.config import ONTOLOGY_DIR

CHEAP = "SELECT ?event WHERE { ?event a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> } LIMIT 10"
LIBRARY = "meetings"
CONNECTIONS = 4
ACCEPT = "Accept: application/sparql-results+json"


def wrk(url: str, query: str, seconds: int) -> tuple[float, int]:
    """Requests per second and the count of failed requests (non-2xx, socket errors, timeouts)."""
    target = url + "?" + urllib.parse.urlencode({"query": query})
    out = subprocess.run(
        ["/usr/bin/wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-H", ACCEPT, target],
        capture_output=True, text=True, check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    failed = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if errors:
        failed += sum(int(n) for n in errors.groups())
    return rate, failed


def _oxigraph_db(ctx: Context, size: str) -> Path:
    corpus = ctx.corpus(size)
    folder = corpus.root / "oxigraph"
    if not (corpus.root / "oxigraph.ready").exists():
        subprocess.run([str(VENV_BIN / "oxigraph"), "load", "--location", str(folder), "--file",
                        str(corpus.nquads)], check=True, capture_output=True)
        (corpus.root / "oxigraph.ready").write_text("loaded\n")
    return folder


def run(ctx: Context) -> list[Row]:
    rows = []
    seconds = 2 if ctx.quick else 5
    queries = {"cheap": CHEAP, LIBRARY: (ONTOLOGY_DIR / "queries" / f"{LIBRARY}.rq").read_text(encoding="utf-8")}
    for size in [s for s in ("medium", "large") if s in ctx.sizes]:
        corpus = ctx.corpus(size)
        servers = {  # name -> command line, with {port} to fill in
            "kb serve": [str(VENV_BIN / "kb"), "serve", "--store", str(ctx.store(size)), "--port", "{port}"],
            "oxigraph": [str(VENV_BIN / "oxigraph"), "serve-read-only", "--location", str(_oxigraph_db(ctx, size)),
                         "--bind", "127.0.0.1:{port}", "--union-default-graph"],
            "rdflib": [str(VENV_BIN / "python"), "-m", "benchmarks.rdflib_endpoint", "--data", str(corpus.nquads),
                       "--port", "{port}"],
        }
        paths = {"kb serve": "/sparql", "oxigraph": "/query", "rdflib": "/sparql"}
        rates: dict[tuple[str, str], tuple[float, int]] = {}
        rss: dict[str, float] = {}
        for name, command in servers.items():
            port = free_port()
            url = f"http://127.0.0.1:{port}{paths[name]}"
            with server([part.format(port=port) for part in command], url, corpus.root / f"{name.replace(' ', '-')}.log") as process:
                for qname, text in queries.items():
                    rates[name, qname] = wrk(url, text, seconds)
                rss[name] = peak_rss_mb(process.pid)
        for qname in queries:
            ours, failed = rates["kb serve", qname]
            for peer, target in (("oxigraph", 1.0), ("rdflib", 20.0)):
                theirs, peer_failed = rates[peer, qname]
                ratio = ours / theirs if theirs else float("inf")
                rows.append(Row("throughput", f"/sparql {qname} vs {peer}", ctx.label(size), ours, "req/s",
                                f"{peer} {theirs:.1f} req/s" + (f" ({peer_failed} failed)" if peer_failed else ""),
                                ratio, f">= {target:g}x", ratio >= target and not failed,
                                f"{CONNECTIONS} connections, {seconds} s" + (f"; {failed} failed" if failed else "")))
        if size == "large":
            rows.append(Row("memory", "peak RSS of kb serve after the load", ctx.label(size), rss["kb serve"], "MB",
                            f"oxigraph serve {rss['oxigraph']:.0f} MB", rss["kb serve"] / 400, "<= 400 MB",
                            rss["kb serve"] <= 400))
    return rows
