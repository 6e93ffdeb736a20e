"""The pipeline from data/ to the store: read, convert, validate, then load all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from kb.annotation import load_annotation
from kb.errors import KBError, ValidationFailed
from kb.export import Changes, dumps_dir, write_dumps
from kb.gazetteer import Gazetteer, load_gazetteer
from kb.links import LINKS_FILE, prepare_links
from kb.namespaces import IriMinter
from kb.ontology import Vocabulary, load_vocabulary
from kb.rdf import ArticleGraph, annotation_to_graph
from kb.store import is_remote, open_store
from kb.validate import validate_article, validate_graph


class BuildFailed(KBError):
    """Some inputs failed; nothing was written to the store."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            f"{len(problems)} problem(s); the store was left as it was:\n" + "\n".join(problems)
        )
        self.problems = problems


@dataclass
class Dataset:
    """The named graphs made from data/, ready to load."""

    graphs: dict[URIRef, Graph] = field(default_factory=dict)
    articles: list[str] = field(default_factory=list)

    def triple_count(self) -> int:
        return sum(len(g) for g in self.graphs.values())


@dataclass
class Inputs:
    """What every article's conversion and validation needs besides its own file."""

    minter: IriMinter
    gazetteer: Gazetteer
    vocabulary: Vocabulary

    @classmethod
    def load(cls, data_dir: Path, minter: IriMinter) -> Inputs:
        gazetteer = load_gazetteer(data_dir / "gazetteer", minter)
        # annotations that still use a merged actor's old id are converted to the new IRI
        return cls(gazetteer.resolving(minter), gazetteer, load_vocabulary())

    def shared_graphs(self) -> dict[URIRef, Graph]:
        """The gazetteer and vocabulary graphs that every article's graph refers to."""
        return {
            self.minter.gazetteer_graph: self.gazetteer.graph,
            self.minter.ontology_graph: self.vocabulary.graph,
        }


def convert_and_validate(annotation: Path, inputs: Inputs) -> ArticleGraph:
    """One annotation file to its checked named graph.

    :raises AnnotationError: when the file is malformed.
    :raises ValidationFailed: when its triples violate the shapes.
    """
    ann = load_annotation(annotation, inputs.gazetteer)
    article = annotation_to_graph(ann, inputs.gazetteer, inputs.vocabulary, inputs.minter)
    lines = {**inputs.gazetteer.lines, **article.lines}
    violations = validate_article(article.graph, inputs.gazetteer.graph, inputs.vocabulary, lines)
    if violations:
        raise ValidationFailed(str(annotation), violations)
    return article


def check_gazetteer(inputs: Inputs, data_dir: Path) -> None:
    """Validate the gazetteer on its own (an article's validation sees only the entries it uses).

    :raises ValidationFailed: when its triples violate the shapes.
    """
    violations = validate_graph(inputs.gazetteer.graph, inputs.vocabulary, inputs.gazetteer.lines)
    if violations:
        raise ValidationFailed(str(data_dir / "gazetteer"), violations)


def prepare(data_dir: Path, minter: IriMinter) -> Dataset:
    """Convert and validate every annotation under ``data_dir/annotations``.

    :raises BuildFailed: listing every file that failed and why.
    """
    inputs = Inputs.load(data_dir, minter)
    problems: list[str] = []
    dataset = Dataset(dict(inputs.shared_graphs()))
    files = sorted((data_dir / "annotations").glob("*.yaml"))
    if not files:
        raise BuildFailed([f"{data_dir / 'annotations'}: no annotation files (*.yaml) to build from."])
    try:
        check_gazetteer(inputs, data_dir)
    except ValidationFailed as exc:
        problems.append(str(exc))
    for path in files:
        try:
            article = convert_and_validate(path, inputs)
        except KBError as exc:
            problems.append(str(exc))
            continue
        if article.graph_iri in dataset.graphs:
            problems.append(f"{path}: article id '{article.article_id}' is used by another annotation.")
            continue
        dataset.graphs[article.graph_iri] = article.graph
        dataset.articles.append(article.article_id)
    links_file = data_dir / LINKS_FILE
    if not problems and links_file.exists():  # a graph per entry: {base}graph/links/...
        try:
            links = prepare_links(links_file, dataset.graphs, minter, inputs.vocabulary)
            dataset.graphs.update(links.graphs)
        except KBError as exc:
            problems.append(str(exc))
    if problems:
        raise BuildFailed(problems)
    return dataset


def build(data_dir: Path, store_location: str, minter: IriMinter) -> Dataset:
    """(Re)build the store from ``data_dir``: everything validates and is loaded, or nothing is.

    The dumps beside an embedded store (:func:`kb.export.dumps_dir`) are regenerated.
    ``store_location`` is a folder or a SPARQL server's URL (:func:`kb.store.open_store`).

    :raises BuildFailed: when any input fails (the store is untouched).
    :raises StoreError: when the store cannot be opened or written.
    """
    dataset = prepare(data_dir, minter)
    with open_store(store_location, writable=True) as store:
        store.replace_graphs(dataset.graphs, clear_all=True)
        if not is_remote(store_location):  # dumps of a server: `kb export --out DIR`
            write_dumps(store, dumps_dir(store_location), Changes(None))
    return dataset
