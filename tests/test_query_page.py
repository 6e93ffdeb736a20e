"""The query page at /sparql for browsers, over a real waitress server and the seed KB.

The page is read as a browser reads it (HTML parsed with html.parser); the numbers it shows are
checked against the protocol's own JSON answers, and every link it offers is followed.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from kb.errors import InputError
from kb.query_library import load_library, parse_query
from kb.sparql import FORMATS
from webapp_support import Reply, http_request, live_server, make_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

ROOT = Path(__file__).parent.parent
QUERY_DIR = ROOT / "ontology" / "queries"
WEBAPP = ROOT / "webapp"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PREFIXES = "PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
EVENTS = PREFIXES + "SELECT ?event ?label WHERE { ?event a sem:Event ; rdfs:label ?label } ORDER BY ?label"
BROKEN = "SELECT ?x WHERE {\n  ?x ?y\n}"


class Page(HTMLParser):
    """What a test needs of an HTML page: its elements with attributes, and some element texts."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.script_texts: list[str] = []
        self.textarea = ""
        self.summary = ""
        self.body_rows = 0
        self._in: list[str] = []
        self._in_tbody = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.elements.append((tag, attributes))
        self._in.append(tag if tag != "p" or "result-summary" not in attributes.get("class", "") else "summary")
        if tag == "tbody":
            self._in_tbody = True
        if tag == "tr" and self._in_tbody:
            self.body_rows += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_tbody = False
        if self._in:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if not self._in:
            return
        if self._in[-1] == "script":
            self.script_texts.append(data)
        elif self._in[-1] == "textarea":
            self.textarea += data
        elif "summary" in self._in:
            self.summary += data

    def all(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        return [
            attrs for t, attrs in self.elements
            if t == tag and all(v in attrs.get(k, "").split() for k, v in wanted.items())
        ]


@pytest.fixture(scope="module")
def server(seed_store_path):
    with live_server(make_app(seed_store_path)) as url:
        yield url


def browse(url: str) -> Reply:
    return http_request(url, headers={"Accept": BROWSER})


def page_for(server: str, query: str, **params: str) -> Reply:
    return browse(f"{server}/sparql?{urlencode({'query': query, 'format': 'html', **params})}")


def titles() -> dict[str, str]:
    """Each library file's title, read from its first line (independently of kb.query_library)."""
    found = {}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        found[path.stem] = re.fullmatch(r"# title: (.+)", first).group(1).strip()
    return found


def library_links(page: Page) -> dict[str, str]:
    """The library's links on a page, by the query text they carry."""
    links = {}
    for attrs in page.all("a"):
        query = parse_qs(urlsplit(attrs["href"]).query).get("query")
        if query and "format=html" in attrs["href"]:
            links[query[0]] = attrs["href"]
    return links


def json_row_count(server: str, query: str) -> int:
    reply = http_request(f"{server}/sparql?{urlencode({'query': query})}", headers={"Accept": "application/sparql-results+json"})
    assert reply.status == 200, reply.text
    return len(json.loads(reply.body)["results"]["bindings"])


# -- the page without a query ------------------------------------------------------------------


def test_new_query_page_has_the_editor_prefixes_and_a_get_form(server):
    reply = browse(f"{server}/sparql")
    assert reply.status == 200 and reply.media_type == "text/html"
    page = Page(reply.text)
    assert page.all("label") and page.all("label")[0].get("for") == "query"
    assert page.all("textarea")[0]["id"] == "query"
    assert "PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>" in page.textarea
    assert "PREFIX peace: <https://peacekb.example/ontology#>" in page.textarea
    form = page.all("form", **{"class": "query-form"})[0]
    assert form["method"] == "get" and form["action"] == "/sparql"
    assert {"type": "hidden", "name": "format", "value": "html"} in page.all("input")


def test_library_lists_every_query_title(server):
    reply = browse(f"{server}/sparql")
    for name, title in titles().items():
        assert title in html.unescape(reply.text), name
    library = library_links(Page(reply.text))
    texts = {p.read_text(encoding="utf-8") for p in QUERY_DIR.glob("*.rq")}
    assert texts <= set(library), "every library query is one link away"


# -- running library queries -------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(titles()))
def test_each_library_link_runs_and_counts_the_rows(server, name):
    text = (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")
    href = library_links(Page(browse(f"{server}/sparql").text))[text]
    reply = browse(server + href)
    assert reply.status == 200, reply.text
    page = Page(reply.text)
    expected = json_row_count(server, text)
    assert page.body_rows == expected
    assert re.fullmatch(rf"{expected} rows? in [0-9.]+ ms on the server\.", " ".join(page.summary.split()))
    assert f"<caption>{expected} row" in reply.text
    assert page.textarea == text, "the query stays in the editor"
    assert titles()[name] in html.unescape(reply.text)
    assert page.all("th", scope="col")


def test_iris_in_results_link_to_their_pages_on_this_server(server):
    reply = page_for(server, EVENTS)
    page = Page(reply.text)
    hrefs = [a["href"] for a in page.all("a", **{"class": "iri"})]
    assert len(hrefs) == json_row_count(server, EVENTS)
    assert all(h.startswith("/id/event/") for h in hrefs), hrefs
    assert "https://peacekb.example/id/" not in {a.get("href", "")[:26] for a in page.all("a")}
    linked = browse(server + hrefs[0])
    if linked.status == 303:  # the IRI of a thing answers with the address of its page
        linked = browse(server + linked.headers["Location"].removeprefix(server))
    assert linked.status == 200 and linked.media_type == "text/html"


def test_literals_are_escaped_and_show_datatype_and_language(server):
    query = PREFIXES + 'SELECT ?text ?n ?d WHERE { BIND("<script>alert(1)</script>"@en AS ?text) ' \
        'BIND(42 AS ?n) BIND("2019-12-04"^^<http://www.w3.org/2001/XMLSchema#date> AS ?d) }'
    reply = page_for(server, query)
    assert reply.status == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reply.text
    assert "<script>alert" not in reply.text
    assert '<span class="lang" title="language">@en</span>' in reply.text
    assert "^^xsd:integer" in reply.text and "^^xsd:date" in reply.text


def test_ask_shows_true_or_false(server):
    assert '<p class="boolean">true</p>' in page_for(server, PREFIXES + "ASK { ?e a sem:Event }").text
    assert '<p class="boolean">false</p>' in page_for(server, PREFIXES + "ASK { ?e a sem:Nothing }").text


def test_construct_shows_turtle_and_the_triple_count(server):
    query = PREFIXES + "CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e a sem:Event ; rdfs:label ?l }"
    reply = page_for(server, query)
    assert reply.status == 200
    distinct = PREFIXES + "SELECT DISTINCT ?e ?l WHERE { ?e a sem:Event ; rdfs:label ?l }"
    summary = " ".join(Page(reply.text).summary.split())
    assert re.fullmatch(rf"{json_row_count(server, distinct)} triples in [0-9.]+ ms on the server\.", summary)
    assert '<pre class="graph"' in reply.text and "@prefix rdfs:" in reply.text, "shown with the project's prefixes"


# -- errors ------------------------------------------------------------------------------------


def test_syntax_error_shows_line_and_column_with_400(server):
    reply = page_for(server, BROKEN)
    assert reply.status == 400 and reply.media_type == "text/html"
    page = Page(reply.text)
    assert page.textarea == BROKEN, "the query stays in the editor to be fixed"
    link = page.all("a", **{"class": "goto-error"})[0]
    line, column = int(link["data-line"]), int(link["data-column"])
    assert line == 3, "the parser stops at the closing brace"
    assert f"line {line}, column {column}" in reply.text
    assert f"{line}:{column}" in reply.text


def test_update_on_the_page_is_403(server):
    assert page_for(server, "CLEAR ALL").status == 403


# -- downloads ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        (EVENTS, "results"),
        (PREFIXES + "ASK { ?e a sem:Event }", "results"),
        (PREFIXES + "CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e a sem:Event ; rdfs:label ?l }", "graph"),
    ],
    ids=["select", "ask", "construct"],
)
def test_download_links_answer_in_every_format(server, query, kind):
    page = Page(page_for(server, query).text)
    downloads = [a for a in page.all("a") if "download" in a]
    assert {parse_qs(urlsplit(a["href"]).query)["format"][0] for a in downloads} == {f.name for f in FORMATS[kind]}
    for link in downloads:
        assert parse_qs(urlsplit(link["href"]).query)["query"] == [query]
        reply = browse(server + link["href"])
        assert reply.status == 200, (link, reply.text)
        assert reply.media_type == link["type"]
        fmt = next(f for f in FORMATS[kind] if f"format={f.name}" in link["href"])
        assert reply.media_type == fmt.media_types[0]


