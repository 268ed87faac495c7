"""Citations: the `[@id]` markdown-it plugin, numbering, back-links and quotations to check.

Syntax: `[@id]`, `[@a; @b]`, `[@id, p. 3]`, `[@id, "locator text"]`; `\\[@` is a literal bracket;
nothing is parsed inside code. Sources are numbered in order of first citation. A marker renders as
superscript links `#source.N`; entry N links back to each marker `#cite.N.K`. Heading ids never
contain '.', so these ids cannot collide with them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

__all__ = [
    "Citation",
    "CitationData",
    "CiteItem",
    "Quote",
    "citation_end",
    "citations_plugin",
    "fill_citation",
]

_ID = r"[a-z0-9][a-z0-9._-]*"
_ITEM = re.compile(rf"\s*@({_ID})(?:\s*,\s*(\"[^\"]*\"|[^;\]]*?))?\s*")
_SINGLE = re.compile(rf"@({_ID})")  # one id, nothing around it
_SEMICOLON = re.compile(r';(?=(?:[^"]*"[^"]*")*[^"]*$)')  # a ';' outside "quoted locators"
_OPEN_QUOTES = "\"“«„"
_CLOSE_QUOTES = "\"”»“"
_INLINE_QUOTE = re.compile(r"[\"“«„]([^\"“”«»„]{3,}?)[\"”»“][\s.,;:]*$")
_QUOTE_TAIL = ".,;:"  # what may stand with spaces between a quotation's closing mark and a marker
# a sentence's end and the spaces after it (group 1): the end mark is matched rather than looked
# behind for, as the regex engine then skips to the next mark instead of trying every position
_SENTENCE_END = re.compile(r"[.!?…](\s+)(?=[A-Z0-9\"“«А-Я])")
_SPACE_PUNCT = re.compile(r" ([.,;:!?])")  # in text whose spaces are single ' '
MAX_CITATION = 500


@dataclass(slots=True)
class CiteItem:
    """One source in a marker, with its locator ('p. 3') if any."""

    id: str
    locator: str = ""


@dataclass(slots=True)
class Citation:
    """One marker in the text; line/col are 1-based within the Markdown body."""

    items: list[CiteItem]
    line: int = 0
    col: int = 0
    # the sentence the marker stands in, as plain text: only for a marker that cites a source
    # for the first time (the one sentence a source page shows), "" for the others
    context: str = ""
    anchors: list[str] = field(default_factory=list)  # one back-link id per item


@dataclass(slots=True)
class Quote:
    """A quotation immediately followed by a citation, to be found in the source's text."""

    text: str
    ids: list[str]
    line: int
    col: int


