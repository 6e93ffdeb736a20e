"""The timeline page and its JSON twin, through Flask's test client and a real waitress server.

Expected values are the facts written in tests/fixtures/mini.trig.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from webapp_support import http_request, live_server, load_fixture, make_app

from kb.timeline import DatePoint, EventTime
from webapp import create_app

# rdflib's own parsers use its deprecated ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

# The dated events of the fixture in timeline order: (label, date as shown, <time datetime>s).
EXPECTED = [
    ("US–Taliban talks in Qatar begin", "2018", ["2018"]),
    ("US and Taliban close to a deal", "by August 2019", ["2019-08"]),
    ('Informal US–Taliban meetings <script>alert("x")</script>', "November 2019", ["2019-11"]),
    # same first date as the next one: ordered by label
    ("Khalilzad arrives in Kabul", "4 Dec 2019", ["2019-12-04"]),
    ("Khalilzad to meet Ashraf Ghani", "after 4 Dec 2019", ["2019-12-04"]),
]
UNDATED = "US embassy confirms the visit"


class Outline(HTMLParser):
    """Headings (h1-h4) and event dates of a page, in document order, as plain text."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, str]] = []
        self.datetimes: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"h1", "h2", "h3", "h4"} or attributes.get("class") == "event-date":
            self._open = tag if tag != "p" else "date"
            self.items.append((self._open, ""))
        if tag == "time" and self._open == "date":
            self.datetimes.append(attributes["datetime"])

    def handle_endtag(self, tag):
        if self._open and (tag == self._open or (tag == "p" and self._open == "date")):
            self._open = None

    def handle_data(self, data):
        if self._open:
            kind, text = self.items[-1]
            self.items[-1] = (kind, text + data)

    def texts(self, kind: str) -> list[str]:
        return [" ".join(text.split()) for k, text in self.items if k == kind]


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_app(load_fixture(tmp_path_factory.mktemp("kb") / "store"))


@pytest.fixture(scope="module")
def page(app) -> str:
    response = app.test_client().get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_events_are_in_date_order_and_undated_ones_left_out(page):
    assert outline(page).texts("h4") == [label for label, _, _ in EXPECTED]
    assert UNDATED not in page


def test_each_date_is_shown_at_its_precision(page):
    parsed = outline(page)
    assert parsed.texts("date") == [shown for _, shown, _ in EXPECTED]
    assert parsed.datetimes == [d for _, _, datetimes in EXPECTED for d in datetimes]
    assert 'by <time datetime="2019-08">August 2019</time>' in page
    assert 'after <time datetime="2019-12-04">4 Dec 2019</time>' in page


def test_events_are_grouped_under_year_and_month_headings(page):
    parsed = outline(page)
    # the overview (swimlanes) comes first, then the years
    assert parsed.texts("h2") == ["Overview: the most active actors", "2018", "2019"]
    assert parsed.texts("h3") == ["2018, month not known", "August 2019", "November 2019", "December 2019"]
    kinds = [kind for kind, _ in parsed.items if kind in {"h2", "h3", "h4"}]
    assert kinds == ["h2", "h2", "h3", "h4", "h2", "h3", "h4", "h3", "h4", "h3", "h4", "h4"]


def test_markup_in_a_label_is_shown_as_text(page):
    assert "Informal US–Taliban meetings &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "<script" not in page


def test_event_details(page):
    assert "Make a visit" in page and "042" in page  # type prefLabel and CAMEO code
    assert "Express intent to meet or negotiate" in page and "036" in page
    # IRIs under the base link to their pages on this server
    assert '<a href="/id/actor/khalilzad">Zalmay Khalilzad</a>' in page
    assert '<a href="/id/actor/ghani">Ashraf Ghani</a>' in page
    assert '<a href="/id/place/kabul">Kabul</a>' in page
    assert page.count(">Occurred</span>") == 4
    assert page.count(">Planned</span>") == 1
    assert page.count("machine-extracted</span>") == 1  # only the informal meetings


