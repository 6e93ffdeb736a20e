"""The ``kb`` command line: build, ingest, validate, query and serve the knowledge base.

Every command takes ``--store`` (or ``KB_STORE``). Errors print one line per problem to stderr
and set the exit code; they never print a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kb.build import Inputs, build, convert_and_validate
from kb.config import DEFAULT_DATA_DIR, Settings
from kb.errors import InputError, KBError
from kb.export import EVENTS_CSV, dumps_dir, write_dumps, write_events_csv
from kb.namespaces import IriMinter
from kb.ontology import load_vocabulary
from kb.sparql import execute
from kb.store import Store, is_remote, open_store
from kb.validate import merged, validate_graph

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
    with open_store(settings.store, writable=True) as writer:
        failures = _ingest_each(files, inputs, writer)
        if not is_remote(settings.store):  # a server's dumps are `kb export`'s business
            write_dumps(writer, dumps_dir(settings.store))
    if failures:
        raise click.exceptions.Exit(1)


def _ingest_each(files: tuple[Path, ...], inputs: Inputs, writer: Store) -> int:
    """Load each file in its own transaction; report failures and return their count."""
    failures = 0
    for path in files:
        try:
            if path.suffix not in (".yaml", ".yml"):
                raise InputError(
                    f"{path}: only reviewed annotations (.yaml, see docs/annotation-format.md) can be "
                    "ingested so far; write one for this article and ingest that."
                )
            article = convert_and_validate(path, inputs)
            writer.replace_graphs({**inputs.shared_graphs(), article.graph_iri: article.graph})
        except KBError as exc:
            failures += 1
            click.echo(f"error: {exc}", err=True)
            continue
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


@cli.command("validate")
@store_option
def validate_command(store: str | None) -> None:
    """Validate every article graph in the store against the SHACL shapes; exit 1 on violations."""
    settings = _settings(store)
    minter = IriMinter(settings.base_iri)
    reader = open_store(settings.store)
    gazetteer = reader.graph(str(minter.gazetteer_graph))
    vocabulary = load_vocabulary()
    article_graphs = [g for g in reader.graph_names() if g.startswith(str(minter.base["graph/article/"]))]
    problems = 0
    for name in article_graphs:
        for line in validate_graph(merged(reader.graph(name), gazetteer), vocabulary, {}):
            problems += 1
            click.echo(f"<{name}>: {line}")
    if problems:
        click.echo(f"{problems} violation(s) in {len(article_graphs)} article graph(s).", err=True)
        raise click.exceptions.Exit(1)
    click.echo(f"{len(article_graphs)} article graph(s) conform to the shapes.")


@cli.command("query")
@click.argument("query")
@click.option(
    "--format", "fmt", default="table", show_default=True,
    help="table, json, csv, tsv or xml for SELECT/ASK; turtle, ntriples, jsonld, rdfxml or trig "
    "for CONSTRUCT/DESCRIBE (table shows Turtle).",
)
@store_option
def query_command(query: str, fmt: str, store: str | None) -> None:
    """Run a SPARQL QUERY (or @FILE.rq) over the union of all graphs."""
    text = _query_text(query)
    reader = open_store(_settings(store).store)
    answer = execute(reader, text, fmt="json" if fmt == "table" else fmt)
    if fmt == "table" and answer.kind != "graph":
        click.echo(_table(json.loads(answer.body)))
    else:
        sys.stdout.buffer.write(answer.body)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@store_option
def serve_command(host: str, port: int, threads: int, store: str | None) -> None:
    """Serve the timeline and /sparql with the waitress WSGI server."""
    import waitress

    from webapp import create_app

    settings = _settings(store)
    with open_store(settings.store) as probe:  # fail now, with the reason, if there is no store
        probe.last_modified()
    app = create_app({"KB_STORE": settings.store, "KB_BASE_IRI": settings.base_iri})
    click.echo(f"serving {settings.store} on http://{host}:{port}/ (Ctrl-C stops)")
    waitress.serve(app, host=host, port=port, threads=threads)


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