@dataclass
class CitationData:
    """What the plugin found in one body: markers, numbering, quotations, syntax problems.

    The build state keeps only what the site model reads (numbering, where each source is cited,
    the sentence of its first citation, locators, quotations, problems): read back, `citations`
    is empty and the methods below answer from that summary."""

    citations: list[Citation] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # source ids by number - 1
    quotes: list[Quote] = field(default_factory=list)
    problems: list[tuple[int, int, str]] = field(default_factory=list)

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickle the summary as plain tuples: a few objects per briefing, not one per marker."""
        quotes = tuple((q.text, tuple(q.ids), q.line, q.col) for q in self.quotes)
        return (_unpack, (tuple(self.order), quotes, tuple(self.problems), *self._summary()))

    def _summary(self) -> tuple[tuple[int, ...], tuple[str, ...], dict[str, tuple[str, ...]]]:
        """(number - 1, line, col) of every cited item in text order, flattened; the sentence
        of each source's first citation, by number - 1; each source's distinct locators."""
        kept: tuple[tuple[int, ...], tuple[str, ...], dict[str, tuple[str, ...]]] | None = \
            self.__dict__.get("_kept")
        if kept is not None:
            return kept
        number = {sid: index for index, sid in enumerate(self.order)}
        uses: list[int] = []
        contexts: dict[str, str] = {}
        locators: dict[str, list[str]] = {}
        for citation in self.citations:
            for item in citation.items:
                uses += (number[item.id], citation.line, citation.col)
                contexts.setdefault(item.id, citation.context)
                if item.locator and item.locator not in locators.setdefault(item.id, []):
                    locators[item.id].append(item.locator)
        return (tuple(uses), tuple(contexts.get(sid, "") for sid in self.order),
                {sid: tuple(found) for sid, found in locators.items() if found})

    def compact(self) -> None:
        """Keep only the summary (as the build state does): let go of the markers."""
        self.__dict__["_kept"] = self._summary()
        self.citations = []

    def shifted(self, lines: int) -> CitationData:
        """The same data with line numbers moved down (body lines -> file lines)."""
        for citation in self.citations:
            citation.line += lines
        for quote in self.quotes:
            quote.line += lines
        self.problems = [(line + lines, col, msg) for line, col, msg in self.problems]
        return self

    def number(self, source_id: str) -> int:
        return self.order.index(source_id) + 1

    def by_source(self) -> dict[str, tuple[list[str], list[str]]]:
        """Source id -> (every back-link anchor that cites it, its distinct locators), in text
        order."""
        uses, _contexts, locators = self._summary()
        counts = [0] * len(self.order)
        for index in uses[::3]:
            counts[index] += 1
        return {sid: ([f"cite.{n}.{k}" for k in range(1, counts[n - 1] + 1)],
                      list(locators.get(sid, ())))
                for n, sid in enumerate(self.order, 1) if counts[n - 1]}

    def cited_at(self) -> list[tuple[str, int, int]]:
        """(source id, line, col) of every cited item, in text order."""
        uses = self._summary()[0]
        return [(self.order[uses[i]], uses[i + 1], uses[i + 2]) for i in range(0, len(uses), 3)]

    def context(self, source_id: str) -> str:
        """The sentence of the first citation of a source ('' if it is not cited)."""
        contexts = self._summary()[1]
        return contexts[self.order.index(source_id)] if source_id in self.order else ""

    def backrefs(self, source_id: str) -> list[str]:
        """Every back-link anchor that cites the source, in text order."""
        return self.by_source().get(source_id, ([], []))[0]

    def locators(self, source_id: str) -> list[str]:
        return self.by_source().get(source_id, ([], []))[1]


def _unpack(order: tuple[str, ...], quotes: tuple[tuple[str, tuple[str, ...], int, int], ...],
            problems: tuple[tuple[int, int, str], ...], uses: tuple[int, ...],
            contexts: tuple[str, ...], locators: dict[str, tuple[str, ...]]) -> CitationData:
    data = CitationData([], list(order),
                        [Quote(text, list(ids), line, col) for text, ids, line, col in quotes],
                        list(problems))
    data.__dict__["_kept"] = (uses, contexts, locators)
    return data


def _parse_items(inner: str) -> list[CiteItem] | None:
    single = _SINGLE.fullmatch(inner)
    if single is not None:  # '@id', the commonest marker: what _parse_item_list makes of it
        return [CiteItem(single.group(1))]
    return _parse_item_list(inner)


def _parse_item_list(inner: str) -> list[CiteItem] | None:
    """The items of a marker's inside ('@a, p. 3; @b'), or None when one is not an item."""
    items = []
    for part in _SEMICOLON.split(inner):
        match = _ITEM.fullmatch(part)
        if not match:
            return None
        locator = (match.group(2) or "").strip()
        if locator.startswith('"') and locator.endswith('"') and len(locator) >= 2:
            locator = locator[1:-1].strip()
        items.append(CiteItem(match.group(1), locator))
    return items


def citation_end(src: str, pos: int) -> int:
    """Where the citation marker at pos ends (the offset of its ']'), -1 if none starts there."""
    if not src.startswith("[@", pos):
        return -1
    end = src.find("]", pos + 2)
    if end < 0 or end - pos > MAX_CITATION or "[" in src[pos + 1:end]:
        return -1
    # a Markdown link like [@name](url) or [@name][ref]: not ours; [@a][@b] is two citations
    if src.startswith(("(", "["), end + 1) and not src.startswith("[@", end + 1):
        return -1
    return end


def fill_citation(token: Token, src: str, pos: int, end: int) -> Token:
    """Give a citation token pushed for the marker src[pos:end + 1] its content and meta."""
    raw = src[pos:end + 1]
    token.meta = {"items": _parse_items(src[pos + 1:end]), "raw": raw, "offset": pos}
    token.content = raw
    return token


def _citation_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    end = citation_end(src, pos)
    if end < 0:
        return False
    if not silent:
        fill_citation(state.push("citation", "", 0), src, pos, end)
    state.pos = end + 1
    return True


def _plain_children(children: list[Token]) -> tuple[str, list[tuple[int, Token]]]:
    """Plain text of an inline token, and where in it each citation stands."""
    parts: list[str] = []
    marks: list[tuple[int, Token]] = []
    size = 0
    for child in children:
        if child.type == "citation":
            marks.append((size, child))
            continue
        text = child.content if child.type in ("text", "text_special", "code_inline") else (
            " " if child.type in ("softbreak", "hardbreak") else "")
        parts.append(text)
        size += len(text)
    return "".join(parts), marks


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a paragraph's plain text: split at the spaces after a
    sentence's end (group 1 of _SENTENCE_END)."""
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        bounds.append((start, match.start(1)))
        start = match.end(1)
    bounds.append((start, len(text)))
    return bounds


