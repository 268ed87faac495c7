"""Article metadata from a page's JSON-LD, Open Graph and meta tags, read as data only."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html

from briefgen.clip.dates import parse_date_line

__all__ = ["PageMeta", "iso_date", "read_meta"]

_ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "opinionnewsarticle",
                  "analysisnewsarticle", "backgroundnewsarticle", "reviewnewsarticle",
                  "liveblogposting", "blogposting", "socialmediaposting", "scholarlyarticle",
                  "report", "techarticle"}
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|::|·)\s+")


@dataclass
class PageMeta:
    """What the page says about itself; empty strings where it says nothing."""

    title: str = ""
    outlet: str = ""
    url: str = ""
    authors: list[str] = field(default_factory=list)
    published: str = ""
    language: str = ""
    title_tag: str = ""  # the <title> text, which often ends with the site name
    json_ld: list[Any] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # JSON-LD headline, og:title..., as given
    heading: str = ""  # the page's first <h1>
    body: str = ""  # JSON-LD articleBody: plain text, may hold markup
    publishers: list[str] = field(default_factory=list)  # JSON-LD publisher names


def iso_date(value: str) -> str:
    """'2026-02-04T18:25:00Z' -> '2026-02-04T18:25:00+00:00'; a bare date stays a date; ''
    when value is not an ISO date."""
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        match = re.match(r"\d{4}-\d{2}-\d{2}", value)
        return match.group() if match else ""
    return parsed.replace(microsecond=0).isoformat()


def _text(value: Any) -> str:
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value") or "")
    if isinstance(value, list) and value:
        return _text(value[0])
    return ""


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = _text(item)
        if name and not name.startswith(("http://", "https://")) and name not in names:
            names.append(name)
    return names


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _walk(item)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity"):
            if key in data:
                yield from _walk(data[key])


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def _from_json_ld(blocks: list[Any], meta: PageMeta, base: str) -> None:
    for item in (i for block in blocks for i in _walk(block)):
        if not _types(item) & _ARTICLE_TYPES:
            continue
        headline = _text(item.get("headline") or item.get("name"))
        meta.title = meta.title or headline
        if headline and headline not in meta.titles:
            meta.titles.append(headline)
        meta.authors = meta.authors or _names(item.get("author", []))
        meta.outlet = meta.outlet or _text(item.get("publisher"))
        meta.publishers += _names(item.get("publisher", []))
        body = item.get("articleBody")
        if isinstance(body, str) and len(body) > len(meta.body):
            meta.body = body
        meta.published = meta.published or iso_date(_text(
            item.get("datePublished") or item.get("coverageStartTime") or item.get("dateCreated")))
        meta.language = meta.language or _text(item.get("inLanguage"))
        page = item.get("url") or item.get("mainEntityOfPage")
        if isinstance(page, dict):
            page = page.get("@id") or page.get("url")
        if isinstance(page, str) and not meta.url:
            meta.url = urljoin(base, page)
    for item in (i for block in blocks for i in _walk(block)):
        if _types(item) & {"website", "newsmediaorganization", "organization"} and not meta.outlet:
            meta.outlet = _text(item.get("name"))


def _language(code: str) -> str:
    code = code.strip().replace("_", "-")
    match = re.fullmatch(r"([A-Za-z]{2,3})(?:-[A-Za-z0-9]{2,8})*", code)
    return match.group(1).lower() if match else ""


def read_meta(html: str, base_url: str = "") -> PageMeta:
    """JSON-LD first, then Open Graph, then plain meta tags and <link rel=canonical>."""
    meta = PageMeta()
    try:
        root: Any = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return meta
    for script in root.xpath('//script[@type="application/ld+json"]'):
        try:
            meta.json_ld.append(json.loads(script.text or ""))
        except (ValueError, RecursionError):
            continue
    _from_json_ld(meta.json_ld, meta, base_url)

    def tag(*names: str) -> str:
        for name in names:
            for attr in ("property", "name", "itemprop", "http-equiv"):
                for value in root.xpath(f'//meta[@{attr}="{name}"]/@content'):
                    if str(value).strip():
                        return " ".join(str(value).split())
        return ""

    title_tag = root.findtext(".//title") or ""
    meta.title_tag = " ".join(title_tag.split())
    meta.title = meta.title or tag("og:title", "twitter:title", "dc.title", "headline")
    for name in ("og:title", "twitter:title", "dc.title", "headline"):
        found = tag(name)
        if found and found not in meta.titles:
            meta.titles.append(found)
    for heading in root.xpath("//body//h1"):
        meta.heading = " ".join(heading.text_content().split())
        if meta.heading:
            break
    meta.outlet = meta.outlet or tag("og:site_name", "application-name", "publisher")
    authors = tag("author", "article:author", "dc.creator", "byl")
    if not meta.authors and authors and not authors.startswith(("http://", "https://")):
        meta.authors = [re.sub(r"^(?i:by)\s+", "", authors)]
    meta.published = meta.published or iso_date(tag(
        "article:published_time", "datePublished", "date", "pubdate", "dc.date",
        "dc.date.issued", "publish-date", "sailthru.date"))
    if not meta.published:
        for value in root.xpath("//time/@datetime"):
            meta.published = iso_date(str(value))
            if meta.published:
                break
    canonical = root.xpath('//link[@rel="canonical"]/@href')
    if not meta.url and canonical:
        meta.url = urljoin(base_url, str(canonical[0]).strip())
    meta.url = meta.url or tag("og:url")
    if meta.url and urlsplit(meta.url).scheme not in ("http", "https"):
        meta.url = ""
    meta.language = _language(meta.language or root.get("lang", "")
                              or tag("content-language", "og:locale", "dc.language"))
    if not meta.outlet and meta.title_tag:
        parts = [p for p in _TITLE_SEPARATORS.split(meta.title_tag)
                 if not re.fullmatch(r"[\d\s.:/,-]+", p) and parse_date_line(p) is None]
        if len(parts) > 1 and len(parts[-1].split()) <= 5:
            meta.outlet = parts[-1]
    if not meta.title and meta.title_tag:
        meta.title = _TITLE_SEPARATORS.split(meta.title_tag)[0]
    return meta
