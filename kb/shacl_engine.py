"""A fast SHACL engine: the shapes compiled once into SPARQL queries that pyoxigraph runs.

pySHACL stays the reference (``kb.validate``, ``engine="pyshacl"``); this engine gives the same
results as pySHACL 0.40 on the subset of SHACL that ontology/shapes.ttl uses: the targets
sh:targetClass (with rdfs:subClassOf*), sh:targetSubjectsOf, sh:targetObjectsOf and SHACL-AF
sh:SPARQLTarget; the components sh:class, sh:datatype, sh:nodeKind, sh:minCount, sh:maxCount,
sh:hasValue, sh:in, sh:pattern (sh:flags), sh:minInclusive, sh:maxInclusive, sh:lessThan,
sh:lessThanOrEquals, sh:or, sh:not, sh:node, sh:property, sh:qualifiedValueShape with
sh:qualifiedMinCount / sh:qualifiedMaxCount, and SPARQL-based constraints (sh:sparql, sh:select,
sh:prefixes) on node shapes; predicate, sequence and alternative paths; sh:message, sh:severity
and sh:deactivated. :func:`compile_shapes` raises :class:`UnsupportedShapes` on anything else,
so a caller can fall back to pySHACL rather than skip a constraint.

Each reportable constraint becomes one SELECT query returning its violations (focus node and,
where SHACL reports one, the value); a shape used inside another (sh:or, sh:not, sh:node,
sh:qualifiedValueShape) becomes a boolean SPARQL expression over the node it is checked on.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import count

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

Term = URIRef | BNode | Literal


class UnsupportedShapes(ValueError):
    """The shapes use a SHACL feature this engine does not implement (validate with pySHACL)."""


# -- paths ---------------------------------------------------------------------------------------


_UNARY = {SH.inversePath: ("inverse", "^{}"), SH.zeroOrMorePath: ("zeroOrMore", "{}*"),
          SH.oneOrMorePath: ("oneOrMore", "{}+"), SH.zeroOrOnePath: ("zeroOrOne", "{}?")}


@dataclass(frozen=True)
class Path:
    """A SHACL property path: a predicate IRI, a sequence or alternative of paths, or an inverse,
    zero-or-more, one-or-more or zero-or-one path (the engine compiles the first three only)."""

    kind: str  # "predicate", "sequence", "alternative", or a kind of _UNARY
    iri: URIRef | None = None
    steps: tuple[Path, ...] = ()

    def sparql(self) -> str:
        return self.text(nested=True).replace(" ", "")

    def text(self, nested: bool = False) -> str:
        """``<iri>``, ``<a> / <b>``, ``<a> | <b>``, ``^<a>``, ``<a>*`` ... (inner compound paths
        in parentheses)."""
        if self.kind == "predicate":
            return f"<{self.iri}>"
        for form in _UNARY.values():
            if form[0] == self.kind:
                return form[1].format(self.steps[0].text(nested=True))
        joint = " / " if self.kind == "sequence" else " | "
        inner = joint.join(step.text(nested=True) for step in self.steps)
        return f"({inner})" if nested else inner


def read_path(graph: Graph, node: Node) -> Path:
    """The :class:`Path` that ``node`` describes in ``graph`` (a shapes graph or a report)."""
    if isinstance(node, URIRef):
        return Path("predicate", iri=node)
    if graph.value(node, RDF.first) is not None:
        return Path("sequence", steps=tuple(read_path(graph, step) for step in Collection(graph, node)))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return Path("alternative", steps=tuple(read_path(graph, step) for step in Collection(graph, alternatives)))
    for key, (kind, _form) in _UNARY.items():
        inner = graph.value(node, key)
        if inner is not None:
            return Path(kind, steps=(read_path(graph, inner),))
    raise UnsupportedShapes(f"{node} is not a SHACL property path")


# -- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """One validation result, as pySHACL would report it."""

    focus: Term
    path: Path | None
    value: Term | None
    message: str
    severity: URIRef
    shape: Node  # the shape whose constraint produced it (sh:sourceShape)


@dataclass(frozen=True)
class _Query:
    """A compiled query yielding ``?this`` (and ``?value``, ``?path`` when it reports them)."""

    sparql: str
    shape: Node
    path: Path | None
    message: str
    severity: URIRef
    value: str = "row"  # "row": ?value of the solution; "focus": the focus node; "none": no value
    sparql_based: bool = False  # ?path and ?value come from the solution (SPARQL constraints)
    #: the shape's targets as ("class", IRI) and ("predicate", IRI): the query can only find
    #: something where the data has an instance or a triple of one (None: a SPARQL target)
    targets: frozenset[tuple[str, str]] | None = None


class CompiledShapes:
    """The queries of a shapes graph; :meth:`violations` runs them on a pyoxigraph store."""

    def __init__(self, queries: list[_Query]) -> None:
        self.queries = queries
        self.classes = sorted({m[1] for q in queries for m in _CLASS.finditer(q.sparql)})
        self._texts: dict[tuple, list[str]] = {}  # the query texts per class hierarchy (and mode)

    def results(
        self, store: ox.Store, *, graphs: Iterable[ox.NamedNode] | None = None, part: tuple[int, int] = (0, 1),
        scratch: bool = False,
    ) -> list[Result]:
        """Every result (any severity) over the union of the store's graphs (or of ``graphs``).

        ``part=(i, n)`` runs only every n-th query from the i-th, to share the work between
        processes. ``scratch``: the store is the caller's throw-away copy, into which the class of
        each instance is written first (graph :data:`SCRATCH_GRAPH`), which makes the queries
        shorter and faster on small data.
        """
        graphs = list(graphs) if graphs is not None else None
        options: dict = {"default_graph": graphs} if graphs is not None else {"use_default_graph_as_union": True}
        subclasses = self.subclasses(store, options)
        present = self.present_targets(store, options, subclasses)
        if scratch and self.classes:
            values = " ".join(f"<{c}>" for c in self.classes)
            store.update(f"INSERT {{ GRAPH <{SCRATCH_GRAPH}> {{ ?x <{SCRATCH_CLASS}> ?c }} }} WHERE {{ "
                         f"VALUES ?c {{ {values} }} ?x <{RDF.type}>/<{RDFS.subClassOf}>* ?c }}")
            if graphs is not None:
                options["default_graph"] = [*graphs, ox.NamedNode(SCRATCH_GRAPH)]
        key = (scratch, *(subclasses[c] for c in self.classes))
        texts = self._texts.get(key)
        if texts is None:
            texts = self._texts[key] = [_CLASS.sub(self._instances(subclasses, scratch), q.sparql)
                                        for q in self.queries]
        out: list[Result] = []
        for q, text in list(zip(self.queries, texts))[part[0]::part[1]]:
            if q.targets is None or q.targets & present:  # else no focus nodes
                out.extend(self._result(q, row) for row in store.query(text, **options))
        return out

    @staticmethod
    def _instances(subclasses: dict[str, str], scratch: bool):
        """The replacement of a class marker: a lookup of the scratch graph's class triple, or the
        instance's rdf:type among the class and its subclasses."""
        if scratch:
            return lambda m: f"{m[2]} <{SCRATCH_CLASS}> <{m[1]}> ."
        return lambda m: f"VALUES {m[3]} {{ {subclasses[m[1]]} }} {m[2]} <{RDF.type}> {m[3]} ."

    def violations(
        self, store: ox.Store, *, graphs: Iterable[ox.NamedNode] | None = None, part: tuple[int, int] = (0, 1),
        scratch: bool = False,
    ) -> list[Result]:
        """The sh:Violation results of :meth:`results`."""
        return [r for r in self.results(store, graphs=graphs, part=part, scratch=scratch)
                if r.severity == SH.Violation]

    def present_targets(self, store: ox.Store, options: dict, subclasses: dict[str, str]) -> set[tuple[str, str]]:
        """The targets of the queries that the data has instances or triples of (one ASK each)."""
        present = set()
        for kind, iri in {t for q in self.queries for t in q.targets or ()}:
            pattern = f"VALUES ?_t {{ {subclasses[iri]} }} ?_x <{RDF.type}> ?_t" if kind == "class" else f"?_x <{iri}> ?_y"
            if store.query(f"ASK {{ {pattern} }}", **options):
                present.add((kind, iri))
        return present

    def subclasses(self, store: ox.Store, options: dict) -> dict[str, str]:
        """Each class of the shapes with its subclasses (rdfs:subClassOf*) in the data, as the
        IRIs of a VALUES block."""
        found: dict[str, list[str]] = {c: [] for c in self.classes}
        if self.classes:
            values = " ".join(f"<{c}>" for c in self.classes)
            query = f"SELECT ?c ?sub WHERE {{ VALUES ?c {{ {values} }} ?sub <{RDFS.subClassOf}>* ?c }}"
            for row in store.query(query, **options):
                if not isinstance(row["sub"], ox.NamedNode):
                    raise UnsupportedShapes(f"a blank node is a subclass of <{row['c'].value}>; not supported")
                found[row["c"].value].append(f"<{row['sub'].value}>")
        return {c: " ".join(subs) for c, subs in found.items()}

    @staticmethod
    def _result(q: _Query, row: ox.QuerySolution) -> Result:
        focus = to_rdflib(row["this"])
        if q.sparql_based:
            path_term = row["path"]
            value_term = row["value"]
            path = Path("predicate", iri=URIRef(path_term.value)) if isinstance(path_term, ox.NamedNode) else None
            if path_term is not None and path is None:
                raise UnsupportedShapes(f"SPARQL constraint of {q.shape} binds ?path to a non-IRI")
            value = to_rdflib(value_term) if value_term is not None else focus
            return Result(focus, path, value, q.message, q.severity, q.shape)
        value = {"row": lambda: to_rdflib(row["value"]), "focus": lambda: focus, "none": lambda: None}[q.value]()
        return Result(focus, q.path, value, q.message, q.severity, q.shape)


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Term:
    """A pyoxigraph term as the rdflib term pySHACL would see (plain literals without a datatype)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


# -- compiling -----------------------------------------------------------------------------------

_cache: dict[int, tuple[weakref.ref[Graph], CompiledShapes]] = {}


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Compile ``shapes`` (cached per graph object, by identity; a graph changed after compiling
    is not seen).

    :raises UnsupportedShapes: naming the shape and feature the engine does not implement.
    """
    cached = _cache.get(id(shapes))
    if cached is not None and cached[0]() is shapes:
        return cached[1]
    compiled = _Compiler(shapes).compile()
    _check_syntax(compiled)
    key = id(shapes)
    _cache[key] = (weakref.ref(shapes, lambda _ref: _cache.pop(key, None)), compiled)
    return compiled


