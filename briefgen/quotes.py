"""Quote verification: a quotation followed by a citation must appear in the source's text.

The source's text is what a reader reads (reader_text: Markdown and HTML markup removed, entities
decoded). Both sides are Unicode-normalised (NFKC), curly quotes, «ёлочки» and dashes folded to
plain ones, soft hyphens and zero-width characters dropped, whitespace (no-break spaces too)
collapsed; case is kept. `...`, `…` and `[...]` split a quotation into pieces that must appear in
order. Not found: a warning at the quotation's first character with the closest passage and its
similarity. A source without clipped text: an info line, since there is nothing to check against.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from briefgen.diagnostics import Diagnostics
from briefgen.models import Briefing, Source
from briefgen.reader_text import reader_text
from briefgen.textfragments import fragment_url, passage_directive

__all__ = ["QuoteTally", "check_quotes", "closest_passage", "deep_link", "find_quote",
           "normalise", "quote_span"]

_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "‘": "'",
                       "’": "'", "‚": "'", "‛": "'", "‹": "'", "›": "'", "′": "'", "″": '"',
                       "‐": "-", "‑": "-", "–": "-", "—": "-", "‒": "-", "―": "-", "−": "-",
                       "\u00a0": " ", "\u00ad": None, "\u200b": None, "\u200c": None,
                       "\u200d": None, "\u2060": None, "\ufeff": None})
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\.\.|…)\s*\]|\.\.\.|…)\s*")


def normalise(text: str) -> str:
    """NFKC, quotes and dashes folded, whitespace collapsed, case kept."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return re.sub(r"\s+", " ", text).strip()


def _pieces(quote: str) -> list[str]:
    # NFKC turns … into ..., so split before normalising the pieces
    # a quotation may end its sentence where the source's goes on: trailing .,;: do not count
    pieces = (normalise(part).strip(" \"'").rstrip(".,;:").rstrip() for part in
              _ELLIPSIS.split(quote))
    return [p for p in pieces if p]


@lru_cache(maxsize=4096)
def _haystack(text: str) -> str:
    """The source's reader text, normalised (each source is cited by many briefings)."""
    return normalise(reader_text(text))


def find_quote(quote: str, text: str) -> bool:
    """True when every piece of the quotation appears in the reader's text of the source's
    Markdown, in order."""
    haystack = _haystack(text)
    at = 0
    for piece in _pieces(quote):
        found = haystack.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def _mapped(text: str) -> tuple[str, list[int]]:
    """normalise() character by character, with where in text each character came from."""
    chars: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        for folded in unicodedata.normalize("NFKC", char).translate(_FOLD):
            if folded.isspace():
                if not chars or chars[-1] == " ":
                    continue
                folded = " "
            chars.append(folded)
            where.append(index)
    return "".join(chars), where


@lru_cache(maxsize=256)
def _located(text: str) -> tuple[str, str, list[int]]:
    reader = unicodedata.normalize("NFC", reader_text(text))
    return (reader, *_mapped(reader))


def quote_span(quote: str, text: str) -> tuple[str, int, int] | None:
    """Where the quotation is in the reader's text of the source's Markdown: (that text, start,
    end), from its first piece's first character to its last piece's last; None when it is not
    there."""
    reader, haystack, where = _located(text)
    pieces = _pieces(quote)
    if not pieces:
        return None
    at, first = 0, -1
    for piece in pieces:
        found = haystack.find(piece, at)
        if found < 0:
            return None
        first = found if first < 0 else first
        at = found + len(piece)
    return reader, where[first], where[at - 1] + 1


def closest_passage(quote: str, text: str) -> tuple[str, float]:
    """The passage of the text most like the quotation, and how alike (0-1)."""
    needle = " ".join(_pieces(quote))
    words = _haystack(text).split(" ")
    size = max(1, len(needle.split(" ")))
    best, best_ratio = "", 0.0
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(needle)
    for start in range(0, max(1, len(words) - size + 1)):
        window = " ".join(words[start:start + size])
        matcher.set_seq1(window)
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = window, ratio
    return best, best_ratio


def deep_link(quote: str, source: Source) -> str:
    """The source's URL with a text fragment that scrolls to the quotation and highlights it
    (`url#:~:text=...`); '' when the source has no URL or the quotation is not in its text."""
    span = quote_span(quote, source.text) if source.url else None
    if span is None:
        return ""
    reader, start, end = span
    return fragment_url(source.url, passage_directive(reader, start, end))


def _shown(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass
class QuoteTally:
    """How many quotations were checked against a source's text, and how many of those were
    not found there."""

    checked: int = 0
    missing: int = 0

    def __iadd__(self, other: QuoteTally) -> QuoteTally:
        self.checked += other.checked
        self.missing += other.missing
        return self


def check_quotes(b: Briefing, sources: dict[str, Source], diags: Diagnostics) -> QuoteTally:
    """Check each quotation of a briefing against the clipped text of the source it cites."""
    tally = QuoteTally()
    entries = {entry.source.id: entry for entry in b.cited}
    for entry in b.cited:
        entry.quoted = []
    if b.citations is None:
        return tally
    for quote in b.citations.quotes:
        cited = [sources[i] for i in quote.ids if i in sources]
        with_text = [s for s in cited if s.text]
        if not cited:
            continue
        if not with_text:
            diags.add(b.path, quote.line, quote.col, f"quotation not checked: source "
                      f"'{cited[0].id}' has no clipped text", "info")
            continue
        tally.checked += 1
        found = next((s for s in with_text if find_quote(quote.text, s.text)), None)
        if found is not None:
            link = deep_link(quote.text, found)
            if link and found.id in entries:
                entries[found.id].quoted.append((_shown(quote.text), link))
            continue
        tally.missing += 1
        source = with_text[0]
        passage, ratio = closest_passage(quote.text, source.text)
        shown = _shown(quote.text)
        diags.warning(b.path, quote.line, quote.col,
                      f"quotation \"{shown}\" not found in source '{source.id}'; closest passage "
                      f"({ratio:.0%} alike): \"{passage}\"")
    return tally
