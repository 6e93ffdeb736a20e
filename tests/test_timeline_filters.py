"""The timeline's filters, paging, overview and exports, over a real store (mini.trig plus the
second article of tests/timeline_kb.py) through Flask's test client and a real waitress server.

Expected labels are the facts written in the two fixtures, in timeline order.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest
from timeline_kb import build, load_mini_and_extra
from webapp_support import http_request, live_server, make_app

from kb.store import EmbeddedStore

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

TALKS_BEGIN = "US–Taliban talks in Qatar begin"  # 2018, US + Taliban, Qatar
NEAR_DEAL = "US and Taliban close to a deal"  # by August 2019
MEETINGS = 'Informal US–Taliban meetings <script>alert("x")</script>'  # November 2019, machine-extracted
DOHA = "Informal talks in Doha"  # November 2019, informal, extra article (Tolo News citing Reuters)
VISIT = "Khalilzad arrives in Kabul"  # 4 Dec 2019, Khalilzad + Afghan government
MEET_GHANI = "Khalilzad to meet Ashraf Ghani"  # after 4 Dec 2019, planned
POSSIBLE = "A deal may be signed"  # from 2020, possible
OFFER = "Ghani offers a ceasefire"  # 15 Jan 2020, proposed, machine-extracted
REJECT = "Taliban reject the ceasefire"  # 20 Jan 2020, rejected
CALLED_OFF = "Round of talks called off"  # February 2020, cancelled
ALL = [TALKS_BEGIN, NEAR_DEAL, MEETINGS, DOHA, VISIT, MEET_GHANI, POSSIBLE, OFFER, REJECT, CALLED_OFF]


class Labels(HTMLParser):
    """The event labels (h4) of a page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[str] = []
        self._in = False

    def handle_starttag(self, tag, attrs):
        if tag == "h4":
            self._in = True
            self.labels.append("")

    def handle_endtag(self, tag):
        if tag == "h4":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.labels[-1] += data


def labels_of(html: str) -> list[str]:
    parser = Labels()
    parser.feed(html)
    return [" ".join(label.split()) for label in parser.labels]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    return load_mini_and_extra(tmp_path_factory.mktemp("kb") / "store")


@pytest.fixture(scope="module")
def client(store_dir):
    return make_app(store_dir).test_client()


def page_labels(client, query: str) -> list[str]:
    response = client.get(f"/?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    return labels_of(response.get_data(as_text=True))


def json_labels(client, query: str) -> list[str]:
    response = client.get(f"/timeline.json?{query}")
    assert response.status_code == 200
    return [event["label"] for event in response.get_json()["events"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("actor=khalilzad", [VISIT, MEET_GHANI]),
        # several actors: events with any of them
        ("actor=ghani&actor=khalilzad", [VISIT, MEET_GHANI, OFFER]),
        ("actor=https%3A%2F%2Fpeacekb.example%2Fid%2Factor%2Fghani", [MEET_GHANI, OFFER]),
        ("type=negotiate", [TALKS_BEGIN, NEAR_DEAL, DOHA, POSSIBLE, CALLED_OFF]),
        ("type=negotiate&type=visit", [TALKS_BEGIN, NEAR_DEAL, DOHA, VISIT, POSSIBLE, CALLED_OFF]),
        ("status=planned", [MEET_GHANI]),
        ("status=proposed&status=REJECTED", [OFFER, REJECT]),
        ("status=cancelled", [CALLED_OFF]),
        ("status=possible", [POSSIBLE]),
        ("source=article/extra", [DOHA, POSSIBLE, OFFER, REJECT, CALLED_OFF]),
        ("source=actor/sahar-news", [TALKS_BEGIN, NEAR_DEAL, MEETINGS, VISIT, MEET_GHANI]),
        # a year-only date sits at the start of its year; both ends are inclusive at their precision
        ("from=2019-11&to=2019-12", [MEETINGS, DOHA, VISIT, MEET_GHANI]),
        ("from=2019-12-04&to=2019-12-04", [VISIT, MEET_GHANI]),
        ("from=2020", [POSSIBLE, OFFER, REJECT, CALLED_OFF]),
        ("to=2019-08", [TALKS_BEGIN, NEAR_DEAL]),
        # words: case-insensitive, in the label, actors, places, quotes, headline, publisher, cited author
        ("q=OFFERS", [OFFER]),
        ("q=ceasefire", [DOHA, POSSIBLE, OFFER, REJECT, CALLED_OFF]),  # the headline of their article
        ("q=qatar", [TALKS_BEGIN]),
        ("q=reuters", [DOHA, POSSIBLE, OFFER, REJECT, CALLED_OFF]),
        ("q=%3Cb%3Equietly", [DOHA]),
        ("q=ashraf", [MEET_GHANI, OFFER]),
        ("q=ghani", [VISIT, MEET_GHANI, OFFER]),  # a substring: "Afghanistan" too
        # filters compose
        ("actor=taliban&status=occurred&from=2019-09", [MEETINGS, DOHA]),
        ("actor=united-states&type=negotiate&q=talks&to=2019", [TALKS_BEGIN, DOHA]),
        ("actor=taliban&source=actor/tolo-news&status=cancelled", [CALLED_OFF]),
        ("actor=khalilzad&status=rejected", []),
        ("q=no+such+words+anywhere", []),
    ],
)
def test_filters(client, query, expected):
    assert page_labels(client, query) == expected
    assert json_labels(client, query) == expected


def test_empty_values_from_the_form_are_ignored(client):
    assert page_labels(client, "q=&from=&to=&actor=") == ALL


def test_filters_in_force_are_listed_with_links_that_remove_each(client):
    html = client.get("/?actor=taliban&status=occurred&q=talks").get_data(as_text=True)
    assert 'aria-label="Filters in force"' in html
    assert "actor: Taliban" in html and "status: Occurred" in html and "words: “talks”" in html
    without_actor = re.search(r'href="([^"]+)" aria-label="Remove the filter actor: Taliban"', html).group(1)
    assert labels_of(client.get(without_actor.replace("&amp;", "&")).get_data(as_text=True)) == (
        page_labels(client, "status=occurred&q=talks")
    )
    # the form shows the values in force
    assert '<option value="taliban" selected>' in html
    assert '<input type="checkbox" name="status" value="occurred" checked>' in html
    assert 'name="q" type="search" value="talks"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("actor=nobody", "No dated event has the actor 'nobody'"),
        ("actor=khalil", "Did you mean 'khalilzad'"),
        ("type=no-such-type", "No dated event has the type 'no-such-type'"),
        ("source=article/none", "No dated event has the source 'none'"),
        ("status=finished", "status 'finished' is unknown; use one of occurred, planned"),
        ("from=2019-13", "write YYYY, YYYY-MM or YYYY-MM-DD"),
        ("from=2020&to=2019", "'from' (2020) is after 'to' (2019); swap them"),
        ("q=one&q=two", "give 'q' once"),
        ("page=0", "pages count from 1"),
        ("page=9", "There is no page 9"),
    ],
)
def test_bad_filters_get_a_helpful_message(client, query, message):
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message.replace("'", "&#39;") in html
    assert 'role="alert"' in html and '<form class="timeline-filters"' in html  # the form stays usable
    as_json = client.get(f"/timeline.json?{query}", headers={"Accept": "application/json"})
    assert as_json.status_code == 400
    assert message in as_json.get_json()["error"]["message"]


