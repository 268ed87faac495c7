"""Deep links to a passage of a page: text fragments (`url#:~:text=start,end`) as the WICG
Text Fragments spec writes them, with a prefix when the start alone is not unique."""

from __future__ import annotations

import re
from urllib.parse import quote

__all__ = ["fragment_url", "passage_directive"]

_WORDS_WHOLE = 8  # a passage of up to this many words is given whole as textStart
_WORDS_EDGE = 4  # otherwise its first and last words are textStart and textEnd
_WORDS_CONTEXT = 3  # words of prefix (or suffix) that make an ambiguous start unique


def _encode(text: str) -> str:
    """Percent-encoded as the spec asks: everything but unreserved characters, and '-', ','
    and '&' too, since they separate the directive's parts."""
    return quote(text, safe="").replace("-", "%2D")


def _words(text: str) -> list[str]:
    return text.split()


def _count(needle: str, haystack: str) -> int:
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in _words(needle)) + r"(?!\w)"
    return len(re.findall(pattern, haystack, re.IGNORECASE))


def passage_directive(text: str, start: int, end: int) -> str:
    """The `text=` directive for text[start:end] within text (the page's visible text):
    `text=start` for a short passage, `text=first%20words,last%20words` for a long one, with
    `prefix-,` (or `,-suffix` at the very start of the page) when the start occurs more than
    once."""
    words = _words(text[start:end])
    if not words:
        raise ValueError("an empty passage has no text fragment")
    if len(words) <= _WORDS_WHOLE:
        first, last = " ".join(words), ""
    else:
        first, last = " ".join(words[:_WORDS_EDGE]), " ".join(words[-_WORDS_EDGE:])
    parts = [_encode(first)] + ([_encode(last)] if last else [])
    if _count(first, text) > 1:
        before = _words(text[:start])[-_WORDS_CONTEXT:]
        after = _words(text[end:])[:_WORDS_CONTEXT]
        if before:
            parts.insert(0, _encode(" ".join(before)) + "-")
        elif after:
            parts.append("-" + _encode(" ".join(after)))
    return "text=" + ",".join(parts)


def fragment_url(url: str, directive: str) -> str:
    """url with the directive after `:~:` in its fragment (an existing fragment is kept)."""
    base, hash_sign, fragment = url.partition("#")
    fragment = fragment.split(":~:", 1)[0] if hash_sign else ""
    return f"{base}#{fragment}:~:{directive}"
