"""Slugs for URLs: NFC, lowercase words joined by hyphens."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["is_slug", "slugify"]


def slugify(text: str) -> str:
    """'Record strikes: the truce ends' -> 'record-strikes-the-truce-ends' (letters kept, NFC)."""
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"['’‘`]", "", text)
    text = re.sub(r"[^\w]+|_+", "-", text)
    return text.strip("-")


def is_slug(text: str) -> bool:
    """True when the text is already its own slug."""
    return bool(text) and slugify(text) == text
