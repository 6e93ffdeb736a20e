"""Hostile requests to the real server: oversized bodies, malformed Accept headers and parameters,
script payloads in every parameter, and filter values written to break out of their query.

Each must get a 4xx with a message saying what is wrong, never a 5xx; what a page reflects must
come back escaped. The seed KB (data/) is served by the real app under waitress.
"""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode, urlsplit

import pytest
from webapp_support import Reply, http_request, live_server, make_app

from webapp import create_app
from webapp.sparql import stop_query_pool

if TYPE_CHECKING:
    from playwright.sync_api import Browser

LIMIT = 1_048_576  # the default of KB_MAX_REQUEST_BYTES
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '" onmouseover="alert(1)'
IMAGE = "<img src=x onerror=alert(1)>"
#: All three in one value, which breaks out of an attribute first.
PAYLOAD = f'">{SCRIPT}{IMAGE}{ATTRIBUTE}'
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def server(seed_store_path: Path) -> Iterator[str]:
    app = make_app(seed_store_path)
    with live_server(app) as url:
        yield url
    stop_query_pool(app)


def get(url: str, accept: str | bytes | None = None) -> Reply:
    return http_request(url, headers={"Accept": accept} if accept is not None else {})


def message(reply: Reply) -> str:
    """The error message of a JSON error body."""
    return json.loads(reply.body)["error"]["message"]


# -- oversized bodies -------------------------------------------------------------------------


def test_a_query_body_over_the_limit_gets_413_with_the_setting_named(server: str) -> None:
    padding = "#" + "x" * (2 * LIMIT) + "\n"
    for body, headers in (
        ((padding + "ASK {}").encode(), {"Content-Type": "application/sparql-query"}),
        (("query=" + quote(padding + "ASK {}")).encode(), FORM),
        (("update=" + quote(padding + "CLEAR ALL")).encode(), FORM),
    ):
        reply = http_request(server + "/sparql", "POST", body, {**headers, "Accept": "application/json"})
        assert reply.status == 413, (headers, reply.status)
        assert f"{len(body):,} bytes" in message(reply) and "KB_MAX_REQUEST_BYTES" in message(reply)
        assert f"{LIMIT:,}" in message(reply)
    assert get(server + "/sparql?query=" + quote("ASK {}")).status == 200  # still answering


def test_a_chunked_body_over_the_limit_gets_413(server: str) -> None:
    """Without a Content-Length up front: the body arrives in chunks."""
    parts = urlsplit(server)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    chunks = iter([b"#" + b"x" * LIMIT, b"x" * LIMIT, b"\nASK {}"])
    try:
        connection.request("POST", "/sparql", body=chunks, encode_chunked=True,
                           headers={"Content-Type": "application/sparql-query", "Accept": "text/plain"})
        response = connection.getresponse()
        text = response.read().decode()
    finally:
        connection.close()
    assert response.status == 413 and "KB_MAX_REQUEST_BYTES" in text


def test_a_long_query_under_the_limit_is_answered(server: str) -> None:
    body = ("#" + "x" * (LIMIT - 1000) + "\nASK { ?s ?p ?o }").encode()
    reply = http_request(server + "/sparql", "POST", body, {"Content-Type": "application/sparql-query",
                                                            "Accept": "application/sparql-results+json"})
    assert reply.status == 200 and json.loads(reply.body)["boolean"] is True


def test_the_limit_is_a_setting(seed_store_path: Path) -> None:
    app = create_app({"TESTING": True, "KB_STORE": str(seed_store_path), "KB_MAX_REQUEST_BYTES": 100,
                      "KB_QUERY_TIMEOUT": 0})
    query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1  # " + "x" * 100
    with live_server(app) as url:
        small = http_request(url + "/sparql", "POST", b"ASK {}", {"Content-Type": "application/sparql-query"})
        large = http_request(url + "/sparql", "POST", query.encode(), {"Content-Type": "application/sparql-query"})
    assert small.status == 200
    assert large.status == 413 and "at most 100 " in large.text


# -- malformed Accept headers -----------------------------------------------------------------

MALFORMED_ACCEPT = {
    "semicolons": ";;;",
    "a q that is not a number": "text/html;q=abc",
    "a q above 1": "application/json;q=1.5",
    "no subtype": "text",
    "a parameter without a name": "text/html;=x",
    "10 000 media ranges": ",".join(["text/html;q=0.5"] * 10_000),
    "non-ASCII (UTF-8 bytes)": "text/html, application/j\u00e9son".encode(),
    "non-ASCII (Latin-1)": "text/html, application/j\u00e9son".encode("latin-1"),
}
PAGES = ("/", "/timeline.json", "/sparql?query=" + quote("ASK {}"), "/id/actor/taliban", "/id/actor/taliban.html",
         "/.well-known/void", "/dumps/SHA256SUMS", "/no-such-page")