def _check_syntax(compiled: CompiledShapes) -> None:
    """Run every query once on an empty store, so a bad sh:select fails at compile time."""
    try:
        compiled.results(ox.Store())
    except SyntaxError as exc:
        raise UnsupportedShapes(f"a compiled query does not parse ({exc}); check the sh:select texts") from exc


_CLASS = re.compile("\x00([^\x00]*)\x00([^\x00]*)\x00([^\x00]*)\x00")
#: Where :meth:`CompiledShapes.results` writes the classes of instances in a scratch store.
SCRATCH_GRAPH = "urn:x-kb-shacl:scratch"
SCRATCH_CLASS = "urn:x-kb-shacl:instanceOf"


def _instance(v: str, cls: Node, t: str) -> str:
    """A pattern matching ``v`` when it is an instance of ``cls`` or of a subclass: a marker that
    :meth:`CompiledShapes.results` replaces with the subclasses that the data declares."""
    if not isinstance(cls, URIRef):
        raise UnsupportedShapes(f"sh:class or sh:targetClass {cls} is not an IRI")
    return f"\x00{cls}\x00{v}\x00{t}\x00"


#: sh: predicates allowed on a shape; any other sh: predicate makes the shapes unsupported.
_SHAPE_KEYS = {
    SH.path, SH.property, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target,
    SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.hasValue, SH["in"],
    SH.pattern, SH.flags, SH.minInclusive, SH.maxInclusive, SH.lessThan, SH.lessThanOrEquals,
    SH["or"], SH["not"], SH.node, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint, SH.sparql, SH.message, SH.severity, SH.deactivated,
    SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
}
_SPARQL_KEYS = {SH.select, SH.prefixes, SH.message, SH.deactivated}
_TARGET_KEYS = {SH.select, SH.prefixes}
#: Datatypes whose ill-typed literals pySHACL (through rdflib) rejects, checked with a cast.
_CASTABLE = {XSD[n] for n in ("boolean", "integer", "decimal", "float", "double", "date", "time", "dateTime",
                              "duration", "gYear", "gYearMonth")}
