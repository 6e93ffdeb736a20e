"""The suite's output: a text table for the terminal and BENCHMARKS.md with the machine and versions."""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from benchmarks.common import Context, Row

COLUMNS = ("benchmark", "measure", "size", "median", "baseline (same run)", "ratio", "target", "met", "note")
PACKAGES = ("rdflib", "pyshacl", "pyoxigraph", "oxigraph", "Flask", "waitress", "PyYAML")


def _cells(row: Row) -> list[str]:
    met = {True: "met", False: "NOT MET", None: ""}[row.met]
    ratio = "" if row.ratio is None else f"{row.ratio:.2f}x"
    value = "failed" if row.value != row.value else f"{row.value:,.2f} {row.unit}"
    return [row.benchmark, row.measure, row.size, value, row.baseline, ratio, row.target, met, row.note]


def table(rows: list[Row]) -> str:
    cells = [list(COLUMNS), *(_cells(r) for r in rows)]
    widths = [max(len(c[i]) for c in cells) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(c[i].ljust(widths[i]) for i in range(len(COLUMNS))).rstrip() for c in cells)


def machine() -> list[str]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
               platform.processor())
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in meminfo if line.startswith("MemTotal")), 0)
    versions = []
    for package in PACKAGES:
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    wrk_path = shutil.which("wrk")
    wrk = "wrk (not installed)" if wrk_path is None else subprocess.run(
        [wrk_path, "--version"], check=False, capture_output=True, text=True).stdout.split("\n")[0]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], check=False, capture_output=True, text=True).stdout.strip()
    return [
        (f"- Machine: {platform.node()}, {platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, "
         f"{memory} GB RAM (shared with other jobs: absolute times are context, ratios count)"),
        f"- Python {platform.python_version()}; {', '.join(versions)}; {wrk}",
        f"- Tree: git {commit or '?'} plus the working tree's uncommitted changes",
    ]


def markdown(ctx: Context, elapsed: float, args: argparse.Namespace) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = ".venv/bin/python -m benchmarks" + (" --quick" if args.quick else "") + "".join(
        f" --only {n}" for n in args.only or ()) + ("" if args.largest == "large" else f" --largest {args.largest}")
    sizes = ", ".join(f"{ctx.label(s)}" for s in ctx.sizes)
    lines = [
        "# Benchmarks",
        "",
        "Performance of the KB at scale (issue 7), measured on a synthetic corpus made by",
        "`benchmarks/generate.py` (seeded, deterministic; annotations in format 1 plus the N-Quads the",
        "project's converter makes of them). Each figure is a median over repeated runs unless its note",
        "says otherwise; each baseline is measured in the same run, and the ratio compares the two.",
        "",
        "Reproduce everything (corpora are generated once under `var/bench/` and reused):",
        "",
        "```",
        "apt-get install -y wrk && .venv/bin/pip install -e '.[test,bench]'   # oxigraph, granian",
        ".venv/bin/python -m benchmarks            # full sizes, writes BENCHMARKS.md",
        ".venv/bin/python -m benchmarks --quick    # tiny sizes, a smoke run that asserts nothing about time",
        ".venv/bin/python -m benchmarks --only throughput   # one benchmark (build, ingest, extract_scaling,",
        "                                                   # validation, sparql_latency, throughput incl. memory)",
        "```",
        "",
        f"This report: `{command}`, {when}, {elapsed / 60:.1f} min.",
        "",
        *machine(),
        f"- Sizes: {sizes} (tr: triples in the KB, ontology and gazetteer included)",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
        *("| " + " | ".join(c.replace("|", "/") for c in _cells(r)) + " |" for r in ctx.rows),
        "",
        NOTES,
    ]
    return "\n".join(lines) + "\n"


NOTES = """## How to read it

- **Sizes.** Issue 7 names 1k, 10k and 100k events as ~15k, ~150k and ~1.5M triples, but the
  model writes about 45 triples per event (the event, its time description, and for every fact
  an oa:Annotation with a target and two selectors), so 100k events are ~4.5M triples. The
  targets are stated in triples, so the sizes here are the event counts that give ~15k, ~150k
  and ~1.5M triples. `python -m benchmarks.generate --events 100000` makes the 100k-event corpus.
- **build**: *from RDF* is what `kb import` does with a dump (`EmbeddedStore.load_quads`: a new
  generation, bulk-loaded, its timeline index written from the same data in a thread meanwhile,
  flushed, synced, made current) against `pyoxigraph.Store.bulk_load` of the same file into a
  fresh folder. *From annotations* is `kb build` (read, convert and validate each article, load,
  write the dumps); it runs once at the small size and the large figure is projected per article.
- **ingest**: `kb ingest` runs (`kb.ingest.Ingester`) over 60 files copied under new ids, into
  a copy of the store: raw article files (extract, write the draft, convert, validate with the
  gazetteer entries the article uses, not the whole KB) and reviewed annotations (convert,
  validate); checked articles are written in batches. A rate is the median over the suite's
  repeats, each a run of reviewed copies then a run of raw copies under ids of their own. What a
  run does once (load the inputs, check the gazetteer, index it for the extractor, read the
  digests of the stored article bodies, compare the gazetteer and ontology graphs with the stored
  ones, remake the dump members of the graphs it wrote) is in the note, not in the rate.
- **extract_scaling**: the extractor (`kb.extract.extract`) on the corpus texts of `data/articles`
  joined into one body, four times over, against the same texts one article at a time.
  A ratio near 1 means the time grows with the text; the team's bound is 1.5x.
- **validation**: `kb validate` end to end: the compiled shapes (`kb.shacl_engine`, SPARQL on
  pyoxigraph, results identical to pySHACL's on every test) over the union of the store's
  article graphs, gazetteer and ontology in one pass, measured at the large size. pySHACL, the
  reference engine (`kb validate --engine pyshacl`: dump, split per graph, each article with
  what it touches, one process per CPU), runs at the medium size beside it.
- **sparql** and **throughput** figures may come from a separate run limited to the medium
  size (`--largest medium`) when the full run could not reach them; the report says which.
- **sparql**: every query of `ontology/queries/` through `kb.sparql.execute` (the code of
  `/sparql` and `kb query`), against pyoxigraph running the same text on the same database.
- **throughput**: `wrk -t2 -c4` for a fixed time against `kb serve` (waitress), `oxigraph
  serve-read-only --union-default-graph` and `benchmarks/rdflib_endpoint.py` (rdflib in memory),
  each loaded with the same N-Quads; a cheap query and the library's `meetings` and `agreements`
  queries. No server caches results. Before the load each server answers each query once; two
  rates are compared only when both gave the same number of rows (rdflib cannot answer
  `meetings`: the row says so and has no ratio). A rate counts answers, not error responses;
  failed requests (timeouts, non-2xx) are counted and a target with failures of our own is not met.
- **memory**: the peak RSS (VmHWM) of `kb serve` after the throughput load at the large size: the
  web process's plus each of its child processes' (the query workers and their fork server),
  summed, so an upper bound of the whole server's peak; against `oxigraph serve`'s.
"""
