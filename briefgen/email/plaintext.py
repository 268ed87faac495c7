"""The text part of an email, written from a briefing's Markdown tokens and wrapped at 72 columns.

Citations keep the numbers of the Sources list (`[1]`, `[1, p. 3]`); every other link gets the
next number after the sources (`text [5]`), each target once, and the text ends with them. A URL
or word longer than the line is never broken: it stands alone on its line.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml.etree import ParserError
from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefgen.email.markup import DROPPED, absolute

__all__ = ["WIDTH", "TextBody", "text_body", "wrap"]

WIDTH = 72


def wrap(text: str, first: str = "", rest: str = "", width: int = WIDTH) -> list[str]:
    """Text filled to `width` columns, the first line after `first`, the others after `rest`."""
    wrapper = textwrap.TextWrapper(width=width, initial_indent=first, subsequent_indent=rest,
                                   break_long_words=False, break_on_hyphens=False)
    return wrapper.wrap(text) or [first.rstrip()]


@dataclass
class TextBody:
    """A body as wrapped text lines, and the link targets it numbers from `first`."""

    lines: list[str]
    links: list[str]
    first: int


@dataclass
class _Prefix:
    """What starts each line inside a list item, blockquote or footnote."""

    first: str
    rest: str
    used: bool = False

    def take(self) -> str:
        shown = self.rest if self.used else self.first
        self.used = True
        return shown


@dataclass
class _Writer:
    page_url: str
    numbers: dict[str, int]
    first: int
    lines: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    prefixes: list[_Prefix] = field(default_factory=list)
    row: list[str] = field(default_factory=list)
    tight: list[bool] = field(default_factory=list)

    def emit(self, text_lines: list[str], tight: bool = False, verbatim: bool = False) -> None:
        """Lines of one block under the current prefixes, after a blank line unless tight."""
        if self.lines and not tight:
            self.lines.append("")
        for index, text in enumerate(text_lines):
            first = "".join(p.take() for p in self.prefixes)
            rest = "".join(p.rest for p in self.prefixes)
            if verbatim:
                chunks = textwrap.wrap(text, WIDTH - len(first), drop_whitespace=False,
                                       replace_whitespace=False) or [""]
                self.lines += [(first if i == 0 else rest) + c for i, c in enumerate(chunks)]
            else:
                self.lines += wrap(text, first if index == 0 else rest, rest)

    def number(self, url: str) -> int:
        if url not in self.links:
            self.links.append(url)
        return self.first + self.links.index(url)

    def inline(self, children: list[Token]) -> list[str]:
        """An inline token's text, split at hard breaks."""
        parts: list[str] = []
        hrefs: list[tuple[str, int, bool]] = []  # (href, where its text starts, autolink)
        for child in children:
            kind = child.type
            if kind in ("text", "text_special"):
                parts.append(child.content)
            elif kind == "code_inline":
                parts.append(f"`{child.content}`")
            elif kind == "softbreak":
                parts.append(" ")
            elif kind == "hardbreak":
                parts.append("\n")
            elif kind in ("strong_open", "strong_close"):
                parts.append("*")
            elif kind in ("em_open", "em_close"):
                parts.append("_")
            elif kind in ("s_open", "s_close"):
                parts.append("~")
            elif kind == "link_open":
                hrefs.append((str(child.attrGet("href") or ""), len(parts),
                              child.markup == "autolink"))
            elif kind == "link_close" and hrefs:
                href, _start, auto = hrefs.pop()
                url = absolute(href, self.page_url)
                if url and not auto:
                    parts.append(f" [{self.number(url)}]")
            elif kind == "image":
                url = absolute(str(child.attrGet("src") or ""), self.page_url)
                alt = child.content or "image"
                parts.append(f"[{alt}]" + (f" [{self.number(url)}]" if url else ""))
            elif kind == "citation":
                parts.append(self.citation(child))
            elif kind == "footnote_ref":
                parts.append(f"[^{child.meta['id'] + 1}]")
        return "".join(parts).split("\n")

    def citation(self, token: Token) -> str:
        citation = token.meta.get("citation")
        if citation is None:
            return token.content
        shown = []
        for item in citation.items:
            number = self.numbers.get(item.id)
            label = str(number) if number else item.id
            shown.append(label + (f", {item.locator}" if item.locator else ""))
        return "[" + "; ".join(shown) + "]"


def _html_text(html: str) -> str:
    """What a reader would see of raw HTML: its text, without scripts, styles or forms."""
    try:
        root: Any = lxml.html.fragment_fromstring(html, create_parent="div")
    except ParserError:
        return ""
    for element in list(root.iter(*DROPPED)):
        element.drop_tree()
    return " ".join(str(root.text_content()).split())


def text_body(md: MarkdownIt, markdown: str, page_url: str, numbers: dict[str, int],
              base_path: str = "/") -> TextBody:
    """A briefing's Markdown as wrapped text; `numbers` are its sources' numbers by id, and links
    are numbered after them."""
    tokens = md.parse(markdown, {"base_path": base_path})
    out = _Writer(page_url, numbers, len(numbers) + 1)
    tight_next = False
    rows = 0  # table rows written so far
    for index, token in enumerate(tokens):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            out.tight.append(False)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            out.tight.pop()
        elif kind == "list_item_open":
            marker = f"{token.info}{token.markup} " if token.info else f"{token.markup} "
            out.prefixes.append(_Prefix(marker, " " * len(marker)))
        elif kind == "paragraph_open" and token.hidden and out.tight:
            tight_next = out.tight[-1]
            out.tight[-1] = True
        elif kind == "blockquote_open":
            out.prefixes.append(_Prefix("> ", "> "))
        elif kind == "footnote_open":
            marker = f"[^{token.meta['id'] + 1}] "
            out.prefixes.append(_Prefix(marker, " " * len(marker)))
        elif kind in ("list_item_close", "blockquote_close", "footnote_close"):
            out.prefixes.pop()
        elif kind == "inline" and token.children is not None:
            opener = tokens[index - 1]
            if opener.type in ("th_open", "td_open"):
                out.row.append(" ".join(out.inline(token.children)))
                continue
            text = out.inline(token.children)
            out.emit(text, tight=tight_next)
            tight_next = False
            if opener.type == "heading_open":
                width = max(len(line) for line in wrap(" ".join(text)))
                out.emit(["=" * width if opener.tag == "h1" else "-" * width], tight=True,
                         verbatim=True)
        elif kind in ("fence", "code_block"):
            out.emit(["    " + line for line in token.content.rstrip("\n").split("\n")],
                     verbatim=True)
        elif kind == "hr":
            out.emit(["* * *"])
        elif kind == "html_block":
            shown = _html_text(token.content)
            if shown:
                out.emit([shown])
        elif kind == "table_open":
            rows = 0
        elif kind == "tr_close":
            out.emit([" | ".join(out.row)], tight=rows > 0)
            out.row, rows = [], rows + 1
        elif kind == "thead_close":
            out.emit(["-" * min(WIDTH, len(out.lines[-1]))], tight=True, verbatim=True)
    return TextBody(out.lines, out.links, out.first)
