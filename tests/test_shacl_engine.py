"""The compiled SPARQL engine (kb.shacl_engine) against pySHACL, the reference.

* Every break of tests/test_shapes.py CASES gives the same violation lines under both engines.
* The corpus of data/ (each article with the gazetteer entries it uses, and the gazetteer alone)
  conforms under both, and the whole store conforms under the one-pass store validation.
* Hand-made shapes exercising each supported component (nested sh:or / sh:not / sh:node /
  qualified shapes, sequence and alternative paths, SPARQL targets and constraints, severities,
  sh:deactivated) give the same results under both, severity included.
* Shapes using anything else raise UnsupportedShapes naming the feature, and ``engine="auto"``
  then falls back to pySHACL.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS
from test_shapes import CASES, SEED_ANNOTATION, Case, M

from kb.build import Dataset, Inputs, build, convert_and_validate
from kb.config import DEFAULT_DATA_DIR
from kb.ontology import Vocabulary, load_shapes
from kb.shacl_engine import UnsupportedShapes, compile_shapes
from kb.store import EmbeddedStore
from kb.validate import (
    as_written,
    dataset_store,
    merged,
    pyshacl_results,
    validate_article,
    validate_graph,
    validate_store,
    violation_line,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

EX = "http://example.org/"
PREFIXES = f"""
@prefix ex: <{EX}> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""

#: One shape per component, each with a message naming it; the data breaks each at least once.
SHAPES = PREFIXES + """
ex: sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .

ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:pattern "^http://example\\\\.org/t" ;
    sh:message "iri pattern" ;
    sh:property ex:name , ex:code , ex:kind , ex:parent , ex:score , ex:when , ex:parts , ex:alt ,
        ex:members , ex:unbanned , ex:owner , ex:order , ex:range , ex:status , ex:never .

ex:name sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ; sh:message "name" .
ex:code sh:path ex:code ; sh:pattern "^[a-z]+-[0-9]+$" ; sh:flags "i" ; sh:nodeKind sh:Literal ; sh:message "code" .
ex:kind sh:path ex:kind ; sh:in ( ex:A ex:B "c" ) ; sh:message "kind" .
ex:parent sh:path ex:parent ; sh:class ex:Thing ; sh:nodeKind sh:IRI ; sh:message "parent" .
ex:score sh:path ex:score ; sh:datatype xsd:decimal ; sh:minInclusive 0 ; sh:maxInclusive 10 ; sh:message "score" .
ex:when sh:path ex:when ; sh:datatype xsd:date ; sh:message "when" .
ex:parts sh:path ( ex:part ex:label ) ; sh:minCount 2 ; sh:maxCount 3 ; sh:message "parts" .
ex:alt sh:path [ sh:alternativePath ( ex:a1 ex:a2 ) ] ; sh:minCount 1 ;
    sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:gYear ] ) ; sh:message "alt" .
ex:members sh:path ex:member ;
    sh:qualifiedValueShape [ sh:class ex:Person ; sh:property [ sh:path ex:age ; sh:minCount 1 ] ] ;
    sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 2 ; sh:message "members" .
ex:unbanned sh:path ex:member ;
    sh:not [ sh:property [ sh:path ex:banned ; sh:hasValue true ] ] ; sh:message "unbanned" .
ex:owner sh:path ex:owner ; sh:node ex:PersonShape ; sh:message "owner" .
ex:order sh:path ex:start ; sh:lessThan ex:end ; sh:message "order" .
ex:range sh:path ex:low ; sh:lessThanOrEquals ex:high ; sh:message "range" .
ex:status sh:path ex:status ; sh:hasValue ex:Active ; sh:severity sh:Warning ; sh:message "status" .
ex:never sh:path ex:name ; sh:maxCount 0 ; sh:deactivated true ; sh:message "never" .

ex:PersonShape a sh:NodeShape ;
    sh:property [ sh:path ex:age ; sh:datatype xsd:integer ; sh:minCount 1 ; sh:message "age" ] .

ex:TeamShape a sh:NodeShape ;
    sh:targetSubjectsOf ex:member ;
    sh:or ( [ sh:class ex:Team ] [ sh:property [ sh:path ex:size ; sh:maxCount 0 ] ] ) ;
    sh:message "team" .

ex:OwnedShape a sh:NodeShape ;
    sh:targetObjectsOf ex:owner ;
    sh:class ex:Person ;
    sh:message "owned" .

ex:BigStartShape a sh:NodeShape ;
    sh:target [ a sh:SPARQLTarget ; sh:prefixes ex: ;
                sh:select "SELECT ?this WHERE { ?this ex:start ?s . FILTER (?s > 50) }" ] ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:prefixes ex: ; sh:message "sparql" ;
                sh:select "SELECT $this ?path ?value WHERE { $this ex:start ?value . FILTER (?value > 100) BIND (ex:start AS ?path) }" ] .
"""

