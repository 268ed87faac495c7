"""Source ids for clipped articles: outlet-date-short-title, ASCII, unique in the library."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

from briefgen.slugs import slugify, transliterate_cyrillic

__all__ = ["SOURCE_ID", "make_id", "transliterate"]

SOURCE_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
_TITLE_WORDS = 5
_OUTLET_WORDS = 3


def transliterate(text: str) -> str:
    """ASCII letters for Cyrillic (a simple, readable scheme), accents dropped from Latin."""
    decomposed = unicodedata.normalize("NFKD", transliterate_cyrillic(text.lower()))
    return "".join(ch for ch in decomposed if ch.isascii())


def _words(text: str, limit: int, max_chars: int) -> str:
    words = slugify(transliterate(text)).split("-")
    result = ""
    for word in words[:limit]:
        candidate = f"{result}-{word}" if result else word
        if len(candidate) > max_chars and result:
            break
        result = candidate
    return result


def make_id(outlet: str, published: str, title: str, taken: Container[str]) -> str:
    """'The Harbour Ledger', '2026-02-04T18:25', 'Grid operator orders two new reserve plants'
    -> 'harbour-ledger-2026-02-04-grid-operator-orders-two-new'; -2, -3... when taken."""
    outlet_words = re.sub(r"^(?i:the)\s+", "", outlet.strip())
    parts = [_words(outlet_words, _OUTLET_WORDS, 30), published[:10] if published else "",
             _words(title, _TITLE_WORDS, 45)]
    base = "-".join(part for part in parts if part) or "source"
    if not SOURCE_ID.fullmatch(base):
        base = "source-" + base.strip("-._")
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate
