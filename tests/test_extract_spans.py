"""Offset look-ups of the extractor (Spans, the choice of non-overlapping mentions) answer what a
scan of the whole list answers."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from kb.extract.actors import ActorMention, _non_overlapping
from kb.extract.text import Spans


@dataclass(frozen=True)
class Found:
    start: int
    end: int


found = st.builds(lambda start, length: Found(start, start + length), st.integers(0, 60), st.integers(0, 15))


@given(st.lists(found, max_size=30), st.integers(0, 80), st.integers(0, 80))
def test_lookups_match_a_scan_in_list_order(items: list[Found], low: int, high: int) -> None:
    spans = Spans(items)
    assert spans.starting(low, high) == [x for x in items if low <= x.start <= high]
    assert spans.within(low, high) == [x for x in items if low <= x.start and x.end <= high]


def test_unsorted_items_come_back_in_their_given_order() -> None:
    items = [Found(9, 12), Found(2, 4), Found(5, 30), Found(3, 3)]
    assert Spans(items).within(0, 20) == [Found(9, 12), Found(2, 4), Found(3, 3)]


@given(st.lists(found, max_size=30))
def test_longest_mentions_win_without_overlaps(items: list[Found]) -> None:
    mentions = [ActorMention(f.start, f.end, "x" * (f.end - f.start), f"actor-{k}", 0.9, "gazetteer")
                for k, f in enumerate(items) if f.end > f.start]
    expected: list[ActorMention] = []
    for m in sorted(mentions, key=lambda m: (m.start - m.end, m.start)):
        if all(m.end <= k.start or k.end <= m.start for k in expected):
            expected.append(m)
    assert _non_overlapping(mentions) == sorted(expected, key=lambda m: m.start)
