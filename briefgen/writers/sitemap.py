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

    for edition in site.editions.values():
        language = edition.language
        entries.append((language.home, edition.updated, same(site.everywhere("/"))))
        archive = site.urls.archive()
        entries.append((language.path(archive), None, same(site.everywhere(archive))))
        entries += [(year.url, max(b.updated or b.date for b in year.briefings),
                     same(site.archive_versions(year.year))) for year in edition.archive]
        entries += [(b.url, b.updated or b.date, same(site.versions(b)))
                    for b in edition.briefings]
        entries += [(p.url, None, same(site.versions(p))) for p in edition.pages]
        for terms in (edition.categories, edition.tags, edition.authors):
            for term in terms.values():
                newest = max((b.updated or b.date for b in term.briefings), default=None)
                entries.append((term.url, newest, same(site.term_versions(term))))
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