INJECTIONS = [
    '"} ; DROP ALL ; SELECT * WHERE { ?s ?p ?o',
    "> <x",
    "khalilzad> } UNION { ?event ?p ?o",
    "'; DROP TABLE event; --",
    '" OR 1=1 --',
    "%",
    "x\\",
]


@pytest.mark.parametrize("payload", INJECTIONS)
@pytest.mark.parametrize("name", ["actor", "type", "source", "status", "from", "q"])
def test_injection_payloads_cannot_alter_queries(store_dir, client, name, payload):
    before = EmbeddedStore.open_reader(store_dir).dump_nquads()
    response = client.get("/?" + urlencode({name: payload}))
    html = response.get_data(as_text=True)
    if name == "q":  # words are only looked for, never run
        assert response.status_code == 200
        assert labels_of(html) == []
    else:
        assert response.status_code == 400
        assert "Cannot filter the timeline" in html or "No dated event has" in html
    assert "<x" not in html.replace("&lt;x", "")
    assert EmbeddedStore.open_reader(store_dir).dump_nquads() == before


def test_markup_everywhere_is_shown_as_text(client):
    html = client.get("/?source=article/extra").get_data(as_text=True)
    assert "<script" not in html and "<b>" not in html
    assert "Taliban reject &lt;script&gt;alert(1)&lt;/script&gt; ceasefire offer" in html
    assert "talks went on &lt;b&gt;quietly&lt;/b&gt; in Doha" in html
    slides = client.get("/timeline.timelinejs.json?source=article/extra").get_json()["events"]
    doha = next(s for s in slides if s["text"]["headline"] == DOHA)
    assert "&lt;b&gt;quietly&lt;/b&gt;" in doha["text"]["text"] and "<b>" not in doha["text"]["text"]
    meetings = client.get("/timeline.timelinejs.json?q=meetings").get_json()["events"][0]
    assert meetings["text"]["headline"] == "Informal US–Taliban meetings &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def test_event_marks_statuses_informal_and_attribution(client):
    html = client.get("/").get_data(as_text=True)
    for status in ("Planned", "Proposed", "Rejected", "Cancelled", "Possible"):
        assert html.count(f'<span class="badge status-{status.lower()}">{status}</span>') == 1
    assert html.count("not reviewed: machine-extracted</span>") == 2  # the meetings and the offer
    assert '<time datetime="2019-11">November 2019</time>, informal</p>' in html
    assert html.count("informal</p>") == 1
    assert "Source: Tolo News, citing Reuters, <cite>" in " ".join(html.split())
    assert '<h4 class="event-label"><a href="/id/event/extra/informal-talks">Informal talks in Doha</a></h4>' in html