@pytest.mark.parametrize("header", MALFORMED_ACCEPT.values(), ids=MALFORMED_ACCEPT.keys())
def test_a_malformed_accept_header_gets_400_saying_what_is_wrong(server: str, header: str | bytes) -> None:
    for path in PAGES:
        reply = get(server + path, header)
        assert reply.status == 400, (path, reply.status, reply.body[:200])
        assert "Accept header" in reply.text, (path, reply.text[:300])
        assert "Traceback" not in reply.text


def test_a_control_character_in_a_header_is_refused_by_waitress(server: str) -> None:
    reply = get(server + "/", "text/html\x01")
    assert reply.status == 400 and "Invalid header" in reply.text


def test_the_limit_on_media_ranges_is_named(server: str) -> None:
    reply = get(server + "/timeline.json", ",".join(["text/html"] * 65))
    assert reply.status == 400 and "65 media ranges; send at most 64" in reply.text


@pytest.mark.parametrize("header", [
    "",  # empty: accept anything
    "text/html,,application/json, ",  # empty list elements are allowed
    "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2",  # Java's default header
    'application/json; profile="https://example.org/a,b"; q=0.9, text/html;level=1;q=0.1',
    "TEXT/HTML;Q=0.5",
    "application/ld+json;profile=http://www.w3.org/ns/json-ld#context, application/ld+json, application/json;q=0.5",
])
def test_unusual_but_valid_accept_headers_are_answered(server: str, header: str) -> None:
    assert get(server + "/timeline.json", header).status == 200


# -- malformed parameters ---------------------------------------------------------------------

BAD_TIMELINE_PARAMETERS = {
    "format=png": "format",
    "page=abc": "page",
    "page=-1": "page",
    "page=0": "page",
    "page=1e3": "page",
    "page=99999999999999999999999": "page",
    "from=abc": "from",
    "to=2019-13": "to",
    "from=2019-7": "from",
    "from=2021&to=2019": "after",
    "status=maybe": "status",
    "type=Visit!": "type",
    "q=" + "x" * 5000: "search text",
    "q=a&q=b": "once",
    "from=2019-02-30": "from",
}


@pytest.mark.parametrize("query", list(BAD_TIMELINE_PARAMETERS), ids=[q[:30] for q in BAD_TIMELINE_PARAMETERS])
def test_a_malformed_timeline_parameter_gets_400_naming_it(server: str, query: str) -> None:
    word = BAD_TIMELINE_PARAMETERS[query]
    page = get(f"{server}/?{query}", "text/html")
    assert page.status == 400 and page.media_type == "text/html"
    assert word in page.text and "Traceback" not in page.text
    if query.startswith("format="):
        return  # the format chooses between the page and its twins
    data = get(f"{server}/timeline.json?{query}")
    assert data.status == 400 and data.media_type == "application/json"
    assert word in message(data)


def test_a_page_past_the_last_gets_400_saying_how_many_there_are(server: str) -> None:
    pages = json.loads(get(server + "/timeline.json").body)["pages"]
    after = get(f"{server}/timeline.json?page={pages + 1}")
    assert after.status == 400 and f"has {pages}" in message(after)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o } LIMIT -1",
    "SELECT * WHERE { ?s ?p ?o } OFFSET -5",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1.5",
])
def test_a_negative_or_fractional_limit_in_sparql_gets_400(server: str, query: str) -> None:
    reply = get(f"{server}/sparql?{urlencode({'query': query})}", "application/json")
    assert reply.status == 400, reply.text
    assert re.search(r"\d+:\d+", message(reply)), reply.text  # the parser's position


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999999",
    "SELECT * WHERE { ?s ?p ?o } OFFSET 99999999999999999999999999 LIMIT 3",
])
def test_a_huge_limit_or_offset_in_sparql_is_answered_or_refused_not_a_crash(server: str, query: str) -> None:
    reply = get(f"{server}/sparql?{urlencode({'query': query, 'format': 'csv'})}")
    assert reply.status in (200, 400), (reply.status, reply.text[:300])
    if reply.status == 200 and "OFFSET" in query:
        assert reply.text.strip().splitlines() == ["s,p,o"]


@pytest.mark.parametrize(("path", "status"), [
    ("/sparql?query=" + quote("ASK {}") + "&format=png", 406),  # the format names the representation
    ("/sparql?query=" + quote("ASK {}") + "&query=" + quote("ASK {}"), 400),
    ("/sparql?query=%FF", 400),
    ("/sparql?query=" + quote("SELECT * {"), 400),
    ("/sparql?query=" + quote("ASK {}") + "&default-graph-uri=not%20an%20iri", 400),
    ("/id/actor/%3Cx%3E", 400),
    ("/.well-known/void.png", 404),
])
def test_other_malformed_parameters_get_a_4xx_with_a_message(server: str, path: str, status: int) -> None:
    reply = get(server + path, "application/json")
    assert reply.status == status, (reply.status, reply.text[:300])
    assert len(message(reply)) > 20


