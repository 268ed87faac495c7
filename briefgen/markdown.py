"""The one configured Markdown renderer: CommonMark, tables, strikethrough, footnotes, ids."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, mdTrim
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.heading import heading
from markdown_it.rules_block.lheading import lheading
from markdown_it.rules_block.paragraph import paragraph
from markdown_it.rules_block.table import table
from markdown_it.rules_core import StateCore
from markdown_it.rules_core.normalize import normalize
from markdown_it.rules_core.text_join import text_join
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.citations import CitationData, citation_end, citations_plugin, fill_citation
from briefgen.highlight import Highlights

__all__ = ["CLOBBER_NAMES", "Rendered", "create_markdown", "heading_slug", "plain_text",
           "render_markdown"]

# Names a heading id must not take: they would shadow globals or prototype properties for scripts
# that read window.<name> or document.<name> (DOM clobbering).
CLOBBER_NAMES = frozenset({
    "__proto__", "constructor", "prototype", "hasownproperty", "tostring", "valueof",
    "location", "document", "window", "self", "top", "parent", "frames", "opener", "name",
    "cookie", "domain", "forms", "images", "links", "scripts", "body", "head", "anchors",
    "embeds", "plugins", "history", "navigator", "origin", "alert", "fetch", "localstorage",
    "sessionstorage", "defaultview", "documentelement", "currentscript", "length", "status",
    "event", "external", "closed", "content", "performance", "crypto", "config", "site",
})
SUMMARY_CHARS = 240


# the ASCII characters _slug_chars drops from lowercase text, for one regex pass over it
_ASCII_DROPPED = re.compile(r"[^0-9a-z_\- ]")


def _slug_chars(text: str) -> str:
    """The letters, digits, combining marks, '_', '-' and spaces of text."""
    return "".join(ch for ch in text if ch.isalnum() or ch in "_- "
                   or unicodedata.category(ch).startswith("M"))


def heading_slug(text: str) -> str:
    """A heading id: lowercase words joined by '-', prefixed when it could clobber the DOM."""
    text = unicodedata.normalize("NFC", text.strip()).lower()
    slug = _ASCII_DROPPED.sub("", text) if text.isascii() else _slug_chars(text)
    slug = re.sub(r"[\s-]+", "-", slug).strip("-") or "section"
    if slug in CLOBBER_NAMES or slug.startswith("__") or slug[0].isdigit():
        slug = "h-" + slug
    return slug


# href="/..." or src='/...' (not protocol-relative "//host") in raw HTML an editor wrote
_RAW_ROOT_LINK = re.compile(r"""(\s(?:href|src)\s*=\s*["'])/(?!/)""", re.IGNORECASE)


def _prefix_root_links(state: StateCore) -> None:
    """Root-relative links and images get the site's base path, so sub-path deploys work: in
    Markdown links and images, and in the href/src attributes of raw HTML."""
    base_path = state.env.get("base_path", "/")
    if base_path == "/":
        return
    prefix = base_path.rstrip("/")
    for token in state.tokens:
        if token.type == "html_block":
            token.content = _RAW_ROOT_LINK.sub(rf"\g<1>{prefix}/", token.content)
        for child in token.children or ():
            if child.type == "html_inline":
                child.content = _RAW_ROOT_LINK.sub(rf"\g<1>{prefix}/", child.content)
            for attr in ("href", "src"):
                value = child.attrGet(attr)
                if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
                    child.attrSet(attr, prefix + value)


def _normalize_if_needed(state: StateCore) -> None:
    """markdown-it's normalize, skipped when there is no '\\r' or '\\0' for it to change."""
    if "\r" in state.src or "\0" in state.src:
        normalize(state)


def _text_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A block whose first line starts with a letter: only the table, setext heading and
    paragraph rules can match it (every other CommonMark block starts with a marker character or
    an indent of 4), so they are tried in their order without the nine rules between; a line
    alone (the commonest paragraph) is made a paragraph directly. One that starts with '#' goes
    to the ATX heading rule in its place among them. Never a terminator (silent), as the rules
    it stands for are tried in their own places then."""
    if silent or state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    if pos >= state.eMarks[start]:
        return False
    first = state.src[pos]
    if first == "#":
        return (table(state, start, end, False) or heading(state, start, end, False)
                or lheading(state, start, end, False) or paragraph(state, start, end, False))
    if not first.isalpha():
        return False
    following = start + 1
    if following < state.lineMax and not state.isEmpty(following):
        return (table(state, start, end, False) or lheading(state, start, end, False)
                or paragraph(state, start, end, False))
    # One line, then a blank one or the end: no table (it needs a second line), no setext
    # heading (its underline neither), so a paragraph, made here as `paragraph` makes it, and
    # the parent type left as lheading leaves it.
    state.parentType = "paragraph"
    content = mdTrim(state.getLines(start, following, state.blkIndent, False))
    state.line = following
    state.push("paragraph_open", "p", 1).map = [start, following]
    token = state.push("inline", "", 0)
    token.content = content
    token.map = [start, following]
    token.children = []
    state.push("paragraph_close", "p", -1)
    return True


# What an inline rule may match at, besides a '[' (each must start a citation) and '![' or
# '^[': an inline with none of these is text and citations only. (One character each: `in`
# finds those with memchr, several times faster than a search for two.)
_INLINE_MARKUP = ("\n", "\\", "`", "~", "*", "_", "<", "&")


def _text_and_citations(text: str, children: list[Token], cite: bool) -> bool:
    """The children markdown-it's inline rules would make of text, added when it has no markup
    but citations (which are parsed by citation_end, as the citation rule parses them): a text
    token between markers. False (nothing added) when text needs the inline rules."""
    for mark in _INLINE_MARKUP:
        if mark in text:
            return False
    if ("!" in text and "![" in text) or ("^" in text and "^[" in text):
        return False
    found: list[Token] = []
    pos = 0
    start = text.find("[")
    while start >= 0:
        end = citation_end(text, start) if cite else -1
        if end < 0:  # a '[' that does not start a citation (none holds one)
            return False
        if start > pos:
            found.append(_text_token(text[pos:start]))
        found.append(fill_citation(Token("citation", "", 0), text, start, end))
        pos = end + 1
        start = text.find("[", pos)
    if pos < len(text):
        found.append(_text_token(text[pos:]))
    children.extend(found)
    return True


def _text_token(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _inline(state: StateCore) -> None:
    """markdown-it's inline core rule, with text that has no markup but citations made into
    its tokens directly (_text_and_citations), without the inline rule chain."""
    md = state.md
    cite = "citation" in md.inline.ruler.get_active_rules()
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            if not _text_and_citations(token.content, token.children, cite):
                md.inline.parse(token.content, md, state.env, token.children)


class _Renderer(RendererHTML):
    """markdown-it's HTML renderer, its output to the byte, with the commonest tokens made
    without the calls of the general path: text (when its rule is the stock one), and block
    tags without attributes."""

    def render(self, tokens: Sequence[Token], options: OptionsDict, env: EnvType) -> str:
        """RendererHTML.render; a closing block tag (no attributes, not hidden) written here,
        as renderToken writes it."""
        rules = self.rules
        out: list[str] = []
        for i, token in enumerate(tokens):
            kind = token.type
            if kind == "inline":
                if token.children:
                    out.append(self.renderInline(token.children, options, env))
            elif kind in rules:
                out.append(rules[kind](tokens, i, options, env))
            elif token.nesting == -1 and token.block and not token.attrs and not token.hidden:
                out.append(f"</{token.tag}>\n")
            else:
                out.append(self.renderToken(tokens, i, options, env))
        return "".join(out)

    def renderInline(self, tokens: Sequence[Token], options: OptionsDict, env: EnvType) -> str:
        """RendererHTML.renderInline; a text token is escaped here, as its stock rule does."""
        rules = self.rules
        plain = getattr(rules.get("text"), "__func__", None) is RendererHTML.text
        out: list[str] = []
        for i, token in enumerate(tokens):
            kind = token.type
            if kind == "text" and plain:
                out.append(escapeHtml(token.content))
            elif kind in rules:
                out.append(rules[kind](tokens, i, options, env))
            else:
                out.append(self.renderToken(tokens, i, options, env))
        return "".join(out)

    def renderToken(self, tokens: Sequence[Token], idx: int, options: OptionsDict,
                    env: EnvType) -> str:
        """RendererHTML.renderToken, with an opening or closing block tag that has no
        attributes and is not hidden written directly (the stock code gives the same)."""
        token = tokens[idx]
        if token.attrs or token.hidden or not token.block or not token.nesting:
            return super().renderToken(tokens, idx, options, env)
        if token.nesting < 0:
            return f"</{token.tag}>\n"
        lead = "\n" if idx and tokens[idx - 1].hidden else ""
        if idx + 1 < len(tokens):
            after = tokens[idx + 1]
            if after.type == "inline" or after.hidden or (after.nesting == -1
                                                           and after.tag == token.tag):
                return f"{lead}<{token.tag}>"
        return f"{lead}<{token.tag}>\n"


def _text_join_if_needed(state: StateCore) -> None:
    """markdown-it's text_join, skipped when no inline text has a '\\' or '&': only the escape
    and entity rules make the text_special tokens it turns into text, and the inline parser
    already joined adjacent text tokens (fragments_join), so it would change nothing."""
    for token in state.tokens:
        if token.type == "inline" and ("\\" in token.content or "&" in token.content):
            text_join(state)
            return


def create_markdown(raw_html: bool = True, citations: bool = True) -> MarkdownIt:
    """The Markdown parser every page is rendered with (clipped text: no HTML, no citations)."""
    md = MarkdownIt("commonmark", {"html": raw_html, "highlight": Highlights()},
                    renderer_cls=_Renderer)
    # the stock rule rewrites every '\n' as itself: about 30 µs a briefing for nothing
    md.core.ruler.at("normalize", _normalize_if_needed)
    md.enable(["table", "strikethrough"])
    footnote_plugin(md)
    anchors_plugin(md, min_level=2, max_level=4, slug_func=heading_slug)
    if citations:
        citations_plugin(md)
    md.core.ruler.push("base_path", _prefix_root_links)
    if known_rules(md):
        # first, so that a paragraph does not go through the rules of the blocks it cannot be
        md.block.ruler.before("table", "text_block", _text_block)
        md.core.ruler.at("inline", _inline)
        md.core.ruler.at("text_join", _text_join_if_needed)
    return md


# The rules the shortcuts above were written for: _text_block knows which block rules can
# start at a letter, _text_and_citations at which characters an inline rule can match, and
# _text_join_if_needed which rules make text_special tokens.
_BLOCK_RULES = ["table", "code", "fence", "blockquote", "hr", "list", "footnote_def",
                "reference", "html_block", "heading", "lheading", "paragraph"]
_INLINE_RULES = ["text", "citation", "newline", "escape", "backticks", "strikethrough",
                 "emphasis", "link", "image", "footnote_inline", "footnote_ref", "autolink",
                 "html_inline", "entity"]


def known_rules(md: MarkdownIt) -> bool:
    """Whether md has the rules the shortcuts were written for. Another markdown-it-py or
    plugin (a rule added, renamed or enabled) parses with its own rules alone: slower, never
    different."""
    inline = md.inline.ruler.get_active_rules()
    return (md.block.ruler.get_active_rules() == _BLOCK_RULES and not md.options.get("linkify")
            and inline == [r for r in _INLINE_RULES if r != "citation" or r in inline])


@dataclass
class Rendered:
    """A Markdown body as HTML, with its first paragraph as plain text and its headings."""

    html: str
    first_paragraph: str = ""
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # (level, id, text)
    citations: CitationData = field(default_factory=CitationData)


def render_markdown(md: MarkdownIt, text: str, base_path: str = "/") -> Rendered:
    """Render a body; collect what lists and feeds need without parsing twice."""
    env: dict[str, object] = {"base_path": base_path}
    tokens = md.parse(text, env)
    html = md.renderer.render(tokens, md.options, env)
    first = ""
    headings = []
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and not first and token.level == 0:
            first = _plain(tokens[index + 1])
        elif token.type == "heading_open":
            headings.append((int(token.tag[1]), str(token.attrGet("id") or ""),
                             _plain(tokens[index + 1])))
    data = env.get("citations")
    return Rendered(html, _shorten(first), headings,
                    data if isinstance(data, CitationData) else CitationData())


def _plain(token: object) -> str:
    children = getattr(token, "children", None) or []
    parts = [" " if c.type in ("softbreak", "hardbreak") else c.content for c in children
             if c.type in ("text", "text_special", "code_inline", "softbreak", "hardbreak")]
    return " ".join("".join(parts).split())  # as re.sub(r"\s+", " ", ...).strip()


# HTML is off: front matter text is never markup, so '<b>' stays the text it is.
_INLINE = MarkdownIt("commonmark", {"html": False}).enable("strikethrough")
# Every link counts as one, whatever its scheme: only its text is kept.
_INLINE.validateLink = lambda url: True  # type: ignore[method-assign]


def plain_text(text: str) -> str:
    """Inline Markdown (front matter text such as a summary) as the plain text a reader sees, for
    meta tags and JSON-LD: link and emphasis syntax and link targets dropped, an image's alt text
    kept, HTML left as the literal text it is, whitespace collapsed.
    `[a](javascript:x) *b*` -> 'a b'; `<b>x</b>` -> '<b>x</b>'."""
    if not any(ch in text for ch in "[]*_`<>!\\&~"):
        return " ".join(text.split())
    parts: list[str] = []
    for block in _INLINE.parseInline(text):
        for child in block.children or []:
            if child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            elif child.type in ("text", "text_special", "code_inline", "image"):
                parts.append(child.content)  # an image's content is its alt text
    return " ".join("".join(parts).split())


def _shorten(text: str) -> str:
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = text[:SUMMARY_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
