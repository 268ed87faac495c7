"""What a reader reads of a source's clipped Markdown: the text without markup, entities
decoded, one block a line; what quotations are checked against."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

__all__ = ["reader_text"]

_TAG = re.compile(r"<[^>]*>")
_SKIPPED = {"image", "html_inline"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _inline(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type not in _SKIPPED:
            parts.append(child.content)
    return "".join(parts)


def reader_text(markdown: str) -> str:
    """The text of Markdown as a reader sees it: link text without its URL, emphasis without
    its stars, HTML tags removed and entities decoded; each block on a line of its own."""
    lines = []
    for token in _parser().parse(markdown):
        if token.type == "inline":
            lines.append(_inline(token.children or []))
        elif token.type in ("code_block", "fence"):
            lines.append(token.content)
        elif token.type == "html_block":
            lines.append(html.unescape(_TAG.sub(" ", token.content)))
    return "\n".join(line for line in lines if line.strip())
