"""Sanitising what a page gave us before it is stored: the HTML snapshot, and any markup left in
the extracted text (nh3, the Ammonia sanitiser)."""

from __future__ import annotations

import html

import nh3

__all__ = ["sanitize_snapshot", "strip_markup"]

_TAGS = nh3.ALLOWED_TAGS | {
    "title", "meta", "article", "section", "header", "footer", "nav", "aside", "main", "time",
    "figure", "figcaption", "picture", "source", "address", "mark", "s", "u", "sub", "sup"}
_ATTRIBUTES = {
    "meta": {"name", "property", "content", "charset", "itemprop"},
    "time": {"datetime"},
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "source": {"srcset", "type"},
    "*": {"lang", "dir", "title"},
}


def sanitize_snapshot(page: str) -> str:
    """The page with scripts, styles, event handlers, forms, frames and unsafe URLs removed and
    all of its text kept, as a standalone document."""
    body = nh3.clean(page, tags=_TAGS, attributes=_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, strip_comments=True)
    return ("<!DOCTYPE html>\n<meta charset=\"utf-8\">\n"
            "<!-- snapshot kept by briefgen clip, sanitised: scripts and styles removed -->\n"
            + body.strip() + "\n")


def strip_markup(text: str) -> str:
    """Text with any HTML tags removed (script and style contents too); '<' and '&' that are not
    markup stay as they are."""
    if "<" not in text:
        return text
    return html.unescape(nh3.clean(text, tags=set(), strip_comments=True))
