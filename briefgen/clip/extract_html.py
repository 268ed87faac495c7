"""HTML pages: the main text by trafilatura, the metadata from JSON-LD/Open Graph/meta tags
first and trafilatura's guesses second. The page is parsed as data; nothing in it runs."""

from __future__ import annotations

import html
import re
from configparser import ConfigParser
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import nh3
from lxml import etree
from trafilatura import bare_extraction
from trafilatura.settings import use_config

from briefgen.clip.chrome import is_chrome
from briefgen.clip.dates import parse_date_line
from briefgen.clip.metadata import PageMeta, iso_date, read_meta
from briefgen.clip.model import Article
from briefgen.clip.titles import best_title, clean_title, comparable, same_headline
from briefgen.clip.tree_markdown import escape_block_start, to_blocks

__all__ = ["decode_html", "extract_html", "safe_config"]

_HOST = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-zа-я]{2,}", re.IGNORECASE)
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


def _is_person(name: str, organisations: list[str]) -> bool:
    """Not the outlet, a publisher organisation or a host name ('gorgazeta.example')."""
    folded = comparable(name).removeprefix("the ")
    if not folded or _HOST.fullmatch(name.strip()):
        return False
    return all(folded != comparable(o).removeprefix("the ") for o in organisations if o)


def _title(meta: PageMeta, names: list[str]) -> str:
    """The longest untruncated of the page's titles (JSON-LD headline, og:title...) and its
    <h1> when the <h1> is the same headline, each without site names and dates; the <title>
    only when there is nothing else."""
    titles = [clean_title(t, names) for t in meta.titles]
    heading = clean_title(meta.heading, names)
    pool = titles or [clean_title(meta.title_tag, names)]
    if heading and any(same_headline(heading, t) for t in pool if t):
        titles.append(heading)
    return best_title(titles or pool)


def _merge(meta: PageMeta, doc: Any, article: Article, url: str) -> None:
    def found(name: str) -> str:
        value = getattr(doc, name, None) if doc is not None else None
        return " ".join(str(value).split()) if value else ""

    article.outlet = meta.outlet or found("sitename")
    article.url = meta.url or ""
    host = (urlsplit(article.url or url).hostname or "").removeprefix("www.")
    names = [article.outlet, *meta.publishers, host, found("sitename")]
    article.title = _title(meta, names) or found("title")
    authors = meta.authors or _authors(found("author"))
    article.authors = [a for a in authors if _is_person(a, names)]
    article.published = meta.published or iso_date(found("date"))
    article.language = meta.language or found("language")[:2].lower()


def _body_blocks(body: str) -> list[str]:
    """JSON-LD articleBody as paragraphs: markup and scripts removed, entities decoded."""
    text = html.unescape(nh3.clean(body, tags=set(), strip_comments=True))
    splitter = r"\n\s*\n" if re.search(r"\n\s*\n", text) else r"\n"
    blocks = (" ".join(part.split()) for part in re.split(splitter, text))
    return [escape_block_start(b) for b in blocks if b]


def _prefer_json_body(blocks: list[str], body: str) -> list[str]:
    """The JSON-LD articleBody instead of the extracted text when the latter has less than
    half its words (a page showing only a photo caption), or holds it in fewer paragraphs."""
    if not body.strip():
        return blocks
    ours = _body_blocks(body)
    words = sum(len(b.split()) for b in blocks)
    body_words = sum(len(b.split()) for b in ours)
    # trafilatura may itself fall back to articleBody, run together and with script text in it
    same = comparable(" ".join(ours)) in comparable(" ".join(blocks))
    if words * 2 < body_words or (same and len(ours) > len(blocks)):
        return ours
    return blocks


def _keep(block: str, article: Article, heading: str) -> bool:
    text = block.lstrip("#> ").strip()
    if not text or is_chrome(text):
        return False
    if comparable(text) in (comparable(article.title), comparable(heading)):
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
    _merge(meta, doc, article, base)
    body = getattr(doc, "body", None)
    blocks = to_blocks(body, base) if body is not None else []
    blocks = _prefer_json_body(blocks, meta.body)
    article.paragraphs = [b for b in blocks if _keep(b, article, meta.heading)]
    return article, meta