def test_overview_swimlanes_link_each_event_and_zoom_by_year(client):
    html = client.get("/?from=2019").get_data(as_text=True)
    svg = html[html.index("<svg"):html.index("</svg>")]
    lanes = re.findall(r'<text class="lane-label"[^>]*>([^<]+)</text>', svg)
    assert lanes[:2] == ["Taliban", "United States"]  # the most active actors first
    assert "Zalmay Khalilzad" in lanes
    # one mark per event, linking to its page, with an accessible title
    assert '<a href="/id/event/mini/visit" class="mark"><title>Khalilzad arrives in Kabul (December 2019)</title>' in svg
    assert svg.count('class="mark"') == sum(
        len(page_labels(client, f"from=2019&actor={actor}")) for actor in ("taliban", "united-states", "khalilzad",
                                                                          "ghani", "afghan-government")
    )
    # year ticks zoom to that year, keeping the other filters
    assert '<a href="/?from=2020&amp;to=2020" class="tick"><title>Zoom to 2020</title>' in svg
    assert "<script" not in svg


def test_paging_and_month_marks_on_a_larger_kb(tmp_path):
    client = make_app(build(tmp_path / "store", 450)).test_client()
    first = client.get("/").get_data(as_text=True)
    assert len(labels_of(first)) == 100
    assert "450 dated events, oldest first; page 1 of 5." in first
    assert 'rel="prev"' not in first
    next_link = re.search(r'<a rel="next" href="([^"]+)"', first).group(1)
    assert next_link == "/?page=2"
    last = client.get("/?page=5").get_data(as_text=True)
    assert len(labels_of(last)) == 50
    assert '<a rel="prev" href="/?page=4">' in last and 'rel="next"' not in last
    json_pages = [client.get(f"/timeline.json?page={n}").get_json() for n in range(1, 6)]
    assert [len(p["events"]) for p in json_pages] == [100, 100, 100, 100, 50]
    assert json_pages[0]["next"] == "/?page=2" and json_pages[4]["previous"] == "/?page=4"
    everything = [e["iri"] for p in json_pages for e in p["events"]]
    assert len(set(everything)) == 450
    # more events than the overview draws one by one: a mark per month (per year over twenty
    # years, as here) links to the timeline zoomed to it
    svg = first[first.index("<svg"):first.index("</svg>")]
    month_link = re.search(r'<a href="(/\?actor=a0&amp;from=(\d{4})&amp;to=\2)" class="mark"><title>', svg)
    assert month_link, svg[:2000]
    zoomed = client.get(month_link.group(1).replace("&amp;", "&"))
    assert zoomed.status_code == 200
    title = re.search(r'class="mark"><title>([^<]+): (\d+) events? in ([^<]+)</title>', svg[month_link.start():])
    zoomed_labels = labels_of(zoomed.get_data(as_text=True))
    assert len(zoomed_labels) == int(title.group(2))


def test_exports_honour_the_filters(client):
    timelinejs = client.get("/?format=timelinejs&actor=khalilzad").get_json()
    assert timelinejs == client.get("/timeline.timelinejs.json?actor=khalilzad").get_json()
    assert [s["text"]["headline"] for s in timelinejs["events"]] == [VISIT, MEET_GHANI]
    visit = timelinejs["events"][0]
    assert visit["start_date"] == {"year": "2019", "month": "12", "day": "4", "display_date": "4 Dec 2019"}
    assert visit["unique_id"] == "https://peacekb.example/id/event/mini/visit"
    assert visit["group"] == "Make a visit"
    assert timelinejs["title"]["text"]["headline"]
    possible = client.get("/timeline.timelinejs.json?status=possible").get_json()["events"][0]
    assert possible["start_date"] == {"year": "2020", "display_date": "2020"} and "end_date" not in possible

    response = client.get("/timeline.csv?status=proposed&status=planned")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["label"], r["date"], r["date_text"], r["status"], r["machine_extracted"]) for r in rows] == [
        (MEET_GHANI, "2019-12-04", "after 4 Dec 2019", "Planned", "false"),
        (OFFER, "2020-01-15", "15 Jan 2020", "Proposed", "true"),
    ]
    assert rows[0]["actors"] == "Ashraf Ghani; Zalmay Khalilzad"
    assert rows[0]["publishers"] == "Sahar News"
    assert client.get("/?format=csv&status=proposed").get_data() == client.get("/timeline.csv?status=proposed").get_data()
    assert client.get("/?format=pdf").status_code == 400


def test_filtered_timeline_over_a_real_server(store_dir):
    with live_server(make_app(store_dir)) as server:
        page = http_request(f"{server}/?actor=taliban&status=occurred", headers={"Accept": "text/html"})
        twin = http_request(f"{server}/?actor=taliban&status=occurred", headers={"Accept": "application/json"})
        bad = http_request(f"{server}/?actor={quote('> <x')}", headers={"Accept": "text/html"})
    expected = [TALKS_BEGIN, NEAR_DEAL, MEETINGS, DOHA]
    assert page.status == 200 and labels_of(page.text) == expected
    assert twin.media_type == "application/json"
    assert [e["label"] for e in json.loads(twin.body)["events"]] == expected
    assert bad.status == 400 and "Cannot filter the timeline" in bad.text
