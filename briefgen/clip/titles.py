"""Headlines: matching an editor's --title to a line of text, cleaning a page's title of site
names and dates, and choosing the best of the titles a page gives."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from briefgen.clip.chrome import is_nav_line
from briefgen.clip.dates import parse_date_line

__all__ = ["best_title", "clean_title", "comparable", "is_truncated", "match_title",
           "same_headline"]

_SEPARATOR = re.compile(r"\s+(?:\||–|—|-|·|•|::)\s+")
_HOST = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-zа-я]{2,}$", re.IGNORECASE)
_DATE_ONLY = re.compile(r"^[\d\s.:/,-]+$")
_TRUNCATED = ("...", "…", "..", "[…]")


def comparable(text: str) -> str:
    """Letters and digits only, lowercase, single-spaced: what two spellings of a title share."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def match_title(title: str, lines: list[str], threshold: float = 0.85) -> int | None:
    """Index of the line most like title (punctuation, quotes and case aside), or None when no
    line is alike enough. Empty lines are skipped."""
    wanted = comparable(title)
    if not wanted:
        return None
    best, best_ratio = None, threshold
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    for index, line in enumerate(lines):
        text = comparable(line)
        if not text:
            continue
        if text == wanted:
            return index
        matcher.set_seq1(text)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = index, ratio
    return best


def same_headline(a: str, b: str) -> bool:
    """Whether two titles are one headline: alike, or one (cut short) begins the other."""
    first, second = comparable(a), comparable(b)
    if not first or not second:
        return False
    if first.startswith(second) or second.startswith(first):
        return True
    return SequenceMatcher(None, first, second, autojunk=False).ratio() >= 0.6


def is_truncated(title: str) -> bool:
    """A title cut short by the site ('Council agrees to sell the ...')."""
    return title.rstrip().endswith(_TRUNCATED)


def _is_site_part(part: str, names: list[str]) -> bool:
    text = part.strip()
    folded = comparable(text).removeprefix("the ")
    if not folded:
        return True
    if _DATE_ONLY.match(text) or parse_date_line(text) is not None or _HOST.match(text):
        return True
    if is_nav_line(text):
        return True  # a section name: Opinion, Мнения
    return any(folded == comparable(name).removeprefix("the ") for name in names if name)


def clean_title(title: str, names: list[str]) -> str:
    """The headline of a title like 'Headline | Outlet | 04.02.2026': leading and trailing parts
    that are a site name (one of names, or a host name), a section name or a date are
    removed."""
    title = " ".join(title.split())
    parts = _SEPARATOR.split(title)
    seps = _SEPARATOR.findall(title)
    if len(parts) < 2:
        return title
    first, last = 0, len(parts)
    while last - first > 1 and _is_site_part(parts[last - 1], names):
        last -= 1
    while last - first > 1 and _is_site_part(parts[first], names):
        first += 1
    kept = parts[first]
    for index in range(first + 1, last):
        kept += seps[index - 1] + parts[index]
    return kept


def best_title(candidates: list[str]) -> str:
    """The longest candidate that is not truncated; a truncated one only when it is all there
    is. A candidate that is another's beginning loses to it."""
    titles = [" ".join(c.split()) for c in candidates if c and c.strip()]
    whole = [t for t in titles if not is_truncated(t)]
    if whole:
        return max(whole, key=len)
    return titles[0] if titles else ""
