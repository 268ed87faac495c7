"""What a briefing page shows beyond itself: related briefings, translations and reading time.

Related briefings share sources (worth 2 each) or tags (1 each) with a briefing. Each source and tag
lists its briefings newest first; a briefing only looks at the `WINDOW` briefings nearest to it in
each list, so a tag on thousands of briefings costs the same as one on ten, and the nearer in time
wins among equals. Ties go to the briefing nearer in the site's order, then to the newer one.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections import defaultdict
from collections.abc import Callable
from typing import TypeVar

from briefgen.models import Briefing, Page

__all__ = ["WORDS_PER_MINUTE", "Related", "RelatedMemo", "reading_minutes", "related_briefings",
           "translations"]

WINDOW = 10  # neighbours looked at on each side, per shared source or tag
SOURCE_WEIGHT, TAG_WEIGHT = 2, 1
WORDS_PER_MINUTE = 220
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")
# ASCII text as bytes with each word character (\w in ASCII: letters, digits, _) made b"a" and
# anything else b" ": a word starts at each b" a", or at the start
_WORD_MARKS = bytes(0x61 if c < 128 and (chr(c).isalnum() or c == 0x5F) else 0x20
                    for c in range(256))


def related_briefings(briefings: list[Briefing], limit: int = 3) -> dict[str, list[Briefing]]:
    """Each briefing's path -> up to `limit` briefings sharing its sources or tags, best first.

    `briefings` is in site order (newest first); briefings sharing nothing are never related."""
    postings: dict[tuple[str, str], list[int]] = defaultdict(list)
    # per briefing: (the posting list of each of its sources and tags, its place there, weight)
    keys: list[list[tuple[list[int], int, int]]] = []
    for index, b in enumerate(briefings):
        own: list[tuple[list[int], int, int]] = []
        for key in {("s", s.id) for s in b.sources} | {("t", tag) for tag, _ in b.tags}:
            posting = postings[key]
            own.append((posting, len(posting), SOURCE_WEIGHT if key[0] == "s" else TAG_WEIGHT))
            posting.append(index)
        keys.append(own)
    related: dict[str, list[Briefing]] = {}
    for index, b in enumerate(briefings):
        scores: dict[int, int] = {}
        get = scores.get
        for posting, position, weight in keys[index]:
            for other in posting[max(0, position - WINDOW):position + WINDOW + 1]:
                scores[other] = get(other, 0) + weight
        scores.pop(index, None)
        best = heapq.nsmallest(limit, ((-score, abs(other - index), other)
                                       for other, score in scores.items()))
        related[b.path] = [briefings[other] for _, _, other in best]
    return related


Related = Callable[[list[Briefing]], dict[str, list[Briefing]]]


class RelatedMemo:
    """related_briefings() remembered by what it reads (each briefing's path, sources and tags,
    in site order): an edit that changes none of those, such as a body or a title, finds the
    last build's answer. `stored` and `kept` are {inputs digest: {path: [related paths]}}."""

    def __init__(self, stored: dict[str, dict[str, list[str]]] | None) -> None:
        self.stored = stored or {}
        self.kept: dict[str, dict[str, list[str]]] = {}

    def __call__(self, briefings: list[Briefing]) -> dict[str, list[Briefing]]:
        h = hashlib.blake2b(repr((WINDOW, SOURCE_WEIGHT, TAG_WEIGHT)).encode(), digest_size=16)
        for b in briefings:
            h.update(repr((b.path, sorted(s.id for s in b.sources),
                           sorted(tag for tag, _ in b.tags))).encode("utf-8", "surrogatepass"))
        key = h.hexdigest()
        paths = self.stored.get(key)
        if paths is None:
            found = related_briefings(briefings)
            self.kept[key] = {path: [o.path for o in others] for path, others in found.items()}
            return found
        self.kept[key] = paths
        by_path = {b.path: b for b in briefings}
        return {path: [by_path[other] for other in others] for path, others in paths.items()}

    @property
    def changed(self) -> bool:
        return self.kept != self.stored


_Doc = TypeVar("_Doc", Briefing, Page)


def translations(briefings: list[_Doc]) -> dict[str, list[_Doc]]:
    """Each briefing's (or page's) path -> its translations (same translation_key, another
    language), by language code."""
    groups: dict[str, list[_Doc]] = defaultdict(list)
    for b in briefings:
        if b.translation_key:
            groups[b.translation_key].append(b)
    found: dict[str, list[_Doc]] = {}
    for group in groups.values():
        for b in group:
            others = sorted((o for o in group if o is not b and o.lang != b.lang),
                            key=lambda o: (o.lang, o.path))
            if others:
                found[b.path] = others
    return found


def reading_minutes(html: str) -> int:
    """Minutes a reader needs for a body of HTML, at least one."""
    return max(1, -(-_words(html) // WORDS_PER_MINUTE))


def _words(html: str) -> int:
    """How many words (runs of \\w) a body of HTML shows outside its tags."""
    text = _TAG.sub(" ", html)
    if text.isascii():  # a flag check; nearly every body (8 KB: 100 -> 31 µs with the tag sub)
        marks = text.encode("ascii").translate(_WORD_MARKS)
        return marks.count(b" a") + marks.startswith(b"a")
    # counted, not listed: half findall's time
    return _WORD.subn("", text)[1]
