"""Slugs for URLs: NFC, lowercase words joined by hyphens."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["is_slug", "slugify"]


def slugify(text: str) -> str:
    """'Record strikes: the truce ends' -> 'record-strikes-the-truce-ends' (letters kept, NFC)."""
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"['’‘`]", "", text)
    # Combining marks stay: Devanagari vowel signs or Arabic harakat are part of the word.
    text = "".join(ch if ch.isalnum() or _is_mark(ch) else "-" for ch in text)
    return re.sub(r"-+", "-", text).strip("-")


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def is_slug(text: str) -> bool:
    """True when the text is already its own slug."""
    return bool(text) and slugify(text) == text
