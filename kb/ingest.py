"""``kb ingest``: files into the store, each article in its own transaction.

An annotation (.yaml) loads as it is. An article file (.txt, .md, .html ...) is read with
:func:`kb.articles.read_article` (metadata given on the command line wins over the file's); its id
is the file's stem. If ``DATA/annotations/<id>.yaml`` is a reviewed annotation, that is loaded
instead (a reviewed file wins over a draft); otherwise the extractor (:mod:`kb.extract`) writes a
machine draft ``<id>.yaml`` into the drafts folder, which is then converted, validated and loaded
like any annotation, replacing the article's named graph. The drafts folder of an embedded store
is the folder beside it named ``<store>-drafts`` (``var/store-drafts/``), like its dumps.

An article file whose body is the ``schema:articleBody`` of an article already in the store
(or earlier in the same run) under another id is refused, naming that article: the same report is
not loaded twice under two names (re-ingesting it under its own name replaces it).

Checked articles are written in batches (:meth:`Ingester.commit`): one store write holds several
whole articles, so a write's fixed cost (a new store generation, its timeline index, its sync) is
paid once per batch rather than once per article, and no article is ever written in part.
:meth:`Ingester.ingest_all` makes the drafts and checks the files in forked worker processes
while the main process reads the files, refuses duplicates and writes the batches, with the
outcome of a run in one process.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kb.articles import SUFFIXES, Article, read_article
from kb.build import Inputs, convert_and_validate
from kb.errors import InputError, KBError
from kb.export import Changes
from kb.namespaces import SCHEMA, is_local_id
from kb.rdf import ArticleGraph
from kb.store import EmbeddedStore, GraphData, Store, as_ntriples, is_remote
from kb.validate import prepare_validation

if TYPE_CHECKING:
    from kb.extract.actors import ActorIndex

ANNOTATION_SUFFIXES = (".yaml", ".yml")
_BODIES = """SELECT ?graph ?article (SHA256(STR(?body)) AS ?digest)
WHERE { GRAPH ?graph { ?article <https://schema.org/articleBody> ?body } }"""
#: A batch is written when it holds this many articles, or when its first article has waited this long.
BATCH_ARTICLES = 100
BATCH_SECONDS = 1.0
#: From this many files on, kb ingest checks them in one process per CPU by default.
PARALLEL_FILES = 8
#: Files handed to the worker processes ahead of the one whose outcome is awaited: enough to keep
#: them busy while a batch is written (about a second).
IN_FLIGHT = 64


@dataclass(frozen=True)
class Given:
    """Article metadata given on the command line (``None``: not given); it wins over the file's."""

    published: date | None = None
    publisher: str | None = None
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class CheckedArticle:
    """An article's checked graph as it is written: its IRI, its triples as N-Triples (cheap to
    hand over from a worker process), how many there are, and the bodies of the articles in it."""

    graph_iri: URIRef
    ntriples: bytes
    triples: int
    bodies: dict[str, str]  # article IRI -> its schema:articleBody

    @classmethod
    def of(cls, article: ArticleGraph) -> CheckedArticle:
        graph = article.graph
        return cls(article.graph_iri, as_ntriples(graph), len(graph),
                   {str(node): str(body) for node, body in graph.subject_objects(SCHEMA.articleBody)})


@dataclass(frozen=True)
class Ingested:
    """What one file became: the checked graph and the annotation it was made from."""

    path: Path
    article: CheckedArticle
    annotation: Path
    source: str  # "annotation" (a .yaml given), "reviewed" (wins over a draft) or "draft"

    def describe(self) -> str:
        """The line ``kb ingest`` prints for it."""
        how = {"annotation": "", "reviewed": f" from its reviewed annotation {self.annotation} (reviewed wins "
               "over a draft)", "draft": f" from the machine draft {self.annotation}"}[self.source]
        return f"loaded {self.path}{how} ({self.article.triples} triples) as <{self.article.graph_iri}>"


def default_drafts_dir(store: str) -> Path | None:
    """The drafts folder beside an embedded store (``<store>-drafts``); ``None`` for a server."""
    if is_remote(store):
        return None
    location = Path(store)
    return location.with_name(f"{location.name}-drafts")


@dataclass
class _Batch:
    """Checked articles waiting to be written together, by graph IRI, and when the first came."""

    articles: dict[str, Ingested] = field(default_factory=dict)
    since: float = 0.0


@dataclass(frozen=True)
class _Task:
    """What is left to do for a file once the checks that need the whole run are done
    (:meth:`Ingester._plan`): a worker process can do it."""

    path: Path
    source: str  # as in Ingested
    annotation: Path | None  # the annotation to check; None: the draft of ``article`` is made first
    article: Article | None = None
    article_id: str = ""
    digest: str | None = None  # the body's digest, when this file added it to the run's bodies


class Ingester:
    """Ingests files into ``writer``: :meth:`ingest` checks a file and adds its article to the
    batch, :meth:`commit` writes the batch in one store write; :meth:`ingest_all` checks many
    files, in worker processes when asked. The extractor's gazetteer index and the digests of the
    stored article bodies are made on the first article that needs them."""

    def __init__(self, data_dir: Path, inputs: Inputs, writer: Store, drafts: Path | None,
                 given: Given = Given()) -> None:
        self.data_dir = data_dir
        self.inputs = inputs
        self.writer = writer
        self.drafts = drafts
        self.given = given
        self._index: ActorIndex | None = None
        self._bodies: dict[str, tuple[str, str]] | None = None  # body digest -> (graph IRI, article IRI)
        self._digests: dict[str, set[str]] = {}  # graph IRI -> the digests of its bodies in _bodies
        self._run_digests: set[str] = set()  # the digests of bodies given in this run
        self._batch = _Batch()
        self._shared: dict[URIRef, Graph] | None = None  # the shared graphs to write
        self._shared_written = False  # the gazetteer and ontology graphs go with the first batch
        self.changes = Changes(writer.generation if isinstance(writer, EmbeddedStore) else None)  # for the dumps

    def ingest(self, path: Path) -> Ingested:
        """Check one file and add its article to the batch (replacing an earlier one with the same id).

        :raises KBError: naming the file and what to fix; the batch is unchanged.
        """
        task = self._plan(path)
        try:
            ingested = _run(self, task)
        except KBError:
            self._forget(task)
            raise
        self._add(ingested)
        return ingested

    def ingest_all(self, paths: Iterable[Path], workers: int = 1) -> Iterator[tuple[Path, Ingested | KBError]]:
        """:meth:`ingest` each file in turn; yield each file with what it became or why it failed,
        in the order given. The caller may :meth:`commit` between two files.

        With ``workers`` > 1 the drafts, conversions and validations run in that many worker
        processes while this one reads the files, refuses duplicates and writes the batches; the
        outcome is the same as one by one.
        """
        if workers <= 1:
            for path in paths:
                try:
                    yield path, self.ingest(path)
                except KBError as exc:
                    yield path, exc
            return
        paths = list(paths)
        self.prepare(drafts=any(path.suffix.lower() not in ANNOTATION_SUFFIXES for path in paths))
        queued: deque[tuple[Path, _Task | None, Future | KBError]] = deque()

        def outcome() -> tuple[Path, Ingested | KBError]:
            path, task, pending = queued.popleft()
            if isinstance(pending, KBError):
                return path, pending
            result = pending.result()
            if isinstance(result, Ingested):
                self._add(result)
                return path, result
            self._forget(task)  # type: ignore[arg-type]
            return path, KBError(result)

        # forked: the workers inherit this ingester (its inputs and index) without a copy through pickle
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_adopt,
                                   initargs=(self,))
        try:
            for path in paths:
                while queued and self._waits_for(path, [task for _, task, _ in queued if task]):
                    yield outcome()
                try:
                    task = self._plan(path)
                    queued.append((path, task, pool.submit(_run_in_worker, task)))
                except KBError as exc:
                    queued.append((path, None, exc))
                while queued and (len(queued) > IN_FLIGHT or _ready(queued[0][2])):
                    yield outcome()
            while queued:
                yield outcome()
        finally:  # when the caller stops early (a failed write), the files not yet started are dropped
            pool.shutdown(cancel_futures=True)

    def _waits_for(self, path: Path, queued: list[_Task]) -> bool:
        """Whether checking ``path`` must wait for the files in flight: an article file's body is
        compared with the bodies of the annotations before it, and two drafts of one id would
        overwrite each other."""
        if path.suffix.lower() in ANNOTATION_SUFFIXES:
            return False
        return any(task.annotation is not None or task.article_id == path.stem for task in queued)

    def _add(self, ingested: Ingested) -> None:
        graph = str(ingested.article.graph_iri)
        if not self._batch.articles:
            self._batch.since = time.monotonic()
        self._batch.articles[graph] = ingested
        self._remember_bodies(ingested.article)

    def due(self) -> bool:
        """Whether the batch should be written now (:data:`BATCH_ARTICLES`, :data:`BATCH_SECONDS`)."""
        batch = self._batch
        return bool(batch.articles) and (len(batch.articles) >= BATCH_ARTICLES
                                         or time.monotonic() - batch.since >= BATCH_SECONDS)

    def commit(self) -> list[Ingested]:
        """Write the batch in one store write (all of it or nothing), replacing each article's graph (with the shared
        graphs the first time); return what was written. When the write fails nothing of it is.

        :raises StoreError: when the store cannot be written (the batch is dropped).
        """
        written = list(self._batch.articles.values())
        self._batch = _Batch()
        if not written:
            return []
        graphs: dict[URIRef, GraphData] = {} if self._shared_written else dict(self.changed_shared_graphs())
        graphs.update({item.article.graph_iri: item.article.ntriples for item in written})
        try:
            self.writer.replace_graphs(graphs)
        except BaseException:
            self._bodies = None  # what the store holds is read again
            raise
        self._shared_written = True
        self.changes.graphs.update(str(iri) for iri in graphs)
        return written

    def changed_shared_graphs(self) -> dict[URIRef, Graph]:
        """The gazetteer and ontology graphs that differ from the stored ones, which the first
        batch writes (found on the first call): rewriting an unchanged one would still renew its
        blank nodes, and with them the timeline lines of every event that refers to its entries."""
        if self._shared is None:
            self._shared = {iri: graph for iri, graph in self.inputs.shared_graphs().items()
                            if not isomorphic(self.writer.graph(str(iri)), graph)}
        return self._shared

    def _plan(self, path: Path) -> _Task:
        """The checks of a file that need the whole run: its kind and id, its reviewed annotation,
        its metadata and whether its body is already in the store or in this run.

        :raises KBError: naming the file and what to fix.
        """
        suffix = path.suffix.lower()
        if suffix in ANNOTATION_SUFFIXES:
            return _Task(path, "annotation", path)
        if suffix not in SUFFIXES:
            kind = f"a '{path.suffix}' file" if path.suffix else "a file without a suffix"
            raise InputError(f"{path}: is {kind}; kb ingest takes annotations (.yaml) and articles "
                             f"({', '.join(SUFFIXES)}).")
        article_id = path.stem
        if not is_local_id(article_id):
            raise InputError(f"{path}: the file name '{article_id}' is not a valid article id; rename the file "
                             "to lowercase letters, digits and '-' (such as khalilzad-kabul-sahar-news.txt).")
        reviewed = reviewed_annotation(self.data_dir, article_id)
        if reviewed is not None:
            return _Task(path, "reviewed", reviewed)
        article = read_article(path, published=self.given.published, publisher=self.given.publisher,
                               title=self.given.title, url=self.given.url)
        if article.published is None:
            raise InputError(f"{path}: the article has no publication date; give --published YYYY-MM-DD "
                             "(or write it in the file's front matter or page metadata).")
        if not article.publisher:
            raise InputError(f"{path}: the article has no publisher; give --publisher NAME (such as "
                             "--publisher \"Sahar News\").")
        if self.drafts is None:
            raise InputError(f"{path}: there is no folder for the machine draft beside a remote store; "
                             "give --drafts DIR.")
        digest = self.refuse_duplicate(path, article_id, article.body)
        return _Task(path, "draft", None, article, article_id, digest)

    def write_draft(self, article: Article, article_id: str) -> Path:
        """Run the extractor on a read article and write its draft annotation; return the draft's path."""
        from kb.extract import extract, write_draft

        try:
            doc = extract(article, article_id, self.index(), published=article.published,
                          gazetteer_dir=self.data_dir / "gazetteer")
        except KBError:
            raise
        except Exception as exc:  # one article the extractor trips on must not stop the others
            raise InputError(f"{article.path}: the extractor failed on this article ({type(exc).__name__}: {exc}); "
                             "this is a bug in kb.extract, please report it with the file.") from exc
        self.drafts.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]  # checked by _plan
        draft = self.drafts / f"{article_id}.yaml"  # type: ignore[operator]
        write_draft(doc, draft)
        return draft

    def refuse_duplicate(self, path: Path, article_id: str, body: str) -> str | None:
        """Refuse a body that another article, stored or given earlier in this run, has as its
        ``schema:articleBody`` (compared by SHA-256 digest); else count it among the run's bodies
        until its article is checked. Return its digest if it was not known before.

        :raises InputError: naming the article it duplicates.
        """
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        graph = str(self.inputs.minter.article_graph(article_id))
        found = self.stored_bodies().get(digest)
        if found is not None and found[0] != graph:
            where = "given earlier in this run" if digest in self._run_digests else "in the store"
            raise InputError(f"{path}: its text is already {where} as the article <{found[1]}>; the same "
                             "article is not loaded twice under two names: drop this file, or give it that "
                             "article's id as its name to replace it.")
        if found is not None:
            return None
        self._bodies[digest] = (graph, str(self.inputs.minter.article(article_id)))  # type: ignore[index]
        self._digests.setdefault(graph, set()).add(digest)
        self._run_digests.add(digest)
        return digest

    def _forget(self, task: _Task) -> None:
        """Undo what :meth:`refuse_duplicate` counted for a file that then failed."""
        if task.digest is not None and self._bodies is not None:
            graph = self._bodies.pop(task.digest, ("", ""))[0]
            self._digests.get(graph, set()).discard(task.digest)
            self._run_digests.discard(task.digest)

    def prepare(self, drafts: bool = True) -> None:
        """Make once what checking files needs: the compiled shapes and, for ``drafts``, the
        extractor's index and rules. Worker processes forked afterwards share them instead of
        each making them again on its first file."""
        if drafts:
            from kb.extract import prepare as prepare_extraction

            self.index()
            prepare_extraction(self.data_dir / "gazetteer")
        prepare_validation(self.inputs.vocabulary)

    def index(self) -> ActorIndex:
        """The extractor's index of the gazetteer (made once)."""
        if self._index is None:
            from kb.extract.actors import ActorIndex

            self._index = ActorIndex.from_folder(self.data_dir / "gazetteer")
        return self._index

    def stored_bodies(self) -> dict[str, tuple[str, str]]:
        """Body digest -> (graph IRI, article IRI) of the stored articles (read on the first call,
        then kept up to date with the articles of this run)."""
        if self._bodies is None:
            self._bodies, self._digests = {}, {}
            for row in sorted(self.writer.select(_BODIES), key=lambda r: r["article"]["value"], reverse=True):
                graph = row["graph"]["value"]
                self._bodies[row["digest"]["value"]] = (graph, row["article"]["value"])
                self._digests.setdefault(graph, set()).add(row["digest"]["value"])
            for pending in self._batch.articles.values():
                self._remember_bodies(pending.article)
        return self._bodies

    def _remember_bodies(self, article: CheckedArticle) -> None:
        if self._bodies is None:  # read with the stored ones when first needed
            return
        graph = str(article.graph_iri)
        for stale in self._digests.pop(graph, set()):  # the article's graph is being replaced
            if self._bodies.get(stale, ("",))[0] == graph:
                del self._bodies[stale]
        for node, body in article.bodies.items():
            digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
            if digest not in self._bodies:
                self._bodies[digest] = (graph, node)
                self._digests.setdefault(graph, set()).add(digest)
            self._run_digests.add(digest)

    def _check(self, annotation: Path) -> ArticleGraph:
        if annotation.suffix not in ANNOTATION_SUFFIXES:
            raise InputError(f"{annotation}: is not an annotation (.yaml, see docs/annotation-format.md).")
        return convert_and_validate(annotation, self.inputs)


