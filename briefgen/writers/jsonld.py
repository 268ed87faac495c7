"""schema.org JSON-LD for a briefing: a NewsArticle whose `citation` lists its sources."""

from __future__ import annotations

from typing import Any

from briefgen.markdown import plain_text
from briefgen.models import Briefing, Source
from briefgen.urls import Urls

__all__ = ["ARTICLE_TYPES", "briefing_jsonld"]

# Category ids that map to a more specific schema.org type; everything else is a NewsArticle.
ARTICLE_TYPES = {"opinion": "OpinionNewsArticle", "analysis": "AnalysisNewsArticle",
                 "review": "ReviewNewsArticle", "background": "BackgroundNewsArticle"}


def _creative_work(source: Source) -> dict[str, Any]:
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "name": source.title,
        "url": source.url,
        "publisher": {"@type": "Organization", "name": source.outlet},
    }
    if source.published:
        work["datePublished"] = source.published.isoformat()
    if source.authors:
        work["author"] = [{"@type": "Person", "name": name} for name in source.authors]
    return work


def briefing_jsonld(b: Briefing, urls: Urls, site_name: str, image: str = "") -> dict[str, Any]:
    """The JSON-LD object; templates emit it with |tojson, which escapes <, > and &. image: the
    picture a share shows (its own image or its card), when it has one."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": ARTICLE_TYPES.get(b.category.id if b.category else "", "NewsArticle"),
        "headline": b.title,
        "inLanguage": b.lang,
        "description": plain_text(b.summary),  # meta tags' text: no Markdown syntax
        "url": urls.abs(b.url),
        "mainEntityOfPage": urls.abs(b.url),
        "datePublished": b.date.isoformat(),
        "dateModified": (b.updated or b.date).isoformat(),
        "publisher": {"@type": "Organization", "name": site_name},
        "citation": [_creative_work(s) for s in b.sources],
    }
    if image:
        data["image"] = urls.abs(image)
    if b.authors:
        data["author"] = [{"@type": "Person", "name": a.name, "url": urls.abs(a.url)}
                          for a in b.authors]
    if b.category:
        data["articleSection"] = b.category.name
    if b.tags:
        data["keywords"] = [name for _, name in b.tags]
    return data