# -- script payloads in every parameter ---------------------------------------------------------

TIMELINE_PARAMETERS = ("actor", "type", "status", "source", "from", "to", "q", "page", "format")


def reflected_requests() -> list[str]:
    """Every page with the payload in each of its parameters and in its path."""
    value = quote(PAYLOAD)
    return [
        *(f"/?{name}={value}" for name in TIMELINE_PARAMETERS),
        f"/?actor=taliban&q={value}", f"/?q={value}&page=2", f"/?from=2019&{value}=1",
        f"/timeline.json?q={value}", f"/timeline.csv?actor={value}",
        f"/sparql?format=html&query={value}",
        "/sparql?format=html&query=" + quote(f"SELECT ?x WHERE {{ BIND({json.dumps(PAYLOAD)} AS ?x) }}"),
        "/sparql?format=html&query=" + quote(f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1 # {PAYLOAD}"),
        "/sparql?format=html&query=" + quote("ASK {}") + f"&default-graph-uri={value}",
        f"/sparql?format={value}&query=" + quote("ASK {}"),
        f"/id/{value}", f"/id/actor/{value}.html", f"/id/event/x/{value}", f"/graph/{value}",
        f"/.well-known/void.{value}", f"/dumps/{value}", f"/event-type/{value}", f"/{value}",
    ]


def test_payloads_in_parameters_and_paths_come_back_inert(server: str) -> None:
    reflected = 0
    for path in reflected_requests():
        reply = get(server + path, "text/html")
        assert reply.status < 500, (path, reply.status, reply.text[:300])
        if reply.media_type == "text/html":
            for payload in (SCRIPT, '" onmouseover=', IMAGE):
                assert payload not in reply.text, (path, payload)
            assert "Content-Security-Policy" in reply.headers
            reflected += "&lt;script&gt;alert(1)&lt;/script&gt;" in reply.text
        else:
            assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reflected >= 10  # the payload was shown, escaped, on many pages: the check bit


@pytest.mark.parametrize("path", [
    "/?q=" + quote(IMAGE) + "&actor=" + quote(SCRIPT),
    "/sparql?format=html&query=" + quote(f'SELECT ?x WHERE {{ BIND("{IMAGE}{SCRIPT}" AS ?x) }}'),
    "/id/actor/" + quote(IMAGE),
])
def test_no_dialog_opens_in_a_real_browser(chromium: Browser, server: str, path: str) -> None:
    context = chromium.new_context(bypass_csp=True)  # even without the CSP, nothing may run
    dialogs: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        response = page.goto(server + path, wait_until="load")
        assert response is not None and response.status < 500
        page.evaluate(  # what a user's mouse and focus would fire, on every element
            "for (const e of document.querySelectorAll('*')) for (const t of ['mouseover', 'focus', 'click'])"
            " if (t !== 'click' || e.tagName !== 'A') e.dispatchEvent(new Event(t, {bubbles: true}))")
        page.wait_for_timeout(200)
        assert "alert(1)" in page.content()  # the payload is on the page, as text
    finally:
        context.close()
    assert dialogs == []


# -- filter values cannot change the query they are bound into --------------------------------

INJECTIONS = {
    "actor": ["x> } UNION { ?s ?p ?o", "https://peacekb.example/id/actor/x> } UNION { ?s ?p ?o } #",
              "taliban' OR '1'='1", 'taliban") UNION SELECT', "taliban%", "*", "taliban\\"],
    "type": ["visit> } UNION { ?s ?p ?o", "visit' --"],
    "source": ["https://peacekb.example/id/x>}UNION{?s?p?o}", "article/x' OR 1=1 --",
               "https://peacekb.example/id/article/x'||'1"],
    "status": ["occurred' OR '1'='1"],
}


@pytest.mark.parametrize(("name", "value"), [(n, v) for n, values in INJECTIONS.items() for v in values])
def test_a_filter_value_cannot_widen_the_answer(server: str, name: str, value: str) -> None:
    reply = get(f"{server}/timeline.json?{urlencode({name: value})}")
    assert reply.status in (200, 400), (reply.status, reply.text[:300])
    if reply.status == 200:
        assert json.loads(reply.body)["total"] == 0
    else:
        assert "Cannot filter the timeline" in message(reply)


@pytest.mark.parametrize("text", ["%", "_", "*", "' OR 1=1 --", "\\", ".*"])
def test_search_text_is_matched_literally(server: str, text: str) -> None:
    everything = json.loads(get(server + "/timeline.json").body)["total"]
    reply = get(f"{server}/timeline.json?{urlencode({'q': text})}")
    assert reply.status == 200
    found = json.loads(reply.body)
    assert found["total"] < everything
    for event in found["events"]:
        assert text.casefold() in json.dumps(event, ensure_ascii=False).casefold()
