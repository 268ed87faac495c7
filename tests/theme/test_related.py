"""Related briefings (shared sources count double), translations and reading time."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.models import Briefing, Source
from briefgen.related import (
    WINDOW,
    RelatedMemo,
    _words,
    reading_minutes,
    related_briefings,
    translations,
)


def briefing(name: str, day: int, sources: tuple[str, ...] = (), tags: tuple[str, ...] = (),
             lang: str = "en", key: str = "") -> Briefing:
    b = Briefing(path=f"{name}.md", guid=name, title=name, slug=name, body_html="",
                 summary="", date=datetime(2026, 1, day, tzinfo=UTC), lang=lang,
                 translation_key=key, tags=[(t, t) for t in tags])
    b.sources = [Source(id=s, title=s, outlet="o", url="https://example.org/", path="")
                 for s in sources]
    return b


def test_shared_sources_outweigh_shared_tags_and_unrelated_briefings_are_left_out() -> None:
    a = briefing("a", 9, sources=("s1",), tags=("energy",))
    tag_only = briefing("tag-only", 8, tags=("energy",))
    source_only = briefing("source-only", 7, sources=("s1",))
    unrelated = briefing("unrelated", 6, tags=("ferries",))
    related = related_briefings([a, tag_only, source_only, unrelated])
    assert [b.title for b in related["a.md"]] == ["source-only", "tag-only"]
    assert related["unrelated.md"] == []


def test_ties_go_to_the_nearest_briefing_in_time_and_the_list_is_capped() -> None:
    items = [briefing(f"b{n}", 20 - n, tags=("energy",)) for n in range(6)]
    related = related_briefings(items, limit=3)
    assert [b.title for b in related["b2.md"]] == ["b1", "b3", "b0"]


def test_translations_share_a_key_in_another_language() -> None:
    en, ru = briefing("en", 2, key="k"), briefing("ru", 2, lang="ru", key="k")
    assert translations([en, ru, briefing("x", 1)]) == {"en.md": [ru], "ru.md": [en]}


def test_reading_time_counts_words_not_markup() -> None:
    assert reading_minutes("<p>" + "word " * 221 + "</p>") == 2
    assert reading_minutes("<p class='x'></p>") == 1


def _unicode_reading_minutes(html: str) -> int:
    """reading_minutes as it was before its ASCII fast path: Unicode \\w on every text."""
    words = re.compile(r"\w+").subn("", re.sub(r"<[^>]*>", " ", html))[1]
    return max(1, -(-words // 220))


_ascii_html = st.text(alphabet=st.characters(max_codepoint=127), max_size=200)
_html_pieces = st.lists(st.one_of(
    st.sampled_from(["<p>", "</p>", "<a href='/x'>", "</a>", "<img alt='café'>", "<em>", " ",
                     "\n", "&amp;", "word", "under_score", "a1b2", "don't", "x-y"]),
    st.text(alphabet="aZ09_ \t\n.,-'<>/=\"", max_size=12),
    st.text(max_size=12),  # any code point: letters, marks, digits of other scripts
    st.sampled_from(["café", "naïve", "Привет", "日本語", "٣٤", "e\u0301", "\xa0", "½", "ǅ"]),
), max_size=40).map("".join)


@settings(max_examples=500)
@given(st.one_of(_ascii_html, _html_pieces))
def test_reading_time_counts_the_same_words_on_ascii_and_unicode_text(html: str) -> None:
    assert _words(html) == re.compile(r"\w+").subn("", re.sub(r"<[^>]*>", " ", html))[1]
    for repeat in (1, 37):
        body = html * repeat
        assert reading_minutes(body) == _unicode_reading_minutes(body)


def test_the_memo_answers_like_related_briefings_and_recomputes_only_when_its_inputs_change(
        monkeypatch: pytest.MonkeyPatch) -> None:
    items = [briefing(f"b{n}", 20 - n, sources=(f"s{n % 3}",), tags=("energy",) * (n % 2))
             for n in range(8)]
    first = RelatedMemo(None)
    assert first(items) == related_briefings(items)
    assert first.changed
    calls: list[int] = []
    original = related_briefings

    def counted(found: list[Briefing], limit: int = 3) -> dict[str, list[Briefing]]:
        calls.append(len(found))
        return original(found, limit)

    monkeypatch.setattr("briefgen.related.related_briefings", counted)
    again = RelatedMemo(first.kept)  # the next build, from the state
    for b in items:
        b.title, b.body_html = b.title + " (edited)", "<p>new</p>"  # not read by it
    assert again(items) == original(items) and calls == []
    assert not again.changed
    items[3].tags = [("ferries", "ferries")]
    later = RelatedMemo(again.kept)
    assert later(items) == original(items) and calls == [8]
    assert later.changed


def ranked_one_by_one(items: list[Briefing], limit: int = 3) -> dict[str, list[str]]:
    """The ranking spelled out: for each briefing, every other one within WINDOW places of it in a
    shared source's (2 points) or tag's (1 point) list, best score first, then nearest, then
    earliest in the site's order."""
    lists: dict[tuple[str, str], list[int]] = {}
    for index, b in enumerate(items):
        for key in {("s", s.id) for s in b.sources} | {("t", t) for t, _ in b.tags}:
            lists.setdefault(key, []).append(index)
    found: dict[str, list[str]] = {}
    for index, b in enumerate(items):
        scores: dict[int, int] = {}
        for key, members in lists.items():
            if index not in members:
                continue
            place = members.index(index)
            for other in members[max(0, place - WINDOW):place + WINDOW + 1]:
                if other != index:
                    scores[other] = scores.get(other, 0) + (2 if key[0] == "s" else 1)
        best = sorted(scores, key=lambda o: (-scores[o], abs(o - index), o))[:limit]
        found[b.path] = [items[o].path for o in best]
    return found


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sets(st.sampled_from("abcd")), st.sets(st.sampled_from("wxyz"))),
                min_size=1, max_size=40),
       st.integers(min_value=1, max_value=5))
def test_related_briefings_rank_by_score_then_nearness_then_site_order(
        shared: list[tuple[set[str], set[str]]], limit: int) -> None:
    items = [briefing(f"b{n}", 1 + n % 28, sources=tuple(sorted(sources)), tags=tuple(sorted(tags)))
             for n, (sources, tags) in enumerate(shared)]
    related = related_briefings(items, limit=limit)
    assert {path: [o.path for o in others] for path, others in related.items()} == \
        ranked_one_by_one(items, limit)
