"""sitemap.xml and robots.txt."""

from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape

from briefgen.digests import digest
from briefgen.jobs import Job
from briefgen.site import Site

__all__ = ["sitemap_jobs"]


def _entries(site: Site) -> list[tuple[str, datetime | None]]:
    entries: list[tuple[str, datetime | None]] = [("/", site.updated), ("/archive/", None)]
    entries += [(b.url, b.updated or b.date) for b in site.briefings]
    entries += [(p.url, None) for p in site.pages]
    for terms in (site.categories, site.tags, site.authors):
        for term in terms.values():
            newest = max((b.updated or b.date for b in term.briefings), default=None)
            entries.append((term.url, newest))
    entries.append(("/sources/", None))
    entries += [(source.page_url, None) for source in site.source_pages]
    entries += [(outlet.url, None) for outlet in site.outlets.values()]
    return sorted(entries, key=lambda e: e[0])


def sitemap_jobs(site: Site) -> list[Job]:
    """sitemap.xml (every HTML page, with lastmod where known) and robots.txt."""
    entries = _entries(site)
    urls = site.urls

    def sitemap() -> str:
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        for path, modified in entries:
            lastmod = f"<lastmod>{modified.isoformat()}</lastmod>" if modified else ""
            lines.append(f"  <url><loc>{escape(urls.abs(path))}</loc>{lastmod}</url>")
        lines.append("</urlset>")
        return "\n".join(lines) + "\n"

    robots = f"User-agent: *\nAllow: /\n\nSitemap: {urls.abs('/sitemap.xml')}\n"
    key = digest(urls.base_url, [(p, m.isoformat() if m else "") for p, m in entries])
    return [Job("sitemap.xml", key, sitemap, label="sitemap.xml"),
            Job("robots.txt", digest(robots), lambda: robots, label="robots.txt")]
