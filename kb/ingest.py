"""``kb ingest``: files into the store, each article in its own transaction.

An annotation (.yaml) loads as it is. An article file (.txt, .md, .html ...) is read with
:func:`kb.articles.read_article` (metadata given on the command line wins over the file's); its id
is the file's stem. If ``DATA/annotations/<id>.yaml`` is a reviewed annotation, that is loaded
instead (a reviewed file wins over a draft); otherwise the extractor (:mod:`kb.extract`) writes a
machine draft ``<id>.yaml`` into the drafts folder, which is then converted, validated and loaded
like any annotation, replacing the article's named graph. The drafts folder of an embedded store
is the folder beside it named ``<store>-drafts`` (``var/store-drafts/``), like its dumps.

An article file whose body is the ``schema:articleBody`` of an article already in the store
under another id is refused, naming that article: the same report is not loaded twice under two
names (re-ingesting it under its own name replaces it).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from kb.articles import SUFFIXES, read_article
from kb.build import Inputs, ingest_file
from kb.errors import InputError, KBError
from kb.namespaces import is_local_id
from kb.rdf import ArticleGraph
from kb.store import Store, is_remote

if TYPE_CHECKING:
    from kb.extract.actors import ActorIndex

ANNOTATION_SUFFIXES = (".yaml", ".yml")
# ?own is projected: pyoxigraph substitutes only variables of the projection.
_SAME_BODY = """SELECT ?article ?own WHERE { GRAPH ?graph { ?article <https://schema.org/articleBody> ?body }
  FILTER(?graph != ?own && SHA256(STR(?body)) = "%s") } ORDER BY ?article LIMIT 1"""


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


class Ingester:
    """Ingests files one by one into ``writer``; the extractor's gazetteer index is made on the
    first article that needs it."""

    def __init__(self, data_dir: Path, inputs: Inputs, writer: Store, drafts: Path | None,
                 given: Given = Given()) -> None:
        self.data_dir = data_dir
        self.inputs = inputs
        self.writer = writer
        self.drafts = drafts
        self.given = given
        self._index: ActorIndex | None = None

    def ingest(self, path: Path, *, with_shared_graphs: bool) -> Ingested:
        """Load one file, replacing its article's graph in one transaction (nothing is written
        when it fails).

        :raises KBError: naming the file and what to fix.
        """
        suffix = path.suffix.lower()
        if suffix in ANNOTATION_SUFFIXES:
            return Ingested(path, self._load(path, with_shared_graphs), path, "annotation")
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
            return Ingested(path, self._load(reviewed, with_shared_graphs), reviewed, "reviewed")
        draft = self.write_draft(path, article_id)
        return Ingested(path, self._load(draft, with_shared_graphs), draft, "draft")

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
        """Refuse a body already in the store as another article's ``schema:articleBody``
        (compared by SHA-256, so the text itself never becomes query text).

        :raises InputError: naming the article it duplicates.
        """
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        own = str(self.inputs.minter.article_graph(article_id))
        rows = self.writer.select(_SAME_BODY % digest, {"own": own})
        if rows:
            other = rows[0]["article"]["value"]
            raise InputError(f"{path}: its text is already in the store as the article <{other}>; the same "
                             "article is not loaded twice under two names: drop this file, or give it that "
                             "article's id as its name to replace it.")

    def index(self) -> ActorIndex:
        """The extractor's index of the gazetteer (made once)."""
        if self._index is None:
            from kb.extract.actors import ActorIndex

            self._index = ActorIndex.from_folder(self.data_dir / "gazetteer")
        return self._index

    def _load(self, annotation: Path, with_shared_graphs: bool) -> ArticleGraph:
        return ingest_file(annotation, self.inputs, self.writer, with_shared_graphs=with_shared_graphs)


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