_MAX_COUNT_SUPPORTED = 6  # a nested count compiles to that many distinct variables


def _n3(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if term.language:
            return f'"{text}"@{term.language}'
        return f'"{text}"^^<{term.datatype or XSD.string}>'
    raise UnsupportedShapes(f"blank node {term} used as a constraint value")


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self.fresh = count()

    # -- the shapes graph ------------------------------------------------------------------------

    def one(self, shape: Node, key: URIRef) -> Node | None:
        values = list(self.g.objects(shape, key))
        if len(values) > 1:
            raise UnsupportedShapes(f"{shape} has {len(values)} values of {key}; one is supported")
        return values[0] if values else None

    def integer(self, shape: Node, key: URIRef) -> int | None:
        value = self.one(shape, key)
        if value is None:
            return None
        if not (isinstance(value, Literal) and isinstance(value.value, int)):
            raise UnsupportedShapes(f"{shape}: {key} must be an integer, not {value!r}")
        return value.value

    def deactivated(self, shape: Node) -> bool:
        value = self.one(shape, SH.deactivated)
        return value is not None and bool(getattr(value, "value", False))

    def check_keys(self, shape: Node, allowed: set[URIRef]) -> None:
        for key in set(self.g.predicates(shape)):
            if str(key).startswith(str(SH)) and key not in allowed:
                raise UnsupportedShapes(f"{shape} uses {key}, which the fast SHACL engine does not support")

    def path(self, shape: Node) -> Path | None:
        node = self.one(shape, SH.path)
        if node is None:
            return None
        path = read_path(self.g, node)
        if not _compilable(path):
            raise UnsupportedShapes(f"{shape}: the path {path.text()} is not supported (only predicates, "
                                    "sequence and alternative paths; no inversePath, zeroOrMorePath ...)")
        return path

    def message(self, shape: Node, extra: Iterable[Node] = ()) -> str:
        messages = [*self.g.objects(shape, SH.message), *extra]
        if len(messages) != 1:
            raise UnsupportedShapes(
                f"{shape} reports results with {len(messages)} sh:message values; exactly one is supported "
                "(pySHACL's generated messages are not reproduced)"
            )
        return str(messages[0])

    def severity(self, shape: Node) -> URIRef:
        value = self.one(shape, SH.severity)
        return value if isinstance(value, URIRef) else SH.Violation

    # -- top level -------------------------------------------------------------------------------

    def compile(self) -> CompiledShapes:
        if any(True for _ in self.g.subjects(RDF.type, SH.ConstraintComponent)):
            raise UnsupportedShapes("the shapes declare their own sh:ConstraintComponent; not supported")
        for cls in (RDFS.Class, OWL.Class):
            for s in self.g.subjects(RDF.type, cls):
                if {*self.g.objects(s, RDF.type)} & {SH.NodeShape, SH.PropertyShape}:
                    raise UnsupportedShapes(f"{s} is a shape and a class (implicit class target); not supported")
        for key in (SH.targetNode, SH.rule, SH.entailment, SH.shapesGraph):
            for s in self.g.subjects(key, None):
                raise UnsupportedShapes(f"{s} uses {key}, which the fast SHACL engine does not support")
        targeted = {s for key in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
                    for s in self.g.subjects(key, None)}
        queries: list[_Query] = []
        for shape in sorted(targeted, key=str):
            self.check_keys(shape, _SHAPE_KEYS)
            if self.deactivated(shape):
                continue
            queries.extend(self.shape_queries(shape))
        return CompiledShapes(queries)

    def focus(self, shape: Node) -> tuple[str, str]:
        """The PREFIX lines and a subquery binding ``?this`` to each focus node of ``shape`` once."""
        parts = [f"{{ {_instance('?this', c, '?_t')} }}" for c in self.g.objects(shape, SH.targetClass)]
        parts += [f"{{ ?this {_n3(p)} ?_o }}" for p in self.g.objects(shape, SH.targetSubjectsOf)]
        parts += [f"{{ ?_s {_n3(p)} ?this }}" for p in self.g.objects(shape, SH.targetObjectsOf)]
        prefixes = ""
        for target in self.g.objects(shape, SH.target):
            if (target, RDF.type, SH.SPARQLTarget) not in self.g:
                raise UnsupportedShapes(f"{shape}: sh:target {target} is not a sh:SPARQLTarget; not supported")
            self.check_keys(target, _TARGET_KEYS)
            prefixes += self.prefixes(target)
            parts.append("{ " + self.select(target) + " }")
        return prefixes, "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"

    def prefixes(self, node: Node) -> str:
        out = []
        for ontology in self.g.objects(node, SH.prefixes):
            for decl in self.g.objects(ontology, SH.declare):
                prefix, namespace = self.g.value(decl, SH.prefix), self.g.value(decl, SH.namespace)
                if prefix is None or namespace is None:
                    raise UnsupportedShapes(f"{ontology}: a sh:declare without sh:prefix or sh:namespace")
                out.append(f"PREFIX {prefix}: <{namespace}>\n")
        return "".join(sorted(set(out)))

    def select(self, node: Node) -> str:
        text = self.one(node, SH.select)
        if text is None:
            raise UnsupportedShapes(f"{node} has no sh:select (only SELECT-based SPARQL is supported)")
        text = str(text)
        if re.search(r"\b(LIMIT|OFFSET|ORDER\s+BY)\b|\$(currentShape|shapesGraph|PATH)\b|\?failure\b", text,
                     re.IGNORECASE):
            raise UnsupportedShapes(f"{node}: sh:select uses LIMIT, OFFSET, ORDER BY, ?failure or a pre-bound "
                                    "variable other than $this; not supported")
        if re.match(r"\s*(PREFIX|BASE)\b", text, re.IGNORECASE):
            raise UnsupportedShapes(f"{node}: PREFIX or BASE inside sh:select; declare prefixes with sh:prefixes")
        return text

    def shape_queries(self, shape: Node) -> list[_Query]:
        """The queries reporting the violations of ``shape`` on its focus nodes."""
        prefixes, focus = self.focus(shape)
        targets = None
        if next(self.g.objects(shape, SH.target), None) is None:
            targets = frozenset({("class", str(c)) for c in self.g.objects(shape, SH.targetClass)}
                                | {("predicate", str(p)) for key in (SH.targetSubjectsOf, SH.targetObjectsOf)
                                   for p in self.g.objects(shape, key)})
        queries: list[_Query] = []
        path = self.path(shape)
        if path is not None:  # a property shape with targets of its own
            queries += self.property_queries(shape, focus, prefixes)
        else:
            queries += self.node_level_queries(shape, focus, prefixes)
        for prop in self.g.objects(shape, SH.property):
            self.check_keys(prop, _SHAPE_KEYS)
            if not self.deactivated(prop):
                queries += self.property_queries(prop, focus, prefixes)
        return [replace(q, targets=targets) for q in queries]

    def node_level_queries(self, shape: Node, focus: str, prefixes: str) -> list[_Query]:
        """The node shape's own constraints, the focus node being the value node."""
        queries = []
        severity = self.severity(shape)
        for key, expr in self.value_checks(shape, "?this"):
            if key in (SH["or"], SH["not"]):
                continue
            q = f"{prefixes}SELECT ?this WHERE {{ {focus} FILTER (!({expr})) }}"
            queries.append(_Query(q, shape, None, self.message(shape), severity, value="focus"))
        # sh:not and sh:or as set operations on the focus nodes where the inner shapes allow it:
        # a FILTER EXISTS per focus node is far slower on a large KB
        for inner in self.g.objects(shape, SH["not"]):
            violators = self.conforming(inner, focus) or f"{focus} FILTER ({self.conforms(inner, '?this')})"
            q = f"{prefixes}SELECT ?this WHERE {{ {violators} }}"
            queries.append(_Query(q, shape, None, self.message(shape), severity, value="focus"))
        for alternatives in self.g.objects(shape, SH["or"]):
            members = list(Collection(self.g, alternatives))
            sets = [self.conforming(m, focus) for m in members]
            if members and None not in sets:
                union = " UNION ".join(f"{{ {m} }}" for m in sets)
                violators = f"{focus} MINUS {{ {union} }}"
            else:
                expr = " || ".join(self.conforms(m, "?this") for m in members) or "false"
                violators = f"{focus} FILTER (!({expr}))"
            q = f"{prefixes}SELECT ?this WHERE {{ {violators} }}"
            queries.append(_Query(q, shape, None, self.message(shape), severity, value="focus"))
        has = self.one(shape, SH.hasValue)
        if has is not None:  # pySHACL reports sh:hasValue without a value
            q = f"{prefixes}SELECT ?this WHERE {{ {focus} FILTER (!sameTerm(?this, {_n3(has)})) }}"
            queries.append(_Query(q, shape, None, self.message(shape), severity, value="none"))
        for key in (SH.minCount, SH.maxCount, SH.lessThan, SH.lessThanOrEquals, SH.qualifiedValueShape):
            if self.one(shape, key) is not None:
                raise UnsupportedShapes(f"{shape}: {key} on a node shape (it needs sh:path)")
        for constraint in self.g.objects(shape, SH.sparql):
            self.check_keys(constraint, _SPARQL_KEYS)
            if self.deactivated(constraint):
                continue
            own = [*self.g.objects(constraint, SH.message)]
            message = self.message(shape, own)
            if re.search(r"\{[?$]\w+\}", message):
                raise UnsupportedShapes(f"{constraint}: {{?var}} substitution in sh:message is not supported")
            inner = self.select(constraint)
            q = (f"{prefixes}{self.prefixes(constraint)}SELECT DISTINCT * WHERE {{ {focus} {{ {inner} }} }}")
            queries.append(_Query(q, shape, None, message, severity, sparql_based=True))
        return queries

    def property_queries(self, prop: Node, focus: str, prefixes: str) -> list[_Query]:
        """The constraints of property shape ``prop`` on the focus nodes ``?this``."""
        path = self.path(prop)
        if path is None:
            raise UnsupportedShapes(f"{prop} is used with sh:property but has no sh:path")
        for key in (SH.sparql, SH.property):
            if self.one(prop, key) is not None:
                raise UnsupportedShapes(f"{prop}: {key} on a property shape is not supported")
        t = self.triples
        severity = self.severity(prop)
        queries = []

        message = self.message(prop)

        # Each check finds its candidates over the whole data in a subquery and joins them with
        # the focus nodes (hash joins and anti-joins, rather than a lookup per focus node).
        def add(where: str, value: str = "row") -> None:
            head = "SELECT ?this ?value" if value == "row" else "SELECT ?this"
            queries.append(_Query(f"{prefixes}{head} WHERE {{ {focus} {where} }}", prop, path, message, severity,
                                  value=value))

        for key, expr in self.value_checks(prop, "?value"):
            if key == SH["class"]:
                continue
            add(f"{{ SELECT DISTINCT ?this ?value WHERE {{ {t('?this', path, '?value')} FILTER (!({expr})) }} }}")
        for cls in self.g.objects(prop, SH["class"]):
            add(f"{{ SELECT DISTINCT ?this ?value WHERE {{ {t('?this', path, '?value')} "
                f"MINUS {{ {_instance('?value', cls, self.var())} }} }} }}")
        for kind, n, shape in self.counts(prop):  # values counted per focus node
            values = t("?this", path, "?_c")
            if shape is not None:
                values += self.existential(shape, "?_c") or f" FILTER ({self.conforms(shape, '?_c')})"
            if kind == "min":
                add(f"MINUS {{ SELECT ?this WHERE {{ {values} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?_c) >= {n}) }}",
                    "none")
            else:
                add(f"{{ SELECT ?this WHERE {{ {values} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?_c) > {n}) }}",
                    "none")
        has = self.one(prop, SH.hasValue)
        if has is not None:
            add(f"MINUS {{ {t('?this', path, _n3(has))} }}", "none")
        for key, strict in ((SH.lessThan, True), (SH.lessThanOrEquals, False)):
            other = self.one(prop, key)
            if other is None:
                continue
            if not isinstance(other, URIRef):
                raise UnsupportedShapes(f"{prop}: {key} must be an IRI")
            # one result per (value, other value) pair that is out of order, as pySHACL reports them
            add(f"{{ SELECT DISTINCT ?this ?value ?_w WHERE {{ {t('?this', path, '?value')} ?this <{other}> ?_w . "
                f"FILTER (!({_ordered('?value', '?_w', strict)})) }} }}")
        return queries

    # -- constraints as SPARQL expressions -----------------------------------------------------

    def var(self) -> str:
        return f"?_v{next(self.fresh)}"

    def triples(self, x: str, path: Path, o: str) -> str:
        """Triple patterns from ``x`` along ``path`` to ``o``: a sequence of predicates as a chain
        through fresh variables (which oxigraph joins far faster than a sequence path)."""
        if path.kind == "sequence" and all(step.kind == "predicate" for step in path.steps):
            nodes = [x, *(self.var() for _ in path.steps[1:]), o]
            return " ".join(f"{a} <{step.iri}> {b} ." for a, step, b in zip(nodes, path.steps, nodes[1:]))
        return f"{x} {path.sparql()} {o} ."

    def value_checks(self, shape: Node, v: str) -> Iterator[tuple[URIRef, str]]:
        """(component, expression true when the value node ``v`` satisfies it), per value-based
        component of ``shape``."""
        g = self.g
        for cls in g.objects(shape, SH["class"]):
            yield SH["class"], f"EXISTS {{ {_instance(v, cls, self.var())} }}"
        datatype = self.one(shape, SH.datatype)
        if datatype is not None:
            yield SH.datatype, _datatype_check(v, datatype)
        kind = self.one(shape, SH.nodeKind)
        if kind is not None:
            yield SH.nodeKind, _node_kind_check(v, kind, shape)
        listed = self.one(shape, SH["in"])
        if listed is not None:
            members = list(Collection(g, listed))
            yield SH["in"], "(" + (" || ".join(f"sameTerm({v}, {_n3(m)})" for m in members) or "false") + ")"
        pattern = self.one(shape, SH.pattern)
        if pattern is not None:
            flags = self.one(shape, SH.flags)
            flag_text = "".join(f for f in str(flags or "").lower() if f in "imsx")
            if flags is not None and flag_text != str(flags).lower():
                raise UnsupportedShapes(f"{shape}: sh:flags {flags!r} not supported (only i, m, s, x)")
            yield SH.pattern, f"(!isBlank({v}) && REGEX(STR({v}), {_n3(Literal(str(pattern)))}, \"{flag_text}\"))"
        for key, op in ((SH.minInclusive, ">="), (SH.maxInclusive, "<=")):
            bound = self.one(shape, key)
            if bound is not None:
                if not isinstance(bound, Literal):
                    raise UnsupportedShapes(f"{shape}: {key} must be a literal")
                yield key, f"COALESCE(isLiteral({v}) && {_same_kind(v, bound)} && {v} {op} {_n3(bound)}, false)"
        for inner in g.objects(shape, SH["not"]):
            yield SH["not"], f"!({self.conforms(inner, v)})"
        for alternatives in g.objects(shape, SH["or"]):
            members = list(Collection(g, alternatives))
            yield SH["or"], "(" + (" || ".join(self.conforms(m, v) for m in members) or "false") + ")"
        for node in g.objects(shape, SH.node):
            yield SH.node, self.conforms(node, v)

    def counts(self, prop: Node) -> Iterator[tuple[str, int, Node | None]]:
        """("min" or "max", bound, qualified shape or None) per counting component of ``prop``."""
        low, high = self.integer(prop, SH.minCount), self.integer(prop, SH.maxCount)
        if low:
            yield "min", low, None
        if high is not None:
            yield "max", high, None
        qualified = self.one(prop, SH.qualifiedValueShape)
        if qualified is not None:
            disjoint = self.one(prop, SH.qualifiedValueShapesDisjoint)
            if disjoint is not None and bool(getattr(disjoint, "value", False)):
                raise UnsupportedShapes(f"{prop}: sh:qualifiedValueShapesDisjoint true is not supported")
            q_low, q_high = self.integer(prop, SH.qualifiedMinCount), self.integer(prop, SH.qualifiedMaxCount)
            if q_low is None and q_high is None:
                raise UnsupportedShapes(f"{prop}: sh:qualifiedValueShape without a qualified count")
            if q_low:
                yield "min", q_low, qualified
            if q_high is not None:
                yield "max", q_high, qualified
        elif self.one(prop, SH.qualifiedMinCount) is not None or self.one(prop, SH.qualifiedMaxCount) is not None:
            raise UnsupportedShapes(f"{prop}: a qualified count without sh:qualifiedValueShape")

    def count_checks(self, prop: Node, x: str, path: Path) -> Iterator[str]:
        """Expressions true when focus ``x`` satisfies the counting components and sh:hasValue of ``prop``."""
        for kind, n, shape in self.counts(prop):
            enough = self.at_least(x, path, n if kind == "min" else n + 1, shape)
            yield enough if kind == "min" else f"!({enough})"
        has = self.one(prop, SH.hasValue)
        if has is not None:
            yield f"EXISTS {{ {self.triples(x, path, _n3(has))} }}"

    def at_least(self, x: str, path: Path, n: int, shape: Node | None) -> str:
        """True when ``x`` has ``n`` or more distinct values of path ``p`` (conforming to ``shape``)."""
        if n <= 0:
            return "true"
        if n > _MAX_COUNT_SUPPORTED:
            raise UnsupportedShapes(f"a count of {n} inside sh:or, sh:not, sh:node or a qualified shape; "
                                    f"at most {_MAX_COUNT_SUPPORTED} is supported there")
        vs = [self.var() for _ in range(n)]
        triples = " ".join(self.triples(x, path, v) for v in vs)
        tests = [f"!sameTerm({a}, {b})" for i, a in enumerate(vs) for b in vs[i + 1:]]
        if shape is not None:
            tests += [self.conforms(shape, v) for v in vs]
        return f"EXISTS {{ {triples}" + (f" FILTER ({' && '.join(tests)})" if tests else "") + " }"

    def existential(self, shape: Node, v: str) -> str | None:
        """Triple patterns matching ``v`` exactly when it conforms to ``shape``, for a shape made of
        sh:class, and property shapes with sh:hasValue or sh:minCount 1 only (joins, far faster
        than a FILTER EXISTS per value); None for any other shape."""
        keys = {k for k in self.g.predicates(shape) if str(k).startswith(str(SH))}
        if self.deactivated(shape) or not keys <= {SH["class"], SH.property, SH.message, SH.severity}:
            return None
        patterns = [_instance(v, cls, self.var()) for cls in self.g.objects(shape, SH["class"])]
        for prop in self.g.objects(shape, SH.property):
            keys = {k for k in self.g.predicates(prop) if str(k).startswith(str(SH))}
            has, low, path = self.one(prop, SH.hasValue), self.one(prop, SH.minCount), self.path(prop)
            if self.deactivated(prop) or path is None or len(keys - {SH.message, SH.severity, SH.path}) != 1:
                return None
            if has is not None:
                patterns.append(self.triples(v, path, _n3(has)))
            elif low is not None and self.integer(prop, SH.minCount) == 1:
                patterns.append(self.triples(v, path, self.var()))
            else:
                return None
        return " " + " ".join(patterns)

    def conforming(self, shape: Node, focus: str) -> str | None:
        """A group pattern binding ``?this`` to the nodes of ``focus`` (a pattern binding ``?this``
        once each) that conform to ``shape``, by joins, MINUS and UNION; None for a shape with
        components it does not cover (use :meth:`conforms` then)."""
        self.check_keys(shape, _SHAPE_KEYS)
        if self.deactivated(shape):
            return focus
        if self.one(shape, SH.path) is not None:
            return None
        keys = {k for k in self.g.predicates(shape) if str(k).startswith(str(SH))}
        if not keys <= {SH.property, SH["not"], SH["or"], SH["class"], SH.message, SH.severity}:
            return None
        parts = [focus]
        for cls in self.g.objects(shape, SH["class"]):
            parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ {_instance('?this', cls, self.var())} }} }}")
        for inner in self.g.objects(shape, SH["not"]):
            inner_set = self.conforming(inner, focus)
            if inner_set is None:
                return None
            parts.append(f"MINUS {{ {inner_set} }}")
        for alternatives in self.g.objects(shape, SH["or"]):
            sets = [self.conforming(m, focus) for m in Collection(self.g, alternatives)]
            if not sets or None in sets:
                return None
            parts.append("{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(f"{{ {m} }}" for m in sets) + " } }")
        for prop in self.g.objects(shape, SH.property):
            prop_parts = self.property_conforming(prop)
            if prop_parts is None:
                return None
            parts += prop_parts
        return " ".join(parts)

    def property_conforming(self, prop: Node) -> list[str] | None:
        """Joins and MINUS clauses keeping the nodes ``?this`` that conform to property shape
        ``prop`` (see :meth:`conforming`); None for components it does not cover."""
        self.check_keys(prop, _SHAPE_KEYS)
        if self.deactivated(prop):
            return []
        path = self.path(prop)
        if path is None or any(self.one(prop, k) is not None for k in (SH.sparql, SH.property)):
            return None
        t = self.triples
        parts = []
        for kind, n, shape in self.counts(prop):
            values = t("?this", path, "?_c")
            if shape is not None:
                values += self.existential(shape, "?_c") or f" FILTER ({self.conforms(shape, '?_c')})"
            having = f"COUNT(DISTINCT ?_c) {'>=' if kind == 'min' else '>'} {n}"
            group = f"{{ SELECT ?this WHERE {{ {values} }} GROUP BY ?this HAVING ({having}) }}"
            parts.append(group if kind == "min" else f"MINUS {group}")
        has = self.one(prop, SH.hasValue)
        if has is not None:
            parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ {t('?this', path, _n3(has))} }} }}")
        v = self.var()
        for _key, expr in self.value_checks(prop, v):
            parts.append(f"MINUS {{ {t('?this', path, v)} FILTER (!({expr})) }}")
        for key, strict in ((SH.lessThan, True), (SH.lessThanOrEquals, False)):
            other = self.one(prop, key)
            if other is not None:
                w = self.var()
                parts.append(f"MINUS {{ {t('?this', path, v)} ?this <{other}> {w} . "
                             f"FILTER (!({_ordered(v, w, strict)})) }}")
        return parts

    def conforms(self, shape: Node, v: str) -> str:
        """An expression true when node ``v`` conforms to ``shape`` (no results at all)."""
        self.check_keys(shape, _SHAPE_KEYS)
        if self.deactivated(shape):
            return "true"
        if any(True for _ in self.g.objects(shape, SH.sparql)):
            raise UnsupportedShapes(f"{shape}: sh:sparql inside sh:or, sh:not, sh:node or a qualified shape")
        path = self.path(shape)
        if path is not None and self.one(shape, SH.property) is not None:
            raise UnsupportedShapes(f"{shape}: sh:property on a property shape is not supported")
        checks = list(self.property_conforms(shape, v, path)) if path is not None else []
        if path is None:
            checks += [expr for _key, expr in self.value_checks(shape, v)]
            if self.one(shape, SH.hasValue) is not None:
                checks.append(f"sameTerm({v}, {_n3(self.one(shape, SH.hasValue))})")
        for prop in self.g.objects(shape, SH.property):
            self.check_keys(prop, _SHAPE_KEYS)
            if not self.deactivated(prop):
                prop_path = self.path(prop)
                if prop_path is None:
                    raise UnsupportedShapes(f"{prop} is used with sh:property but has no sh:path")
                checks += self.property_conforms(prop, v, prop_path)
        return "(" + (" && ".join(checks) or "true") + ")"

    def property_conforms(self, prop: Node, x: str, path: Path) -> list[str]:
        checks = list(self.count_checks(prop, x, path))
        v = self.var()  # each check below is a scope of its own
        for _key, expr in self.value_checks(prop, v):
            checks.append(f"NOT EXISTS {{ {self.triples(x, path, v)} FILTER (!({expr})) }}")
        for key, strict in ((SH.lessThan, True), (SH.lessThanOrEquals, False)):
            other = self.one(prop, key)
            if other is not None:
                v, w = self.var(), self.var()
                checks.append(f"NOT EXISTS {{ {self.triples(x, path, v)} {x} <{other}> {w} . FILTER (!({_ordered(v, w, strict)})) }}")
        return checks


