"""Slugs for URLs: NFC, lowercase words joined by hyphens; Cyrillic transliterated by default."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["SLUG_MODES", "is_slug", "slugify", "transliterate_cyrillic"]

SLUG_MODES = ("transliterate", "unicode")

# A simple, readable scheme close to the one Russian passports use (ICAO 9303): zh, kh, ts, ch,
# sh, shch; the hard and soft signs are dropped. Ukrainian and Belarusian letters included.
_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r",
     "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia", "i", "i",
     "ie", "g", "u"], strict=True))


def transliterate_cyrillic(text: str) -> str:
    """Latin letters for the Cyrillic ones in lowercase text; every other character kept."""
    return "".join(_CYRILLIC.get(ch, ch) for ch in text)


def slugify(text: str, mode: str = "transliterate") -> str:
    """'Record strikes: the truce ends' -> 'record-strikes-the-truce-ends'; 'Конец перемирия' ->
    'konets-peremiriia' (or 'конец-перемирия' with mode 'unicode'). Other scripts are kept, NFC."""
    text = unicodedata.normalize("NFC", text).lower()
    if mode == "transliterate":
        text = transliterate_cyrillic(text)
    text = re.sub(r"['’‘`]", "", text)
    # Combining marks stay: Devanagari vowel signs or Arabic harakat are part of the word.
    text = "".join(ch if ch.isalnum() or _is_mark(ch) else "-" for ch in text)
    return re.sub(r"-+", "-", text).strip("-")


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def is_slug(text: str, mode: str = "transliterate") -> bool:
    """True when the text is already its own slug."""
    return bool(text) and slugify(text, mode) == text
