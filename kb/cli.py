"""The ``kb`` command line: build, ingest, validate, query and serve the knowledge base.

Every command takes ``--store`` (or ``KB_STORE``). Errors print one line per problem to stderr
and set the exit code; they never print a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import pyoxigraph as ox
from rdflib import Graph

from kb.build import Inputs, build, check_gazetteer, ingest_file
from kb.config import DEFAULT_DATA_DIR, Settings
from kb.errors import InputError, KBError
from kb.export import EVENTS_CSV, dumps_dir, write_dumps, write_events_csv
from kb.namespaces import IriMinter
from kb.ontology import load_vocabulary
from kb.query_pool import QueryPool
from kb.sparql import execute
from kb.store import Store, is_remote, open_store
from kb.validate import split_graphs, validate_articles, validate_graph

store_option = click.option(
    "--store", default=None, metavar="LOC",
    help="Store folder, or http(s) URL of a SPARQL 1.1 query endpoint (default: $KB_STORE, else "
    "var/store in the project).",
)
data_option = click.option(
    "--data", "data_dir", default=str(DEFAULT_DATA_DIR), show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder with articles/, annotations/ and gazetteer/.",
)


def _settings(store: str | None) -> Settings:
    return Settings.from_env(store=store)


@click.group()
def cli() -> None:
    """A knowledge base of a peace process: news articles as validated RDF."""


@cli.command("build")
@data_option
@store_option
def build_command(data_dir: Path, store: str | None) -> None:
    """(Re)build the KB from DATA into the store: all articles load, or none does."""
    settings = _settings(store)
    dataset = build(data_dir, settings.store, IriMinter(settings.base_iri))
    click.echo(
        f"built {len(dataset.articles)} article(s), {dataset.triple_count()} triples "
        f"in {len(dataset.graphs)} graphs into {settings.store}"
    )


@cli.command("ingest")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@data_option
@store_option
def ingest_command(files: tuple[Path, ...], data_dir: Path, store: str | None) -> None:
    """Load reviewed annotations (FILES, .yaml); each replaces its article's graph.

    A file that fails is reported and not loaded; the others still load.
    """
    settings = _settings(store)
    minter = IriMinter(settings.base_iri)
    inputs = Inputs.load(data_dir, minter)
    check_gazetteer(inputs, data_dir)  # once: each article is checked with the entries it uses
    with open_store(settings.store, writable=True) as writer:
        failures = _ingest_each(files, inputs, writer)
        if not is_remote(settings.store):  # a server's dumps are `kb export`'s business
            write_dumps(writer, dumps_dir(settings.store))
    if failures:
        raise click.exceptions.Exit(1)


def _ingest_each(files: tuple[Path, ...], inputs: Inputs, writer: Store) -> int:
    """Load each file in its own transaction; report failures and return their count."""
    failures = 0
    shared = True  # the gazetteer and ontology graphs go with the first article loaded
    for path in files:
        try:
            article = ingest_file(path, inputs, writer, with_shared_graphs=shared)
        except KBError as exc:
            failures += 1
            click.echo(f"error: {exc}", err=True)
            continue
        shared = False
        click.echo(f"loaded {path} ({len(article.graph)} triples) as <{article.graph_iri}>")
    return failures


@cli.command("export")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write kb.nq.gz, kb.trig.gz, SHA256SUMS and events.csv into.")
@store_option
def export_command(out_dir: Path, store: str | None) -> None:
    """Export the KB: gzipped N-Quads and TriG dumps with checksums, and a GDELT-style event CSV."""
    with open_store(_settings(store).store) as reader:
        written = write_dumps(reader, out_dir)
        events = write_events_csv(reader, out_dir / EVENTS_CSV)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"wrote {out_dir / EVENTS_CSV} ({events} events)")


@cli.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help="Replace the store's whole dataset (atomically) if it is not empty.")
@store_option
def import_command(source: Path, replace: bool, store: str | None) -> None:
    """Restore the KB from a dump: SOURCE is the folder `kb export --out` wrote, or its kb.nq.gz / kb.trig.gz.

    The dump is checked against SHA256SUMS when that file is beside it. The store must be empty
    unless --replace is given.
    """
    from kb.restore import import_dump

    settings = _settings(store)
    restored = import_dump(source, settings.store, replace=replace)
    dump = restored.dump
    checked = f"checked against {dump.path.parent.name}/SHA256SUMS" if dump.checksum_verified else "no checksum"
    replaced = f", replacing {restored.replaced_graphs} graph(s)" if restored.replaced_graphs else ""
    click.echo(f"imported {dump.quad_count()} triples in {len(dump.graphs)} graphs from {dump.path} "
               f"({checked}){replaced} into {settings.store}")


@cli.command("validate")
@click.option("--workers", default=None, type=int, help="Processes to validate in (default: one per CPU).")
@store_option
def validate_command(workers: int | None, store: str | None) -> None:
    """Validate the gazetteer and every article graph in the store against the SHACL shapes
    (each article with the gazetteer entries it uses); exit 1 on violations."""
    settings = _settings(store)
    minter = IriMinter(settings.base_iri)
    with open_store(settings.store) as reader:
        graphs = split_graphs(reader.dump(ox.RdfFormat.N_QUADS))
    gazetteer = graphs.get(str(minter.gazetteer_graph), b"")
    prefix = str(minter.base["graph/article/"])
    articles = {name: data for name, data in graphs.items() if name.startswith(prefix)}
    found = {str(minter.gazetteer_graph): validate_graph(
        Graph().parse(data=gazetteer.decode("utf-8"), format="nt"), load_vocabulary(), {})}
    found.update(validate_articles(articles, gazetteer, workers))
    problems = 0
    for name, lines in found.items():
        for line in lines:
            problems += 1
            click.echo(f"<{name}>: {line}")
    if problems:
        click.echo(f"{problems} violation(s) in {len(articles)} article graph(s) and the gazetteer.", err=True)
        raise click.exceptions.Exit(1)
    click.echo(f"{len(articles)} article graph(s) and the gazetteer conform to the shapes.")


timeout_option = click.option(
    "--timeout", type=float, default=None, metavar="SECONDS",
    help="Stop a query after this many seconds; 0: no limit (default: $KB_QUERY_TIMEOUT, else 10).",
)
max_rows_option = click.option(
    "--max-rows", type=int, default=None, metavar="N",
    help="Cut answers to N rows or triples; 0: no cap (default: $KB_MAX_ROWS, else 100000).",
)


@cli.command("query")
@click.argument("query")
@click.option(
    "--format", "fmt", default="table", show_default=True,
    help="table, json, csv, tsv or xml for SELECT/ASK; turtle, ntriples, jsonld, rdfxml or trig "
    "for CONSTRUCT/DESCRIBE (table shows Turtle).",
)
@timeout_option
@max_rows_option
@store_option
def query_command(query: str, fmt: str, timeout: float | None, max_rows: int | None, store: str | None) -> None:
    """Run a SPARQL QUERY (or @FILE.rq) over the union of all graphs.

    It runs as on /sparql (kb.sparql.execute): in a worker process stopped at the time limit
    (embedded store), and cut to the row cap, which a note on stderr reports.
    """
    text = _query_text(query)
    settings = Settings.from_env(store=store, query_timeout=timeout, max_rows=max_rows)
    with _query_store(settings) as reader:
        answer = execute(reader, text, fmt="json" if fmt == "table" else fmt, max_rows=settings.max_rows)
    if fmt == "table" and answer.kind != "graph":
        click.echo(_table(json.loads(answer.body)))
    else:
        sys.stdout.buffer.write(answer.body)
    if answer.truncated:
        unit = "triples" if answer.kind == "graph" else "rows"
        click.echo(
            f"note: the answer was cut to its first {settings.max_rows} {unit} (KB_MAX_ROWS / --max-rows); "
            "page it with ORDER BY and LIMIT/OFFSET, or raise the cap.",
            err=True,
        )


def _query_store(settings: Settings) -> QueryPool | Store:
    """What runs `kb query`: a one-worker pool (so the time limit can stop it) on an embedded
    store, the store itself without a limit or on a server (which then waits at most the limit)."""
    if is_remote(settings.store):
        remote = open_store(settings.store)
        remote.query_timeout = settings.query_timeout
        return remote
    if not settings.query_timeout:
        return open_store(settings.store)
    with open_store(settings.store) as probe:  # fail here, with the reason, if there is no store
        probe.last_modified()
    return QueryPool(settings.store, size=1, timeout=settings.query_timeout, max_rows=settings.max_rows)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@timeout_option
@max_rows_option
@store_option
def serve_command(
    host: str, port: int, threads: int, timeout: float | None, max_rows: int | None, store: str | None
) -> None:
    """Serve the timeline and /sparql with the waitress WSGI server.

    Updates on /sparql are off unless KB_UPDATE_TOKEN is set in the environment.
    """
    import signal

    import waitress

    from webapp import create_app
    from webapp.sparql import stop_query_pool

    settings = Settings.from_env(store=store, query_timeout=timeout, max_rows=max_rows)
    with open_store(settings.store) as probe:  # fail now, with the reason, if there is no store
        probe.last_modified()
    app = create_app({
        "KB_STORE": settings.store, "KB_BASE_IRI": settings.base_iri,
        "KB_QUERY_TIMEOUT": settings.query_timeout, "KB_MAX_ROWS": settings.max_rows,
    })
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # so the query workers are ended below
    click.echo(
        f"serving {settings.store} on http://{host}:{port}/ (queries stop after {settings.query_timeout:g} s, "
        f"answers cut at {settings.max_rows or 'no'} rows; Ctrl-C stops)"
    )
    try:
        waitress.serve(app, host=host, port=port, threads=threads)
    finally:
        stop_query_pool(app)


def _query_text(query: str) -> str:
    if not query.startswith("@"):
        return query
    path = Path(query[1:])
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the query file ({exc}); check the path after '@'.") from exc


def _table(results: dict) -> str:
    """SPARQL JSON results as an aligned text table (ASK as true/false)."""
    if "boolean" in results:
        return "true" if results["boolean"] else "false"
    columns = results["head"]["vars"]
    rows = [[row.get(c, {}).get("value", "") for c in columns] for row in results["results"]["bindings"]]
    widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def main() -> None:
    """Entry point of the ``kb`` console script: user errors become one message and an exit code."""
    try:
        sys.exit(cli.main(standalone_mode=False))  # an Exit(n) raised by a command returns n
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except KBError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