def _compilable(path: Path) -> bool:
    return path.kind in ("predicate", "sequence", "alternative") and all(_compilable(s) for s in path.steps)


def _datatype_check(v: str, datatype: Node) -> str:
    if not isinstance(datatype, URIRef) or datatype in (RDFS.Literal, RDFS.Datatype):
        raise UnsupportedShapes(f"sh:datatype {datatype} is not supported (a datatype IRI other than rdfs:Literal)")
    check = f"isLiteral({v}) && sameTerm(datatype({v}), <{datatype}>)"
    if datatype in _CASTABLE:  # not ill-typed
        check += f" && COALESCE(isLiteral(<{datatype}>(STR({v}))), false)"
    return f"({check})"


def _node_kind_check(v: str, kind: Node, shape: Node) -> str:
    tests = {
        SH.IRI: f"isIRI({v})", SH.BlankNode: f"isBlank({v})", SH.Literal: f"isLiteral({v})",
        SH.BlankNodeOrIRI: f"!isLiteral({v})", SH.BlankNodeOrLiteral: f"!isIRI({v})",
        SH.IRIOrLiteral: f"!isBlank({v})",
    }
    if kind not in tests:
        raise UnsupportedShapes(f"{shape}: unknown sh:nodeKind {kind}")
    return tests[kind]


def _is_string(v: str) -> str:
    return f"(isIRI({v}) || (isLiteral({v}) && (datatype({v}) = <{XSD.string}> || lang({v}) != \"\")))"


def _same_kind(v: str, bound: Literal) -> str:
    """pySHACL compares a value with a bound only when both or neither are strings."""
    return f"!{_is_string(v)}" if not isinstance(bound.value, str) else f"isLiteral({v}) && {_is_string(v)}"


def _ordered(v: str, w: str, strict: bool) -> str:
    """pySHACL's sh:lessThan (``strict``) or sh:lessThanOrEquals test: IRIs and strings compare as
    text, a string never compares with a non-string, other literals by SPARQL's ``<``."""
    op = "<" if strict else "<="
    return (f"COALESCE(IF({_is_string(v)} && {_is_string(w)}, STR({v}) {op} STR({w}), "
            f"!{_is_string(v)} && !{_is_string(w)} && {v} {op} {w}), false)")
