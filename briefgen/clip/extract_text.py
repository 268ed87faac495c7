"""Text copied from a browser window: find the headline, date, outlet and author among the page
chrome, and keep only the article's paragraphs."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from briefgen.clip.chrome import copyright_outlet, is_chrome, is_end_marker, script_of
from briefgen.clip.dates import parse_date_line
from briefgen.clip.model import Article
from briefgen.clip.titles import match_title
from briefgen.clip.tree_markdown import escape_block_start

__all__ = ["extract_text"]

_BYLINE = re.compile(
    r"^(?:by|story by|words by|written by|text by|reporting by|author|authors|автор|авторы|"
    r"текст|материал подготовил[аи]?|подготовил[аи]?)\s*:?\s+(?P<names>.+)$", re.IGNORECASE)
_NAME = re.compile(r"^(?:[A-ZА-ЯЁ][\w'’.-]*)(?:\s+(?:[A-ZА-ЯЁ][\w'’.-]*|van|von|de|da|del|"
                   r"der|la|le|bin|al))*$")
_URL_LINE = re.compile(r"^https?://\S+$")
_SEGMENTS = re.compile(r"\s+[|·•]\s+")
_TERMINAL = ('.', '!', '?', '…', ':', ';', '"', '»', '”', "'", ')')
_ENGLISH = {"the", "and", "of", "to", "in", "is", "a", "that", "for", "on", "was", "with", "it"}


@dataclass
class _Line:
    text: str
    kind: str  # text, chrome, date, byline, end


def _names(text: str) -> list[str]:
    names = []
    for part in re.split(r"\s*(?:,|\band\b|\bи\b|&)\s*", text):
        part = part.strip(" .")
        words = part.split()
        if 2 <= len(words) <= 4 and _NAME.match(part):
            names.append(part)
    return names


def _byline(text: str) -> list[str]:
    match = _BYLINE.match(text)
    return _names(match["names"]) if match else []


def _normal(line: str) -> str:
    line = unicodedata.normalize("NFC", line).replace("\u00a0", " ").replace("\u200b", "")
    return " ".join(line.split())


def _language(body: str) -> str:
    script = script_of(body)
    if script == "cyrillic":
        return "ru"
    words = re.findall(r"[a-z]+", body.lower())
    if script == "latin" and words and sum(w in _ENGLISH for w in words) / len(words) > 0.08:
        return "en"
    return ""


def _classify(lines: list[str], main_script: str, outlet: str, article: Article,
              found_url: list[str]) -> list[_Line]:
    result: list[_Line] = []
    dates: list[tuple[str, bool]] = []
    for text in lines:
        kind = "text"
        segments = _SEGMENTS.split(text)
        date_lines = [parse_date_line(s) for s in segments]
        if _URL_LINE.match(text):
            found_url.append(text)
            kind = "chrome"
        elif copyright_outlet(text):
            kind = "chrome"
        elif is_end_marker(text):
            kind = "end"
        elif any(d is not None for d in date_lines) and all(
                d is not None or _byline(s) or is_chrome(s) for s, d in zip(
                    segments, date_lines, strict=True)):
            kind = "date"
            dates.extend((d.iso, d.updated) for d in date_lines if d is not None)
            for segment in segments:
                article.authors = article.authors or _byline(segment)
        elif _byline(text):
            kind = "byline"
            article.authors = article.authors or _byline(text)
        elif is_chrome(text) or (outlet and text.casefold() == outlet.casefold()):
            kind = "chrome"
        elif main_script and script_of(text) not in ("", main_script):
            kind = "chrome"  # a toast or widget in another language
        elif len(text.split()) == 1 and not text.endswith(_TERMINAL):
            kind = "chrome"
        elif text.isupper() and len(text.split()) <= 5:
            kind = "chrome"  # a logo or a section label in capitals
        result.append(_Line(text, kind))
    published = [iso for iso, updated in dates if not updated] or [iso for iso, _ in dates]
    article.published = published[0] if published else ""
    return result


def _bare_bylines(lines: list[_Line], article: Article) -> None:
    """A line that is only a name, right after the date line, is the author ('Marta Quill')."""
    for index, line in enumerate(lines[1:], start=1):
        if lines[index - 1].kind != "date" or line.kind != "text":
            continue
        names = _names(line.text)
        if names == [line.text.strip(" .")]:
            line.kind = "byline"
            article.authors = article.authors or names


def _first_long(lines: list[_Line]) -> int:
    """Where the article's first long paragraph is (or the end)."""
    return next((i for i, line in enumerate(lines) if line.kind == "text"
                 and len(line.text.split()) >= 20), len(lines))


