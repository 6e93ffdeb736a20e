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
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kb.articles import SUFFIXES, read_article
from kb.build import Inputs, convert_and_validate
from kb.errors import InputError, KBError
from kb.export import Changes
from kb.namespaces import SCHEMA, is_local_id
from kb.rdf import ArticleGraph
from kb.store import EmbeddedStore, Store, is_remote

if TYPE_CHECKING:
    from kb.extract.actors import ActorIndex

ANNOTATION_SUFFIXES = (".yaml", ".yml")
_BODIES = """SELECT ?graph ?article (SHA256(STR(?body)) AS ?digest)
WHERE { GRAPH ?graph { ?article <https://schema.org/articleBody> ?body } }"""
#: A batch is written when it holds this many articles, or when its first article has waited this long.
BATCH_ARTICLES = 100
BATCH_SECONDS = 2.0


@dataclass(frozen=True)
class Given:
    """Article metadata given on the command line (``None``: not given); it wins over the file's."""

    published: date | None = None
    publisher: str | None = None
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Ingested:
    """What one file became: the loaded graph and the annotation it was made from."""

    path: Path
    article: ArticleGraph
    annotation: Path
    source: str  # "annotation" (a .yaml given), "reviewed" (wins over a draft) or "draft"

    def describe(self) -> str:
        """The line ``kb ingest`` prints for it."""
        how = {"annotation": "", "reviewed": f" from its reviewed annotation {self.annotation} (reviewed wins "
               "over a draft)", "draft": f" from the machine draft {self.annotation}"}[self.source]
        return f"loaded {self.path}{how} ({len(self.article.graph)} triples) as <{self.article.graph_iri}>"


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


class Ingester:
    """Ingests files into ``writer``: :meth:`ingest` checks a file and adds its article to the
    batch, :meth:`commit` writes the batch in one store write. The extractor's gazetteer index and
    the digests of the stored article bodies are made on the first article that needs them."""

    def __init__(self, data_dir: Path, inputs: Inputs, writer: Store, drafts: Path | None,
                 given: Given = Given()) -> None:
        self.data_dir = data_dir
        self.inputs = inputs
        self.writer = writer
        self.drafts = drafts
        self.given = given
        self._index: ActorIndex | None = None
        self._bodies: dict[str, tuple[str, str]] | None = None  # body digest -> (graph IRI, article IRI)
        self._batch = _Batch()
        self._shared: dict[URIRef, Graph] | None = None  # the shared graphs to write
        self._shared_written = False  # the gazetteer and ontology graphs go with the first batch
        self.changes = Changes(writer.generation if isinstance(writer, EmbeddedStore) else None)  # for the dumps

    def ingest(self, path: Path) -> Ingested:
        """Check one file and add its article to the batch (replacing an earlier one with the same id).

        :raises KBError: naming the file and what to fix; the batch is unchanged.
        """
        ingested = self._prepare(path)
        graph = str(ingested.article.graph_iri)
        if not self._batch.articles:
            self._batch.since = time.monotonic()
        self._batch.articles[graph] = ingested
        self._remember_bodies(ingested.article)
        return ingested

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
        graphs = {} if self._shared_written else dict(self.changed_shared_graphs())
        graphs.update({item.article.graph_iri: item.article.graph for item in written})
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

    def _prepare(self, path: Path) -> Ingested:
        suffix = path.suffix.lower()
        if suffix in ANNOTATION_SUFFIXES:
            return Ingested(path, self._check(path), path, "annotation")
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
            return Ingested(path, self._check(reviewed), reviewed, "reviewed")
        draft = self.write_draft(path, article_id)
        return Ingested(path, self._check(draft), draft, "draft")

    def write_draft(self, path: Path, article_id: str) -> Path:
        """Read the article, run the extractor and write its draft annotation; return the draft's path."""
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
        self.refuse_duplicate(path, article_id, article.body)
        from kb.extract import extract, write_draft

        try:
            doc = extract(article, article_id, self.index(), published=article.published,
                          gazetteer_dir=self.data_dir / "gazetteer")
        except KBError:
            raise
        except Exception as exc:  # one article the extractor trips on must not stop the others
            raise InputError(f"{path}: the extractor failed on this article ({type(exc).__name__}: {exc}); "
                             "this is a bug in kb.extract, please report it with the file.") from exc
        self.drafts.mkdir(parents=True, exist_ok=True)
        draft = self.drafts / f"{article_id}.yaml"
        write_draft(doc, draft)
        return draft

    def refuse_duplicate(self, path: Path, article_id: str, body: str) -> None:
        """Refuse a body that another article, stored or checked earlier in this run, has as its
        ``schema:articleBody`` (compared by SHA-256 digest).

        :raises InputError: naming the article it duplicates.
        """
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        found = self.stored_bodies().get(digest)
        if found is not None and found[0] != str(self.inputs.minter.article_graph(article_id)):
            where = "given earlier in this run" if found[0] in self._batch.articles else "in the store"
            raise InputError(f"{path}: its text is already {where} as the article <{found[1]}>; the same "
                             "article is not loaded twice under two names: drop this file, or give it that "
                             "article's id as its name to replace it.")

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
            self._bodies = {}
            for row in sorted(self.writer.select(_BODIES), key=lambda r: r["article"]["value"], reverse=True):
                self._bodies[row["digest"]["value"]] = (row["graph"]["value"], row["article"]["value"])
            for pending in self._batch.articles.values():
                self._remember_bodies(pending.article)
        return self._bodies

    def _remember_bodies(self, article: ArticleGraph) -> None:
        if self._bodies is None:  # read with the stored ones when first needed
            return
        graph = str(article.graph_iri)
        for stale in [d for d, (g, _) in self._bodies.items() if g == graph]:
            del self._bodies[stale]  # the article's graph is being replaced
        for node, body in article.graph.subject_objects(SCHEMA.articleBody):
            self._bodies.setdefault(hashlib.sha256(str(body).encode("utf-8")).hexdigest(), (graph, str(node)))

    def _check(self, annotation: Path) -> ArticleGraph:
        if annotation.suffix not in ANNOTATION_SUFFIXES:
            raise InputError(f"{annotation}: is not an annotation (.yaml, see docs/annotation-format.md).")
        return convert_and_validate(annotation, self.inputs)


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