def _sentence(text: str, bounds: list[tuple[int, int]], at: int) -> str:
    """The sentence a marker at `at` stands in (a marker ends the sentence it follows)."""
    index = max(0, bisect.bisect_left(bounds, (at, at)) - 1)
    while index + 1 < len(bounds) and bounds[index + 1][0] < at:
        index += 1
    start, end = bounds[index]
    # runs of whitespace as one space, none at the ends (str.split and regex \s agree on what
    # whitespace is), then none before punctuation; a search first, as most have none
    sentence = " ".join(text[start:end].split())
    return _SPACE_PUNCT.sub(r"\1", sentence) if _SPACE_PUNCT.search(sentence) else sentence


def _position(lines: list[str], first_line: int, content: str, offset: int,
              raw: str) -> tuple[int, int]:
    line = first_line + content.count("\n", 0, offset)
    source_line = lines[line] if 0 <= line < len(lines) else ""
    # the content line sits in the source line after its prefix ("> ", "- ", "| "...); the
    # marker's column within it tells repeated markers on one line apart
    line_start = content.rfind("\n", 0, offset) + 1
    line_end = content.find("\n", offset)
    content_line = content[line_start:line_end if line_end >= 0 else len(content)]
    prefix = 0 if source_line.startswith(content_line) else source_line.find(content_line)
    col = prefix + offset - line_start
    if prefix < 0 or not source_line.startswith(raw, col):
        col = source_line.find(raw)
    return line + 1, (col + 1 if col >= 0 else 1)


def _strip_quotes(text: str) -> str:
    text = text.strip()
    if len(text) > 1 and text[0] in _OPEN_QUOTES and text[-1] in _CLOSE_QUOTES:
        text = text[1:-1].strip()
    return text


def _collect(state: StateCore) -> None:
    data = CitationData()
    state.env["citations"] = data
    lines = state.src.split("\n")
    numbers: dict[str, int] = {}  # source id -> its number, as data.order has it
    counts: dict[str, int] = {}
    quote_stack: list[list[Token]] = []
    quote_of: dict[int, Quote] = {}  # id(citation) -> the inline quotation it ends
    for token in state.tokens:
        kind = token.type
        if kind == "inline":
            if not token.children:
                continue
            for inlines in quote_stack:
                inlines.append(token)
            for child in token.children:
                if child.type == "citation":
                    _collect_inline(token, lines, data, (numbers, counts), quote_of)
                    break
        elif kind == "blockquote_open":
            quote_stack.append([])
        elif kind == "blockquote_close":
            _blockquote_quote(quote_stack.pop(), data, lines, quote_of)


def _collect_inline(token: Token, lines: list[str], data: CitationData,
                    tally: tuple[dict[str, int], dict[str, int]],
                    quote_of: dict[int, Quote]) -> None:
    """The citations of one inline token (one at least): their positions, numbers, back-link
    anchors, the sentence of a first citation and the quotations they end. tally: each source's
    number and how many times it was cited so far."""
    first_line = token.map[0] if token.map else 0
    content = token.content
    plain, marks = _plain_children(token.children or [])
    bounds: list[tuple[int, int]] | None = None  # the sentences, found when first needed
    one_line = _OneLine(lines, first_line, content) if "\n" not in content else None
    for at, child in marks:
        meta = child.meta
        line, col = (one_line.position(meta["offset"], meta["raw"]) if one_line is not None
                     else _position(lines, first_line, content, meta["offset"], meta["raw"]))
        meta["line"], meta["col"] = line, col
        items: list[CiteItem] | None = meta["items"]
        if items is None:
            data.problems.append((line, col, f"malformed citation {meta['raw']!r}: "
                                  "write [@id], [@a; @b] or [@id, p. 3] "
                                  "(or \\[@ for a literal bracket)"))
            continue
        context = ""
        if any(item.id not in tally[0] for item in items):
            bounds = _sentences(plain) if bounds is None else bounds
            context = _sentence(plain, bounds, at)
        citation = Citation(items, line, col, context)
        _number(citation, data, *tally)
        meta["citation"] = citation
        data.citations.append(citation)
        quoted = _inline_quote(plain, at)
        if quoted is not None:
            start = _quote_start(content, meta["offset"])
            q_line, q_col = (line, col) if start < 0 else _position(
                lines, first_line, content, start, _first_line_of(content, start))
            quote = Quote(quoted.strip(), [i.id for i in items], q_line, q_col)
            data.quotes.append(quote)
            quote_of[id(citation)] = quote


def _number(citation: Citation, data: CitationData, numbers: dict[str, int],
            counts: dict[str, int]) -> None:
    """Number the sources a citation cites first, and give it a back-link anchor per item."""
    for item in citation.items:
        sid = item.id
        number = numbers.get(sid)
        if number is None:
            data.order.append(sid)
            number = numbers[sid] = len(data.order)
        count = counts[sid] = counts.get(sid, 0) + 1
        citation.anchors.append(f"cite.{number}.{count}")