def _headline_sized(text: str) -> bool:
    return 3 <= len(text.split()) <= 30


def _headline(lines: list[_Line], title: str) -> int | None:
    """Index of the headline: the line most like --title when one is given and matches; else
    the text next to the date line before the first long paragraph (the first line of the run
    just above it, or the first line after it); else the first headline-sized line."""
    limit = _first_long(lines)
    if title:
        found = match_title(title, [line.text if line.kind == "text" else "" for line in lines])
        if found is not None:
            return found
    date = next((i for i, line in enumerate(lines[:limit]) if line.kind == "date"), None)
    if date is not None:
        above: list[int] = []
        index = date - 1
        while index >= 0 and lines[index].kind in ("text", "byline"):
            if lines[index].kind == "text" and _headline_sized(lines[index].text):
                above.insert(0, index)
            index -= 1
        if above:
            return above[0]
        after = next((i for i in range(date + 1, limit) if lines[i].kind == "text"), None)
        if after is not None and _headline_sized(lines[after].text):
            return after
    return next((i for i, line in enumerate(lines) if line.kind == "text"
                 and _headline_sized(line.text)), None)


def _is_paragraph(text: str) -> bool:
    return text.endswith(_TERMINAL) or len(text.split()) >= 12


def extract_text(text: str, title: str = "", outlet: str = "") -> Article:
    """The article in a plain-text dump of a page; title and outlet, when given, are used to
    find the headline and to drop logo lines."""
    lines = [line for line in (_normal(raw) for raw in text.splitlines()) if line]
    article = Article()
    for raw_line in lines:
        article.outlet = article.outlet or copyright_outlet(raw_line)
    outlet = outlet or article.outlet
    long_lines = " ".join(text for text in lines if len(text.split()) >= 8)
    main_script = script_of(long_lines)
    found_url: list[str] = []
    classified = _classify(lines, main_script, outlet, article, found_url)
    article.url = found_url[0] if found_url else ""

    _bare_bylines(classified, article)
    start = 0
    headline = _headline(classified, title)
    if headline is not None:
        article.title = classified[headline].text
        start = headline + 1
    blocks: list[tuple[str, str]] = []  # (kind, text): paragraph or heading
    for line in classified[start:]:
        if line.kind == "end" and any(kind == "p" for kind, _ in blocks):
            break
        if line.kind != "text":
            continue
        has_paragraph = any(kind == "p" for kind, _ in blocks)
        heading = has_paragraph and not _is_paragraph(line.text)
        blocks.append(("h" if heading else "p", line.text))
    while blocks and blocks[-1][0] == "h":
        blocks.pop()  # a heading must introduce text: trailing ones are link lists
    article.paragraphs = [f"## {text}" if kind == "h" else escape_block_start(text)
                          for kind, text in blocks
                          if kind == "p" or _followed_by_paragraph(blocks, text)]
    article.language = _language(" ".join(text for _, text in blocks))
    return article


def _followed_by_paragraph(blocks: list[tuple[str, str]], heading: str) -> bool:
    for index, (kind, text) in enumerate(blocks):
        if kind == "h" and text == heading:
            return index + 1 < len(blocks) and blocks[index + 1][0] == "p"
    return False
