"""sitemap.xml and robots.txt."""

from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape

from briefgen.digests import digest
from briefgen.jobs import Job
from briefgen.site import Site

__all__ = ["sitemap_jobs"]


Entry = tuple[str, datetime | None, list[tuple[str, str]]]  # path, lastmod, hreflang alternates


def _entries(site: Site) -> list[Entry]:
    entries: list[Entry] = []
    several = len(site.config.languages) > 1

    def same(paths: dict[str, str]) -> list[tuple[str, str]]:
        return sorted(paths.items()) if several and len(paths) > 1 else []

    def everywhere(path: str) -> list[tuple[str, str]]:
        return same({lang.code: lang.path(path) for lang in site.config.languages})

    for edition in site.editions.values():
        language = edition.language
        entries.append((language.home, edition.updated, everywhere("/")))
        entries.append((language.path("/archive/"), None, everywhere("/archive/")))
        entries += [(b.url, b.updated or b.date,
                     same({b.lang: b.url, **{o.lang: o.url for o in site.translations.get(
                         b.path, [])}})) for b in edition.briefings]
        entries += [(p.url, None, same({p.lang: p.url, **{o.lang: o.url for o in
                                        site.page_translations.get(p.path, [])}}))
                    for p in edition.pages]
        for kind in ("categories", "tags", "authors"):
            for term in getattr(edition, kind).values():
                newest = max((b.updated or b.date for b in term.briefings), default=None)
                others = {code: getattr(e, kind)[term.id].url for code, e in
                          site.editions.items() if term.id in getattr(e, kind)}
                entries.append((term.url, newest, same(others)))
    entries.append(("/sources/", None, []))
    entries += [(source.page_url, None, []) for source in site.source_pages]
    entries += [(outlet.url, None, []) for outlet in site.outlets.values()]
    return sorted(entries, key=lambda e: e[0])


def sitemap_jobs(site: Site) -> list[Job]:
    """sitemap.xml (every HTML page, with lastmod where known and each page's versions in the
    site's other languages) and robots.txt."""
    entries = _entries(site)
    urls = site.urls

    def sitemap() -> str:
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
                 + (' xmlns:xhtml="http://www.w3.org/1999/xhtml">'
                    if any(e[2] for e in entries) else ">")]
        for path, modified, alternates in entries:
            lastmod = f"<lastmod>{modified.isoformat()}</lastmod>" if modified else ""
            links = "".join(f'<xhtml:link rel="alternate" hreflang="{escape(code)}" '
                            f'href="{escape(urls.abs(other))}"/>' for code, other in alternates)
            lines.append(f"  <url><loc>{escape(urls.abs(path))}</loc>{lastmod}{links}</url>")
        lines.append("</urlset>")
        return "\n".join(lines) + "\n"

    robots = f"User-agent: *\nAllow: /\n\nSitemap: {urls.abs('/sitemap.xml')}\n"
    key = digest(urls.base_url, [(p, m.isoformat() if m else "", a) for p, m, a in entries])
    return [Job("sitemap.xml", key, sitemap, label="sitemap.xml"),
            Job("robots.txt", digest(robots), lambda: robots, label="robots.txt")]
