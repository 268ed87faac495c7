"""sitemap.xml and robots.txt."""

from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape

from briefgen.output import Output
from briefgen.site import Site

__all__ = ["render_sitemap"]


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


def render_sitemap(site: Site, output: Output) -> int:
    """Write sitemap.xml (every HTML page, with lastmod where known) and robots.txt."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path, modified in _entries(site):
        lastmod = f"<lastmod>{modified.isoformat()}</lastmod>" if modified else ""
        lines.append(f"  <url><loc>{escape(site.urls.abs(path))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    output.write("sitemap.xml", "\n".join(lines) + "\n")
    output.write("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: "
                 f"{site.urls.abs('/sitemap.xml')}\n")
    return 2
