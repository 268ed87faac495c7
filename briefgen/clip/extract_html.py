"""HTML pages: the main text by trafilatura, the metadata from JSON-LD/Open Graph/meta tags
first and trafilatura's guesses second. The page is parsed as data; nothing in it runs."""

from __future__ import annotations

import re
from configparser import ConfigParser
from typing import Any

import lxml.html
from lxml import etree
from trafilatura import bare_extraction
from trafilatura.settings import use_config

from briefgen.clip.chrome import is_chrome
from briefgen.clip.dates import parse_date_line
from briefgen.clip.metadata import PageMeta, iso_date, read_meta
from briefgen.clip.model import Article
from briefgen.clip.tree_markdown import to_blocks

__all__ = ["decode_html", "extract_html", "safe_config"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def safe_config() -> ConfigParser:
    """trafilatura's settings with its insecure-TLS retry switched off. briefgen never lets
    trafilatura download anything (the fetching is briefgen.clip.fetch), so this is a second
    lock on a door that is already shut."""
    config = use_config()
    config.set("DEFAULT", "INSECURE_SSL_FALLBACK", "false")
    config.set("DEFAULT", "DOWNLOAD_TIMEOUT", "15")
    return config


def decode_html(raw: bytes, charset: str | None = None) -> str:
    """Text of an HTML document: the HTTP charset, else a BOM or <meta charset>, else UTF-8."""
    candidates = [charset] if charset else []
    if raw.startswith(b"\xef\xbb\xbf"):
        candidates.insert(0, "utf-8-sig")
    match = _META_CHARSET.search(raw[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii"))
    for name in [*candidates, "utf-8"]:
        try:
            return raw.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("utf-8", "replace")


def _authors(value: str) -> list[str]:
    return [name.strip() for name in re.split(r";|\s+and\s+", value) if name.strip()]


def _merge(meta: PageMeta, doc: Any, article: Article) -> None:
    def found(name: str) -> str:
        value = getattr(doc, name, None) if doc is not None else None
        return " ".join(str(value).split()) if value else ""

    article.title = meta.title or found("title")
    article.outlet = meta.outlet or found("sitename")
    article.authors = meta.authors or _authors(found("author"))
    article.published = meta.published or iso_date(found("date"))
    article.language = meta.language or found("language")[:2].lower()
    article.url = meta.url or ""


def _keep(block: str, article: Article) -> bool:
    text = block.lstrip("#> ").strip()
    if not text or text == article.title or is_chrome(text):
        return False
    if parse_date_line(text) is not None:
        return False
    return not (article.authors and re.sub(r"^(?i:by)\s+", "", text) in article.authors)


def extract_html(html: str, url: str = "") -> tuple[Article, PageMeta]:
    """The article in an HTML page; url (where it came from) resolves relative links."""
    meta = read_meta(html, url)
    base = meta.url or url
    try:
        tree: Any = lxml.html.document_fromstring(html)
    except (ValueError, etree.ParserError):
        return Article(), meta
    # A live blog is a run of sibling <article> updates; as sections of one article they are
    # all kept, in page order (trafilatura would otherwise take one update as "the" article).
    for update in tree.xpath("//article[count(../article) > 1]"):
        update.tag = "section"
    doc = bare_extraction(
        tree, url=base or None, with_metadata=True, include_comments=False,
        include_tables=True, include_formatting=True, include_links=True,
        include_images=False, config=safe_config())
    article = Article()
    _merge(meta, doc, article)
    body = getattr(doc, "body", None)
    if body is not None:
        article.paragraphs = [b for b in to_blocks(body, base) if _keep(b, article)]
    return article, meta
