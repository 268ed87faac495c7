"""The renderer's shortcuts give markdown-it's own tokens: each is compared with the stock rule
chain (CommonMark, footnotes, anchors, citations placed where they were) on random text."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from briefgen import citations
from briefgen.highlight import Highlights
from briefgen.markdown import (
    _ASCII_DROPPED,
    _prefix_root_links,
    _slug_chars,
    create_markdown,
    heading_slug,
    known_rules,
)

FAST = create_markdown()
FAST_CLIPPED = create_markdown(raw_html=False, citations=False)


def stock_markdown(raw_html: bool = True, cite: bool = True) -> MarkdownIt:
    """create_markdown as it is without its shortcuts: every rule markdown-it's own."""
    md = MarkdownIt("commonmark", {"html": raw_html, "highlight": Highlights()})
    md.enable(["table", "strikethrough"])
    footnote_plugin(md)
    anchors_plugin(md, min_level=2, max_level=4, slug_func=heading_slug)
    if cite:
        md.inline.ruler.before("link", "citation", citations._citation_rule)
        md.core.ruler.after("inline", "citations", citations._collect)
        md.add_render_rule("citation", citations._render)
    md.core.ruler.push("base_path", _prefix_root_links)
    return md


STOCK = stock_markdown()
STOCK_CLIPPED = stock_markdown(raw_html=False, cite=False)
FAST_NO_HTML = create_markdown(raw_html=False)  # a site with raw_html: false
STOCK_NO_HTML = stock_markdown(raw_html=False)

# Pieces that start (or almost start) every kind of block and inline markup, and plain text.
PIECES = [
    "a", "Word", "é", "ß", " ", "  ", "\t", "\n", "\n\n", "    ", ".", ",", ":", "-", "--",
    "---", "===", "+", "*", "**", "_", "`", "```", "~", "~~", "~~~", "#", "## ", "> ", "- ",
    "1. ", "2) ", "|", " | ", "|---|", "\\", "\\[", "!", "^", "[", "]", "(", ")", "<", ">",
    "<b>", "</b>", "<!-- c -->", "<div>", "&amp;", "&", "@", "[@a]", "[@b, p. 3]",
    "[@a; @b]", "[@c, \"x; y\"]", "[@", "[@a](/x)", "[@a][r]", "[@a][@b]", "[@A]", "[@a_b]",
    "[x](/y)", "![i](/z.png)", "[^1]", "[^1]: note", "^[inline]", "[r]: /ref", "<http://a.b>",
    "^[@a]", "![@a]", "# a | b\n|-|-|\n", "a | b\n|-|-|\n",
    "\"", "“", "”", "«", "»", "Quote.", " A", "1",
]
texts = st.lists(st.sampled_from(PIECES), max_size=50).map("".join)


def _state(md: MarkdownIt, text: str, base_path: str) -> tuple[list[Token], str, Any]:
    """Tokens, HTML and the whole env. The footnote rules give the env an empty footnote table
    whenever the inline rule chain tries them, which the shortcut does not: one that is still
    empty is taken out (nothing reads it: footnote_tail stops at once without footnotes)."""
    env: dict[str, Any] = {"base_path": base_path}
    tokens = md.parse(text, env)
    html = md.renderer.render(tokens, md.options, env)
    if env.get("footnotes") == {"refs": {}, "list": {}}:
        del env["footnotes"]
    return tokens, html, env


@settings(max_examples=3000, deadline=None)
@given(texts, st.sampled_from(["/", "/sub/"]))
def test_tokens_html_and_citations_are_the_stock_ones(text: str, base_path: str) -> None:
    assert _state(FAST, text, base_path) == _state(STOCK, text, base_path)


@settings(max_examples=1000, deadline=None)
@given(texts)
def test_clipped_text_tokens_are_the_stock_ones(text: str) -> None:
    assert _state(FAST_CLIPPED, text, "/") == _state(STOCK_CLIPPED, text, "/")


@settings(max_examples=1000, deadline=None)
@given(texts)
def test_tokens_without_raw_html_are_the_stock_ones(text: str) -> None:
    assert _state(FAST_NO_HTML, text, "/") == _state(STOCK_NO_HTML, text, "/")


def test_the_shortcuts_are_taken() -> None:
    """A paragraph of text and citations, and a heading: the shortcuts' own cases."""
    text = "## Head\n\nSome text [@a] and more [@b, p. 3].\n"
    assert _state(FAST, text, "/") == _state(STOCK, text, "/")
    # a table whose head starts with '#' or a letter, a setext heading, lazy lines
    for text in ["# a | b\n|---|---|\n| c | d |\n", "a | b\n|---|---|\nc | d\n",
                 "#a\nb\n===\n", "Title\n---\n", "> a\nb\n\n- c\nd\n"]:
        assert _state(FAST, text, "/") == _state(STOCK, text, "/"), text
    assert "text_block" in FAST.block.ruler.get_active_rules()


def test_ascii_slug_regex_keeps_what_the_character_test_keeps() -> None:
    """Both drop character by character: the same on each lowercase ASCII one, so on all."""
    for char in map(chr, range(128)):
        lowered = char.lower()
        assert _ASCII_DROPPED.sub("", lowered) == _slug_chars(lowered), repr(char)


def test_the_shortcuts_are_taken_only_with_the_rules_they_know(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from briefgen import markdown

    assert "text_block" in FAST.block.ruler.get_active_rules()
    assert not known_rules(FAST)  # (its rules are no longer markdown-it's alone)

    def with_a_rule_of_mine(md: MarkdownIt) -> None:
        citations.citations_plugin(md)
        md.inline.ruler.push("mine", lambda state, silent: False)

    monkeypatch.setattr(markdown, "citations_plugin", with_a_rule_of_mine)
    md = create_markdown()
    assert "text_block" not in md.block.ruler.get_active_rules()
    assert md.core.ruler.get_active_rules() == STOCK.core.ruler.get_active_rules()


def test_another_markdown_it_parses_with_its_own_rules_alone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A markdown-it-py whose block rules are not those the shortcuts know (as a new release
    could have) gets none of them, and renders what the stock chain renders."""
    from briefgen import markdown

    monkeypatch.setattr(markdown, "_BLOCK_RULES", [*markdown._BLOCK_RULES, "a_new_rule"])
    md = create_markdown()
    assert "text_block" not in md.block.ruler.get_active_rules()
    text = "A [@src-1] line.\n\n# Head\n\nTwo *words* and [@src-2, p. 4].\n"
    assert _state(md, text, "/") == _state(STOCK, text, "/")
