"""The ``kb`` command line: build, ingest, validate, query and serve the knowledge base.

Every command takes ``--store`` (or ``KB_STORE``). Errors print one line per problem to stderr
and set the exit code; they never print a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import TypeVar

import click
import pyoxigraph as ox
from rdflib import Graph

from kb.articles import publication_date
from kb.as_of import as_of_dataset, graphs_as_of, parse_day
from kb.build import Inputs, build, check_gazetteer
from kb.config import DEFAULT_DATA_DIR, Settings
from kb.errors import InputError, KBError
from kb.export import EVENTS_CSV, dumps_dir, write_dumps, write_events_csv
from kb.ingest import PARALLEL_FILES, Given, Ingested, Ingester, default_drafts_dir, default_workers
from kb.namespaces import IriMinter
from kb.ontology import load_vocabulary
from kb.query_pool import QueryPool
from kb.sparql import execute
from kb.store import Store, is_remote, open_store
from kb.validate import split_graphs, validate_articles, validate_graph, validate_store

T = TypeVar("T")

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
@click.option("--published", default=None, metavar="YYYY-MM-DD", help="Publication date of the article files.")
@click.option("--publisher", default=None, metavar="NAME",
              help="Publisher of the article files, by name: an outlet of the gazetteer (label or alias), "
              "else a new news organisation in the draft.")
@click.option("--title", default=None, help="Title of the article files.")
@click.option("--url", default=None, help="Address of the article files.")
@click.option("--drafts", "drafts_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the machine drafts of article files (default: <store>-drafts beside an "
              "embedded store; required with a remote store).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes that make the drafts and check the files (default: one per CPU from "
              f"{PARALLEL_FILES} files on, else 1: all in this process).")
@data_option
@store_option
def ingest_command(files: tuple[Path, ...], published: str | None, publisher: str | None, title: str | None,
                   url: str | None, drafts_dir: Path | None, workers: int | None, data_dir: Path,
                   store: str | None) -> None:
    """Load FILES, each replacing its article's graph whole (checked articles are written in
    batches, one store write each, never an article in part): annotations (.yaml) as they are;
    articles (.txt, .md, .html) through the extractor, whose draft annotation is written to the
    drafts folder, unless DATA/annotations/<file stem>.yaml is a reviewed annotation, which then wins.

    Metadata given here wins over the article file's. A file that fails is reported and not
    loaded; the others still load, and the exit code is 1. With several workers the outcome is
    the same as one file after the other.
    """
    given = Given(None if published is None else publication_date(published, "--published"), publisher, title, url)
    settings = _settings(store)
    minter = IriMinter(settings.base_iri)
    inputs = Inputs.load(data_dir, minter)
    check_gazetteer(inputs, data_dir)  # once: each article is checked with the entries it uses
    with open_store(settings.store, writable=True) as writer:
        ingester = Ingester(data_dir, inputs, writer, drafts_dir or default_drafts_dir(settings.store), given)
        failures = _ingest_each(files, ingester, workers or default_workers(len(files)))
        if not is_remote(settings.store):  # a server's dumps are `kb export`'s business
            write_dumps(writer, dumps_dir(settings.store), ingester.changes)
    if failures:
        click.echo(f"{failures} of {len(files)} file(s) failed and were not loaded.", err=True)
        raise click.exceptions.Exit(1)


def _ingest_each(files: tuple[Path, ...], ingester: Ingester, workers: int) -> int:
    """Check each file and write the checked articles in batches; report each article once it is
    written and each failure as it happens; return the number of failures. A progress bar on
    stderr shows how far a run of several files is (when stderr is a terminal)."""
    failures = 0
    show_bar = len(files) > 1 and sys.stderr.isatty()
    with click.progressbar(files, label="ingesting", file=sys.stderr) if show_bar else nullcontext(files) as paths:
        for _path, outcome in ingester.ingest_all(paths, workers):
            if isinstance(outcome, KBError):
                failures += 1
                click.echo(f"error: {outcome}", err=True)
            if ingester.due():
                _report(ingester.commit())
    _report(ingester.commit())
    return failures


def _report(written: list[Ingested]) -> None:
    for ingested in written:
        click.echo(ingested.describe())


@cli.command("evaluate")
@click.option("--part", type=click.Choice(("all", "development", "held-out")), default="all", show_default=True,
              help="The articles to score: the development part, the held-out part (kb.evaluate.HELD_OUT) or "
              "all (a table for each part and one for the whole corpus).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON, with each article's.")
@click.option("--against", "other_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Score the annotations in this folder (a second reviewer's files, laid out like DATA/annotations) "
              "instead of the extractor's drafts: how far two reviewers agree.")
@data_option
def evaluate_command(part: str, as_json: bool, other_dir: Path | None, data_dir: Path) -> None:
    """Run the extractor on the raw article of every reviewed annotation in DATA and score its
    drafts against the annotations: precision, recall and F1 of actors, events, proposals,
    preconditions and quotes, date accuracy, and cross-article coreference (kb.evaluate says what
    counts as a match). Exit 1 if the extractor failed on an article. With --against, score a
    second reviewer's files instead, and run no extractor."""
    from kb.evaluate import PARTS, agreement, evaluate_corpus, table

    parts = PARTS if part == "all" else (part,)
    if other_dir is not None:
        result = agreement(data_dir, other_dir)
    else:
        result = evaluate_corpus(data_dir, progress=_progress_bar if sys.stderr.isatty() else iter)
    if as_json:
        click.echo(json.dumps(result.as_json(parts), indent=2))
    else:
        click.echo("\n\n".join(table(result.part(name)) for name in parts))
    for failure in result.failures:
        click.echo(f"error: {failure}", err=True)
    if result.failures:
        raise click.exceptions.Exit(1)