DATA = PREFIXES + """
ex:SubThing rdfs:subClassOf ex:Thing .
ex:t1 a ex:Thing ; ex:name "one" ; ex:code "AB-12" ; ex:kind ex:A ; ex:parent ex:t2 ; ex:score 3.5 ;
    ex:when "2020-01-02"^^xsd:date ; ex:part ex:p1 , ex:p2 ; ex:a1 5 ; ex:member ex:alice ;
    ex:owner ex:alice ; ex:start 1 ; ex:end 2 ; ex:low "a" ; ex:high "b" ; ex:status ex:Active .
ex:p1 ex:label "x" . ex:p2 ex:label "y" . ex:p3 ex:label "z" , "w" .
ex:t2 a ex:SubThing ; ex:name "two"@en , "deux" ; ex:code "ab_12" , ex:code1 ; ex:kind "c" , ex:C ;
    ex:parent ex:alice , "t1" ; ex:score 11.0 , "5" , 2 ; ex:when "2020-13-45"^^xsd:date , "2020-01" ;
    ex:part ex:p3 ; ex:a2 "2019"^^xsd:gYear , "x" ; ex:member ex:bob , ex:carol , ex:dave ;
    ex:owner ex:dave ; ex:start 5 , 1 ; ex:end 3 ; ex:low 4 ; ex:high 4 ; ex:status ex:Idle .
ex:u3 a ex:Thing ; ex:name "three" ; ex:a1 1 ; ex:part ex:p1 ; ex:member ex:eve ; ex:start 200 , 60 ; ex:end 300 ;
    ex:owner ex:eve ; ex:low 5 , "a" ; ex:high 4 .
ex:alice a ex:Person ; ex:age 30 .
ex:bob a ex:Person ; ex:age 40 ; ex:banned true .
ex:carol a ex:Person ; ex:age 41 .
ex:dave a ex:Person ; ex:age "old" .
ex:eve a ex:Robot .
ex:team a ex:Team ; ex:member ex:alice ; ex:size 3 .
ex:club ex:member ex:carol ; ex:size 2 .
"""


