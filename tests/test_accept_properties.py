"""Property-based tests of the Accept parser (kb.sparql): any header, well-formed or not.

The chosen type is checked against an oracle written from RFC 9110 (section 12.5.1): an offer's
weight is the q of the most specific range that matches it; the first offer of the highest
weight above 0 wins.
"""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.sparql import MAX_MEDIA_RANGES, MalformedAccept, best_match, check_accept, parse_accept

BOUNDED = settings(max_examples=int(os.environ.get("KB_ACCEPT_EXAMPLES", "200")), deadline=None)

OFFERS = ("text/html", "application/json", "application/sparql-results+json", "text/csv", "text/turtle",
          "application/ld+json", "text/plain")
RANGES = (*OFFERS, "text/*", "application/*", "*/*", "image/png", "Text/HTML", "*")
QS = ("", ";q=0", ";q=0.0", ";q=0.001", ";q=0.5", ";q=1", ";q=1.000", ";q=.2", "; q=0.75", ";level=1;q=0.3",
      ';profile="a,b;c";q=0.4', ";q=0.2;q=0.9")
#: Fragments of headers, glued at random: the parser's punctuation where it matters most.
NOISE = st.lists(st.sampled_from([*'abtx/*;,=q.01 "\\\t-+', "é", "\x00", "\u2028", "text/html"]), max_size=40).map("".join)


@st.composite
def well_formed(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(st.sampled_from(RANGES), st.sampled_from(QS)), min_size=1, max_size=8))
    separator = draw(st.sampled_from([",", ", ", " ,", ",,", " , "]))
    return separator.join(r + q for r, q in parts)


def weight(offer: str, header: str) -> float:
    """The oracle: the q of the most specific range of ``header`` matching ``offer`` (0 if none)."""
    main = offer.split("/")[0]
    found: dict[int, float] = {}
    for media_range, q in parse_accept(header):
        specificity = {offer: 2, f"{main}/*": 1, "*/*": 0}.get(media_range)
        if specificity is not None:
            found[specificity] = max(q, found.get(specificity, 0.0))
    return found[max(found)] if found else 0.0


@BOUNDED
@given(st.one_of(st.text(), NOISE, well_formed()),
       st.lists(st.sampled_from(OFFERS), min_size=1, max_size=5, unique=True))
def test_any_header_gives_an_offer_or_none_and_only_the_400_error(header: str, offers: list[str]) -> None:
    try:
        check_accept(header)
    except MalformedAccept as exc:
        assert str(exc).startswith("the Accept header")
    chosen = best_match(header, offers)  # never raises, whatever the header
    assert chosen is None or chosen in offers


@BOUNDED
@given(well_formed(), st.lists(st.sampled_from(OFFERS), min_size=1, max_size=5, unique=True))
def test_the_chosen_offer_is_the_first_of_the_highest_weight_and_never_q0(header: str, offers: list[str]) -> None:
    check_accept(header)  # well-formed headers pass
    chosen = best_match(header, offers)
    weights = [weight(offer, header) for offer in offers]
    if max(weights) == 0:
        assert chosen is None
    else:
        assert chosen == offers[weights.index(max(weights))]
        assert weight(chosen, header) > 0


@BOUNDED
@given(well_formed())
def test_a_header_that_passes_the_check_is_read_whole(header: str) -> None:
    check_accept(header)
    elements = [part for part in header.replace(';profile="a,b;c"', "").split(",") if part.strip()]
    assert len(parse_accept(header)) == len(elements)
    qs = [q for _, q in parse_accept(header)]
    assert qs == sorted(qs, reverse=True) and all(0 <= q <= 1 for q in qs)


@BOUNDED
@given(st.integers(MAX_MEDIA_RANGES + 1, 3 * MAX_MEDIA_RANGES), st.sampled_from(RANGES))
def test_too_many_ranges_are_refused(count: int, media_range: str) -> None:
    try:
        check_accept(", ".join([media_range] * count))
    except MalformedAccept as exc:
        assert f"{count} media ranges" in str(exc)
    else:
        raise AssertionError("accepted")


@BOUNDED
@given(st.text(min_size=1, max_size=20).filter(lambda s: any(not (" " <= c <= "~" or c == "\t") for c in s)))
def test_a_character_outside_printable_ascii_is_refused(noise: str) -> None:
    try:
        check_accept("text/html;q=0.5, " + noise)
    except MalformedAccept as exc:
        assert "not printable ASCII" in str(exc)
    else:
        raise AssertionError("accepted")