def _progress_bar(items: Iterable[T]) -> Iterator[T]:
    """``items`` with a progress bar on stderr while they are consumed."""
    with click.progressbar(list(items), label="extracting", file=sys.stderr) as bar:
        yield from bar


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
    click.echo(f"imported {restored.quads} triples in {restored.graphs} graphs from {dump.path} "
               f"({checked}){replaced} into {settings.store}")


@cli.command("validate")
@click.option("--workers", default=None, type=int,
              help="Processes to validate in (default: one per CPU; with --engine fast one for a KB of under "
              "500 graphs).")
@click.option("--engine", type=click.Choice(["fast", "pyshacl"]), default="fast", show_default=True,
              help="fast: the compiled shapes over the union of all graphs in one pass; pyshacl: the "
              "reference, the gazetteer alone and each article graph with the gazetteer entries it uses.")
@store_option
def validate_command(workers: int | None, engine: str, store: str | None) -> None:
    """Validate the KB in the store against the SHACL shapes; exit 1 on violations.

    Each violation is printed as ``<graph>: line``, under the named graph holding the focus node's
    triples (see kb.validate.validate_store for how the two engines' scopes differ).
    """
    settings = _settings(store)
    minter = IriMinter(settings.base_iri)
    prefix = str(minter.base["graph/article/"])
    if engine == "fast":
        checked = validate_store(settings.store, minter, workers)
        articles = [name for name in checked.graphs if name.startswith(prefix)]
        found = checked.violations
    else:
        with open_store(settings.store) as reader:
            graphs = split_graphs(reader.dump(ox.RdfFormat.N_QUADS))
        gazetteer = graphs.get(str(minter.gazetteer_graph), b"")
        articles = [name for name in graphs if name.startswith(prefix)]
        found = {str(minter.gazetteer_graph): validate_graph(
            Graph().parse(data=gazetteer.decode("utf-8"), format="nt"), load_vocabulary(), {}, engine="pyshacl")}
        found.update(validate_articles({n: graphs[n] for n in articles}, gazetteer, workers, engine="pyshacl"))
    problems = 0
    for name, lines in sorted(found.items()):
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
@click.option(
    "--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
    help="Query the KB as it stood that day: only the graphs of articles published by then, with the "
    "gazetteer and ontology graphs (kb.as_of.graphs_as_of), as the default graph and the named graphs.",
)
@timeout_option
@max_rows_option
@store_option
def query_command(
    query: str, fmt: str, as_of: str | None, timeout: float | None, max_rows: int | None, store: str | None
) -> None:
    """Run a SPARQL QUERY (or @FILE.rq) over the union of all graphs (or, with --as-of, of the
    graphs known that day).

    It runs as on /sparql (kb.sparql.execute): in a worker process stopped at the time limit
    (embedded store), and cut to the row cap, which a note on stderr reports.
    """
    text = _query_text(query)
    day = None if as_of is None else parse_day(as_of, "--as-of")
    settings = Settings.from_env(store=store, query_timeout=timeout, max_rows=max_rows)
    dataset: dict[str, list[str]] = {}
    if day is not None:
        with open_store(settings.store) as reader:
            default, named = as_of_dataset(graphs_as_of(reader, day, settings.base_iri))
        dataset = {"default_graphs": default, "named_graphs": named}
    with _query_store(settings) as reader:
        answer = execute(reader, text, fmt="json" if fmt == "table" else fmt, max_rows=settings.max_rows, **dataset)
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
        # waitress refuses a larger body itself, before spooling it to disk (the app answers 413 below it)
        body_cap = settings.max_request_bytes + 1 if settings.max_request_bytes else 1 << 30
        waitress.serve(app, host=host, port=port, threads=threads, max_request_body_size=body_cap)
    finally:
        stop_query_pool(app)


@cli.command("merge-actors")
@click.argument("old")
@click.argument("new")
@click.option("--reason", required=True, help="Why OLD and NEW are one actor, for the reviewers of redirects.yaml.")
@data_option
def merge_actors_command(old: str, new: str, reason: str, data_dir: Path) -> None:
    """Merge gazetteer actor OLD into NEW: OLD's names become NEW's aliases, the merge is recorded in
    gazetteer/redirects.yaml, annotations that say OLD build as NEW, and OLD's IRI redirects to NEW's.
    Rebuild the KB afterwards; `kb unmerge-actors OLD` undoes it."""
    from kb.actor_merge import merge_actors

    merge = merge_actors(data_dir, old, new, reason)
    added = ", ".join(merge.names) or "none new"
    click.echo(f"merged actor {old} into {new} (aliases added: {added}); recorded in "
               f"{data_dir / 'gazetteer' / 'redirects.yaml'}. Run `kb build` to apply it.")


@cli.command("unmerge-actors")
@click.argument("old")
@data_option
def unmerge_actors_command(old: str, data_dir: Path) -> None:
    """Undo `kb merge-actors OLD NEW`: OLD's entry and NEW's aliases are restored as they were and
    the redirect is removed. Rebuild the KB afterwards."""
    from kb.actor_merge import unmerge_actors

    merge = unmerge_actors(data_dir, old)
    click.echo(f"restored actor {old} (merged into {merge.new} before). Run `kb build` to apply it.")


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