# -- no inline script, nothing from elsewhere --------------------------------------------------


@pytest.mark.parametrize("which", ["new", "results", "error"])
def test_page_has_no_inline_script_or_style_and_only_local_assets(server, which):
    reply = {
        "new": lambda: browse(f"{server}/sparql"),
        "results": lambda: page_for(server, EVENTS),
        "error": lambda: page_for(server, BROKEN),
    }[which]()
    page = Page(reply.text)
    scripts = page.all("script")
    assert scripts and all(s["src"].startswith("/static/") and "defer" in s for s in scripts)
    assert not "".join(page.script_texts).strip(), "no inline script"
    assert not page.all("style")
    for tag, attrs in page.elements:
        assert "style" not in attrs, tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    for attrs in page.all("link"):
        assert attrs["href"].startswith("/static/")
    for attrs in page.all("script") + page.all("link") + page.all("img") + page.all("form"):
        assert "//" not in attrs.get("src", "") + attrs.get("href", "") + attrs.get("action", "")


def test_static_script_and_stylesheets_are_served(server):
    page = Page(browse(f"{server}/sparql").text)
    assets = [s["src"] for s in page.all("script")] + [link["href"] for link in page.all("link", rel="stylesheet")]
    assert "/static/sparql-editor.js" in assets and "/static/query.css" in assets
    for asset in assets:
        reply = http_request(server + asset)
        assert reply.status == 200, asset
        assert reply.media_type in ("text/javascript", "application/javascript", "text/css"), asset
        assert reply.body.strip()