def test_each_event_shows_its_source_and_quoted_evidence(page):
    assert page.count("<blockquote") == 5
    assert "<p>Zalmay Khalilzad arrived in Kabul on Wednesday</p></blockquote>" in page
    assert "<p>He will meet President Ashraf Ghani in the coming days</p></blockquote>" in page
    assert page.count("Sahar News,") == 5
    assert page.count("<cite><a href=\"/id/article/mini\">US envoy Khalilzad arrives in Kabul</a></cite>") == 5


def test_page_landmarks(page):
    assert '<html lang="en">' in page
    assert '<a class="skip-link" href="#main">' in page
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in page


def test_json_twin_has_the_same_events_in_the_same_order(app):
    client = app.test_client()
    by_path = client.get("/timeline.json")
    by_accept = client.get("/", headers={"Accept": "application/json"})
    assert by_path.mimetype == by_accept.mimetype == "application/json"
    assert by_path.get_json() == by_accept.get_json()
    events = by_path.get_json()["events"]
    assert [(e["label"], e["time"]["text"]) for e in events] == [(label, shown) for label, shown, _ in EXPECTED]
    visit = events[3]
    assert visit["time"]["point"] == "2019-12-04"
    assert visit["event_type"] == {
        "iri": "https://peacekb.example/event-type/visit",
        "label": "Make a visit",
        "notation": "042",
    }
    assert [a["label"] for a in visit["actors"]] == ["Government of Afghanistan", "Zalmay Khalilzad"]
    assert visit["status"]["label"] == "Occurred"
    assert visit["sources"][0]["publisher"]["label"] == "Sahar News"
    assert visit["sources"][0]["quotes"] == ["Zalmay Khalilzad arrived in Kabul on Wednesday"]
    assert events[4]["time"]["earliest"] == "2019-12-04"
    assert [e["machine_extracted"] for e in events] == [False, False, True, False, False]


def test_unknown_path_is_a_404_page(app):
    response = app.test_client().get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "<h1>404 Not Found</h1>" in response.get_data(as_text=True)
    as_json = app.test_client().get("/no/such/page", headers={"Accept": "application/json"})
    assert as_json.status_code == 404
    assert as_json.get_json()["error"]["status"] == 404


def test_missing_store_is_503_with_how_to_fix_it(tmp_path):
    app = create_app({"TESTING": True, "KB_STORE": str(tmp_path / "absent")})
    response = app.test_client().get("/")
    assert response.status_code == 503
    assert "kb build" in response.get_data(as_text=True)


def test_timeline_over_a_real_server(app):
    with live_server(app) as server:
        page = http_request(f"{server}/", headers={"Accept": "text/html"})
        missing = http_request(f"{server}/nope", headers={"Accept": "text/html"})
        twin = http_request(f"{server}/timeline.json")
    assert page.status == 200
    assert outline(page.text).texts("h4") == [label for label, _, _ in EXPECTED]
    assert "Accept" in page.headers["Vary"]
    assert [e["label"] for e in json.loads(twin.body)["events"]] == [label for label, _, _ in EXPECTED]
    assert missing.status == 404
    assert "404 Not Found" in missing.text


@pytest.mark.parametrize(
    ("time", "shown"),
    [
        (EventTime(begin=DatePoint.parse("2018"), end=DatePoint.parse("2019-09")), "2018 – September 2019"),
        (EventTime(begin=DatePoint.parse("2019-08-01")), "from 1 Aug 2019"),
        (EventTime(end=DatePoint.parse("2019-12")), "until December 2019"),
        (
            EventTime(earliest=DatePoint.parse("2019-11"), latest=DatePoint.parse("2019-12-04")),
            "between November 2019 and 4 Dec 2019",
        ),
        (EventTime(point=DatePoint.parse("2019-12-04"), latest=DatePoint.parse("2019-12-31")), "4 Dec 2019"),
    ],
)
def test_intervals_and_windows_read_as_phrases(time, shown):
    assert time.text == shown