class _OneLine:
    """_position for the markers of an inline token on one line: where its text sits in the
    source line is found once."""

    def __init__(self, lines: list[str], first_line: int, content: str) -> None:
        self.line = first_line + 1
        self.source = lines[first_line] if 0 <= first_line < len(lines) else ""
        # (startswith first: a top-level paragraph starts its line, and a compare costs less)
        self.prefix = 0 if self.source.startswith(content) else self.source.find(content)

    def position(self, offset: int, raw: str) -> tuple[int, int]:
        """(line, col) of the marker raw at offset in the token's content, as _position."""
        col = self.prefix + offset
        if self.prefix < 0 or not self.source.startswith(raw, col):
            col = self.source.find(raw)
        return self.line, (col + 1 if col >= 0 else 1)


def _inline_quote(plain: str, at: int) -> str | None:
    """The quotation _INLINE_QUOTE finds ending just before `at` (group 1), or None; searched
    only when the last character before `at` that is not a space or '.,;:' is a closing mark."""
    end = at
    while end and (plain[end - 1].isspace() or plain[end - 1] in _QUOTE_TAIL):
        end -= 1
    if not end or plain[end - 1] not in _CLOSE_QUOTES:
        return None  # `[\s.,;:]*$` cannot reach back to a closing mark: no match
    quoted = _INLINE_QUOTE.search(plain[:at])
    return quoted.group(1) if quoted else None


def _quote_start(content: str, offset: int) -> int:
    """Offset in an inline's source of the first character of the quotation that ends just
    before the citation at offset (after its opening quotation mark); -1 when not found."""
    before = content[:offset].rstrip(" \t\n.,;:")
    close = len(before) - 1
    if close < 0 or before[close] not in _CLOSE_QUOTES:
        return -1
    opening = max(before.rfind(mark, 0, close) for mark in _OPEN_QUOTES)
    if opening < 0:
        return -1
    start = opening + 1
    while start < close and content[start] in " \t\n":
        start += 1
    return start


def _first_line_of(content: str, start: int) -> str:
    end = content.find("\n", start)
    return content[start:end if end >= 0 else len(content)]


def _blockquote_quote(inlines: list[Token], data: CitationData, lines: list[str],
                      quote_of: dict[int, Quote]) -> None:
    """A blockquote whose last paragraph ends with a citation quotes that source; the quotation
    starts at the blockquote's first character (after an opening quotation mark)."""
    if not inlines or not inlines[-1].children:
        return
    children = [c for c in inlines[-1].children
                if not (c.type == "text" and not c.content.strip())]
    last = children[-1] if children else None
    if last is None or last.type != "citation" or "citation" not in last.meta:
        return
    texts = [_plain_children(t.children or [])[0] for t in inlines]
    text = _strip_quotes(" ".join(t.strip() for t in texts if t.strip()))
    citation: Citation = last.meta["citation"]
    first = inlines[0]
    content = first.content
    start = len(content) - len(content.lstrip())
    if content[start:start + 1] in tuple(_OPEN_QUOTES) and text != content.strip():
        start += 1
        while start < len(content) and content[start] in " \t":
            start += 1
    line, col = _position(lines, first.map[0] if first.map else 0, content, start,
                          _first_line_of(content, start))
    quote = Quote(text, [i.id for i in citation.items], line, col)
    # the same text may already be recorded as an inline quotation
    inline = quote_of.get(id(citation))
    data.quotes = [q for q in data.quotes if q is not inline]
    data.quotes.append(quote)


def _render(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict,
            env: EnvType) -> str:
    token = tokens[idx]
    citation: Citation | None = token.meta.get("citation")
    if citation is None:
        return escapeHtml(token.content)
    data: CitationData = env["citations"]
    links = []
    for item, anchor in zip(citation.items, citation.anchors, strict=True):
        number = data.number(item.id)
        # "Source N" has nothing to escape
        label = f"Source {number}, {escapeHtml(item.locator)}" if item.locator else \
            f"Source {number}"
        links.append(f'<a href="#source.{number}" id="{anchor}" '
                     f'aria-label="{label}">{number}</a>')
    return f'<sup class="citation">[{", ".join(links)}]</sup>'


def citations_plugin(md: MarkdownIt) -> None:
    """Parse `[@id]` citations into numbered, back-linked markers (see the module docstring)."""
    # right after `text`: none of the rules between it and `link` matches at a '[', so trying
    # this one first there finds the same tokens with fewer calls
    md.inline.ruler.after("text", "citation", _citation_rule)
    md.core.ruler.after("inline", "citations", _collect)
    md.add_render_rule("citation", _render)