#: An XML namespace name (SVG's xmlns) is an identifier that no browser fetches.
XML_NAMESPACE = re.compile(r'\bxmlns(?::\w+)?="[^"]*"')


def test_no_external_urls_in_templates_or_static_files():
    files = [*(WEBAPP / "static").rglob("*"), *(WEBAPP / "templates").rglob("*.html")]
    offenders = [
        str(path.relative_to(ROOT)) for path in files
        if path.is_file() and re.search(r"https?://", XML_NAMESPACE.sub("", path.read_text(encoding="utf-8")))
    ]
    assert not offenders, f"external URLs (a CDN?) in {offenders}"


def test_accessible_structure(server):
    reply = page_for(server, EVENTS)
    page = Page(reply.text)
    assert "<caption>" in reply.text
    assert all(th.get("scope") == "col" for th in page.all("th"))
    assert page.all("textarea")[0].get("aria-describedby") == "query-help"
    assert "Tab moves to the next control" in reply.text
    assert ":focus-visible" in (WEBAPP / "static" / "query.css").read_text(encoding="utf-8")


# -- the highlighter, run with node where it exists --------------------------------------------


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_highlighter_colours_each_token_kind_and_escapes():
    script = WEBAPP / "static" / "sparql-editor.js"
    query = 'PREFIX sem: <http://x/> # note\nSELECT ?x (COUNT(*) AS ?n) WHERE { ?x a sem:Event ; ?p "a<b"@en , 3 }'
    program = f"process.stdout.write(require({json.dumps(str(script))}).highlight({json.dumps(query)}))"
    out = subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True, timeout=30).stdout
    for token, kind in [
        ("PREFIX", "keyword"), ("SELECT", "keyword"), ("a", "keyword"), ("sem:Event", "pname"),
        ("&lt;http://x/&gt;", "iri"), ("# note", "comment"), ("?x", "variable"), ("COUNT", "function"),
        ('"a&lt;b"', "string"), ("@en", "lang"), ("3", "number"),
    ]:
        assert f'<span class="tok-{kind}">{token}</span>' in out, token
    assert re.sub(r"<[^>]+>", "", out) == html.escape(query, quote=False)


# -- the library reader ------------------------------------------------------------------------


def test_library_reader_reads_every_header():
    library = load_library()
    assert [q.name for q in library] == sorted(titles())
    assert {q.name: q.title for q in library} == titles()
    assert all(q.description and q.tags for q in library)
    fact = next(q for q in library if q.name == "evidence-of-fact")
    assert fact.description.endswith("Put the fact's IRI in the VALUES clause.")
    assert "web-annotation" in fact.tags


def test_library_reader_refuses_a_query_without_title():
    with pytest.raises(InputError, match="no '# title:'"):
        parse_query("untitled", "# description: nothing\nASK {}\n")
