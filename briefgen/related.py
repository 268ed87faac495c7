"""What a briefing page shows beyond itself: related briefings, translations and reading time.

Related briefings share sources (worth 2 each) or tags (1 each) with a briefing. Each source and tag
lists its briefings newest first; a briefing only looks at the `WINDOW` briefings nearest to it in
each list, so a tag on thousands of briefings costs the same as one on ten, and the nearer in time
wins among equals. Ties go to the briefing nearer in the site's order, then to the newer one.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from typing import TypeVar

from briefgen.models import Briefing, Page

__all__ = ["WORDS_PER_MINUTE", "reading_minutes", "related_briefings", "translations"]

WINDOW = 10  # neighbours looked at on each side, per shared source or tag
SOURCE_WEIGHT, TAG_WEIGHT = 2, 1
WORDS_PER_MINUTE = 220
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")


def related_briefings(briefings: list[Briefing], limit: int = 3) -> dict[str, list[Briefing]]:
    """Each briefing's path -> up to `limit` briefings sharing its sources or tags, best first.

    `briefings` is in site order (newest first); briefings sharing nothing are never related."""
    postings: dict[tuple[str, str], list[int]] = defaultdict(list)
    keys: list[list[tuple[tuple[str, str], int]]] = []
    for index, b in enumerate(briefings):
        own: list[tuple[tuple[str, str], int]] = []
        for key in {("s", s.id) for s in b.sources} | {("t", tag) for tag, _ in b.tags}:
            own.append((key, len(postings[key])))
            postings[key].append(index)
        keys.append(own)
    related: dict[str, list[Briefing]] = {}
    for index, b in enumerate(briefings):
        scores: dict[int, int] = defaultdict(int)
        for key, position in keys[index]:
            weight = SOURCE_WEIGHT if key[0] == "s" else TAG_WEIGHT
            posting = postings[key]
            for other in posting[max(0, position - WINDOW):position + WINDOW + 1]:
                if other != index:
                    scores[other] += weight
        best = heapq.nsmallest(limit, ((-score, abs(other - index), other)
                                       for other, score in scores.items()))
        related[b.path] = [briefings[other] for _, _, other in best]
    return related


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
    words = len(_WORD.findall(_TAG.sub(" ", html)))
    return max(1, -(-words // WORDS_PER_MINUTE))