def _graph(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


def _lines(data: Graph, vocabulary: Vocabulary, shapes: Graph | None, engine: str,
           lines: dict | None = None) -> list[str]:
    return validate_graph(data, vocabulary, lines or {}, shapes, engine=engine)


# -- the cases of tests/test_shapes.py --------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_graphs() -> tuple[Inputs, Graph, dict[URIRef, str]]:
    inputs = Inputs.load(DEFAULT_DATA_DIR, M)
    article = convert_and_validate(SEED_ANNOTATION, inputs)
    return inputs, merged(article.graph, inputs.gazetteer.graph), {**inputs.gazetteer.lines, **article.lines}


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_each_case_gives_pyshacls_lines(c: Case, seed_graphs) -> None:
    inputs, seed, lines = seed_graphs
    data = Graph()
    data += seed
    for op in c.ops:
        op(data)
    reference = _lines(data, inputs.vocabulary, None, "pyshacl", lines)
    assert reference, f"pySHACL reports nothing for {c.id}"
    assert _lines(data, inputs.vocabulary, None, "fast", lines) == reference


# -- the corpus ----------------------------------------------------------------------------------------


def test_corpus_conforms_under_both_engines(seed_dataset: Dataset, minter) -> None:
    inputs = Inputs.load(DEFAULT_DATA_DIR, minter)
    gazetteer = inputs.gazetteer.graph
    prefix = str(minter.base["graph/article/"])
    articles = {iri: g for iri, g in seed_dataset.graphs.items() if str(iri).startswith(prefix)}
    assert len(articles) == len(seed_dataset.articles) > 1
    for engine in ("fast", "pyshacl"):
        assert _lines(gazetteer, inputs.vocabulary, None, engine) == [], engine
        for iri, graph in articles.items():
            assert validate_article(graph, gazetteer, inputs.vocabulary, {}, engine=engine) == [], (engine, iri)


def test_whole_store_conforms(seed_store_path: Path, minter) -> None:
    checked = validate_store(str(seed_store_path), minter, workers=1)
    assert checked.violations == {}
    assert any("/graph/article/" in name for name in checked.graphs)


def test_store_violations_are_the_articles_own(tmp_path: Path, seed_only_data: Path, minter) -> None:
    """A broken article graph in a store: the one-pass validation files pySHACL's lines for that
    article (validated with the gazetteer entries it uses) under the article's graph."""
    location = tmp_path / "store"
    build(seed_only_data, str(location), minter)
    graph_iri = minter.article_graph("khalilzad-kabul-sahar-news")
    with EmbeddedStore.open_writer(location) as writer:
        damaged = writer.graph(str(graph_iri))
        for event in list(damaged.subjects(RDFS.label, None))[:3]:
            damaged.remove((event, RDFS.label, None))
        gazetteer = writer.graph(str(minter.gazetteer_graph))
        writer.replace_graphs({URIRef(str(graph_iri)): damaged})
    reference = validate_article(damaged, gazetteer, Inputs.load(seed_only_data, minter).vocabulary, {},
                                 engine="pyshacl")
    assert reference
    for workers in (1, 2):
        assert validate_store(str(location), minter, workers=workers).violations == {str(graph_iri): reference}
    outputs = [subprocess.run([sys.executable, "-m", "kb", "validate", "--engine", engine, "--store", str(location)],
                              capture_output=True, text=True, timeout=300, check=False) for engine in ("fast", "pyshacl")]
    assert [o.returncode for o in outputs] == [1, 1]
    assert outputs[0].stdout == outputs[1].stdout == "".join(f"<{graph_iri}>: {line}\n" for line in reference)


# -- hand-made shapes ----------------------------------------------------------------------------------


def _results(data: Graph, shapes: Graph, engine: str) -> list[tuple]:
    """(line, severity) of every result, any severity."""
    vocabulary = Vocabulary(Graph())
    if engine == "pyshacl":
        found = pyshacl_results(data, vocabulary, shapes)
    else:
        found = as_written(compile_shapes(shapes).results(dataset_store([data], vocabulary)), [data])
    return sorted((violation_line(r, {}), str(r.severity)) for r in found)


def test_each_component_matches_pyshacl() -> None:
    shapes, data = _graph(SHAPES), _graph(DATA)
    reference = _results(data, shapes, "pyshacl")
    messages = {line.split(" (")[0] for line, _ in reference}
    assert messages == {"iri pattern", "name", "code", "kind", "parent", "score", "when", "parts", "alt",
                        "members", "unbanned", "owner", "order", "range", "status", "team", "owned", "sparql"}
    assert _results(data, shapes, "fast") == reference


def test_deactivated_and_warning_results() -> None:
    shapes, data = _graph(SHAPES), _graph(DATA)
    found = _results(data, shapes, "fast")
    assert not [line for line, _ in found if line.startswith("never ")]
    assert {severity for line, severity in found if line.startswith("status ")} == {"http://www.w3.org/ns/shacl#Warning"}
    vocabulary = Vocabulary(Graph())
    lines = validate_graph(data, vocabulary, {}, shapes, engine="fast")
    assert lines and not [line for line in lines if line.startswith("status ")]
    assert lines == validate_graph(data, vocabulary, {}, shapes, engine="pyshacl")


def test_the_projects_shapes_compile() -> None:
    compiled = compile_shapes(load_shapes())
    assert compiled.queries
    assert compile_shapes(load_shapes()) is compiled  # once per shapes graph


# -- unsupported shapes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("shape, feature", [
    (('ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:xone ( [ sh:class ex:A ] [ sh:class ex:B ] ) ; '
     'sh:message "m" .'), "xone"),
    (('ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path [ sh:inversePath ex:p ] ; '
     'sh:minCount 1 ; sh:message "m" ] .'), "inversePath"),
    (('ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; sh:equals ex:q ; '
     'sh:message "m" ] .'), "equals"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
     "sh:message"),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:t1 ; sh:class ex:Thing ; sh:message \"m\" .", "targetNode"),
])
def test_unsupported_shapes_raise_and_fall_back(shape: str, feature: str) -> None:
    shapes, data = _graph(PREFIXES + shape), _graph(DATA)
    with pytest.raises(UnsupportedShapes, match=feature):
        compile_shapes(shapes)
    vocabulary = Vocabulary(Graph())
    auto = validate_graph(data, vocabulary, {}, shapes, engine="auto")
    assert auto == validate_graph(data, vocabulary, {}, shapes, engine="pyshacl")
    with pytest.raises(UnsupportedShapes):
        validate_graph(data, vocabulary, {}, shapes, engine="fast")