def default_workers(files: int) -> int:
    """The worker processes kb ingest checks ``files`` files in: one per CPU from
    :data:`PARALLEL_FILES` files on, else none (1: checked in this process)."""
    return (os.cpu_count() or 1) if files >= PARALLEL_FILES else 1


def _run(ingester: Ingester, task: _Task) -> Ingested:
    """Make the draft a task needs, then convert and validate its annotation."""
    annotation = task.annotation or ingester.write_draft(task.article, task.article_id)  # type: ignore[arg-type]
    return Ingested(task.path, CheckedArticle.of(ingester._check(annotation)), annotation, task.source)


_adopted: Ingester | None = None  # a worker process's copy of the ingester that started it


def _adopt(ingester: Ingester) -> None:
    global _adopted
    _adopted = ingester


def _run_in_worker(task: _Task) -> Ingested | str:
    """:func:`_run` in a worker process; a failure comes back as its message."""
    try:
        return _run(_adopted, task)  # type: ignore[arg-type]
    except KBError as exc:
        return str(exc)


def _ready(pending: Future | KBError) -> bool:
    return not isinstance(pending, Future) or pending.done()


def reviewed_annotation(data_dir: Path, article_id: str) -> Path | None:
    """``DATA/annotations/<id>.yaml`` when it exists and is not a machine draft (a file that does
    not parse counts as reviewed, so that loading it reports the fault)."""
    path = data_dir / "annotations" / f"{article_id}.yaml"
    if not path.is_file():
        return None
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        status = doc["review"]["status"]
    except (OSError, UnicodeDecodeError, yaml.YAMLError, TypeError, KeyError):
        return path
    return None if status == "machine" else path
