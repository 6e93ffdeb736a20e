"""The Accept parser and the format table it is matched against (kb.sparql)."""

from __future__ import annotations

import pytest

from kb.sparql import best_match, choose_format, parse_accept


def test_q_values_order_the_ranges_and_ties_keep_header_order():
    header = "text/csv;q=0.5, application/sparql-results+xml, text/turtle;q=0.5, application/json"
    assert parse_accept(header) == [
        ("application/sparql-results+xml", 1.0),
        ("application/json", 1.0),
        ("text/csv", 0.5),
        ("text/turtle", 0.5),
    ]


def test_media_types_are_lowercased_and_other_parameters_dropped():
    assert parse_accept("Text/CSV; charset=UTF-8; Q=0.7; ext=1") == [("text/csv", 0.7)]


def test_parameters_after_q_are_extensions_and_do_not_change_q():
    assert parse_accept("text/csv;q=0.2;q=0.9") == [("text/csv", 0.2)]


@pytest.mark.parametrize(
    "header",
    [
        "bogus",  # no subtype
        "text/",  # empty subtype
        "*/csv",  # a wildcard type needs a wildcard subtype
        "text/csv;q=2",  # q above 1
        "text/csv;q=0.1234",  # more than three decimals
        "text/csv;q=abc",
        "text/csv;q=-0.5",
        "",
    ],
)
def test_malformed_parts_are_ignored(header):
    assert parse_accept(header) == []
    assert parse_accept(f"{header}, text/tab-separated-values;q=0.4") == [("text/tab-separated-values", 0.4)]


def test_wildcards_are_kept():
    assert parse_accept("*/*;q=0.1, text/*;q=0.3") == [("text/*", 0.3), ("*/*", 0.1)]


def test_the_most_specific_range_sets_an_offers_quality():
    # text/csv is refused outright even though text/* would allow it.
    assert best_match("text/*, text/csv;q=0", ["text/csv", "text/turtle"]) == "text/turtle"
    assert best_match("*/*;q=0.1, text/turtle;q=0.5", ["text/csv", "text/turtle"]) == "text/turtle"


def test_ties_go_to_the_earlier_offer():
    assert best_match("*/*", ["application/json", "text/html"]) == "application/json"
    assert best_match("text/html, application/json", ["application/json", "text/html"]) == "application/json"


def test_nothing_acceptable_gives_none():
    assert best_match("image/png", ["text/csv"]) is None
    assert best_match("text/csv;q=0", ["text/csv"]) is None


@pytest.mark.parametrize("header", [None, "", "   ", "bogus, text/"])
def test_missing_or_wholly_malformed_header_accepts_anything(header):
    assert best_match(header, ["text/turtle", "application/n-triples"]) == "text/turtle"


def test_a_typical_browser_header_gets_json_results_not_xml():
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert choose_format("results", accept=browser).name == "json"
    assert choose_format("graph", accept=browser).name == "turtle"


@pytest.mark.parametrize(
    ("kind", "accept", "expected"),
    [
        ("results", None, "json"),
        ("results", "application/sparql-results+xml", "xml"),
        ("results", "text/csv", "csv"),
        ("results", "text/tab-separated-values", "tsv"),
        ("results", "application/json", "json"),
        ("graph", None, "turtle"),
        ("graph", "application/n-triples", "ntriples"),
        ("graph", "application/ld+json", "jsonld"),
        ("graph", "application/rdf+xml", "rdfxml"),
        ("graph", "application/trig", "trig"),
        ("graph", "text/*", "turtle"),
    ],
)
def test_the_format_table(kind, accept, expected):
    assert choose_format(kind, accept=accept).name == expected


@pytest.mark.parametrize(
    ("kind", "fmt", "expected"),
    [
        ("results", "CSV", "csv"),
        ("results", "xml", "xml"),
        ("graph", "xml", "rdfxml"),
        ("graph", "ttl", "turtle"),
        ("graph", "nt", "ntriples"),
        ("graph", "json", "jsonld"),
        ("results", "text/tab-separated-values", "tsv"),  # a media type works as a format too
    ],
)
def test_a_short_name_overrides_accept(kind, fmt, expected):
    assert choose_format(kind, accept="application/sparql-results+json, text/turtle", fmt=fmt).name == expected


def test_an_unknown_or_misplaced_short_name_matches_nothing():
    assert choose_format("results", fmt="png") is None
    assert choose_format("results", fmt="turtle") is None
    assert choose_format("graph", fmt="csv") is None
