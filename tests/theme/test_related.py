"""Related briefings (shared sources count double), translations and reading time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefgen.models import Briefing, Source
from briefgen.related import RelatedMemo, reading_minutes, related_briefings, translations


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
