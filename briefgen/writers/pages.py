"""HTML pages: home, briefings, standalone pages, taxonomy lists, archive and 404."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from briefgen.diagnostics import Diagnostics
from briefgen.models import Briefing, Term
from briefgen.output import Output
from briefgen.site import Site
from briefgen.theme import Theme, template_error_location
from briefgen.writers.jsonld import briefing_jsonld

__all__ = ["FeedLink", "Pager", "paginate", "render_pages"]


@dataclass
class Pager:
    """One page of a paginated list."""

    items: list[Briefing]
    number: int
    total: int
    url: str
    prev_url: str | None
    next_url: str | None


@dataclass(frozen=True)
class FeedLink:
    """A feed to advertise in a page's head: MIME type, title and site path."""

    type: str
    title: str
    url: str


def feed_links(title: str, prefix: str) -> list[FeedLink]:
    """The three feeds under a path prefix, for autodiscovery."""
    return [
        FeedLink("application/rss+xml", f"{title} (RSS)", prefix + "feed.xml"),
        FeedLink("application/atom+xml", f"{title} (Atom)", prefix + "atom.xml"),
        FeedLink("application/feed+json", f"{title} (JSON Feed)", prefix + "feed.json"),
    ]


def paginate(items: list[Briefing], per_page: int, base: str) -> Iterator[Pager]:
    """Split a list into pages; page 1 lives at base, page n at base/page/n/."""
    total = max(1, -(-len(items) // per_page))
    for number in range(1, total + 1):
        url = base if number == 1 else f"{base}page/{number}/"
        prev_url = None if number == 1 else (base if number == 2 else f"{base}page/{number - 1}/")
        next_url = f"{base}page/{number + 1}/" if number < total else None
        chunk = items[(number - 1) * per_page:number * per_page]
        yield Pager(chunk, number, total, url, prev_url, next_url)


class _Renderer:
    def __init__(self, site: Site, theme: Theme, output: Output, diags: Diagnostics) -> None:
        self.site, self.theme, self.output, self.diags = site, theme, output, diags
        self.site_feeds = feed_links(site.config.title, "/")
        self.count = 0

    def page(self, template: str, url: str, **context: Any) -> None:
        feeds = context.pop("feeds", [])
        try:
            html = self.theme.render(template, site=self.site, canonical=url,
                                     feeds=[*self.site_feeds, *feeds], **context)
        except Exception as exc:  # a template bug: report where, keep going, publish nothing
            filename, line = template_error_location(exc)
            self.diags.error(self.theme.label(filename) if filename else template, line, 0,
                             f"template error while rendering {url}: "
                             f"{type(exc).__name__}: {exc}")
            return
        self.output.write(self.site.urls.output_file(url), html)
        self.count += 1

    def lists(self, kind: str, url: str, items: list[Briefing], title: str,
              term: Term | None = None, feeds: list[FeedLink] | None = None) -> None:
        for pager in paginate(items, self.site.config.pagination, url):
            self.page("list.html", pager.url, kind=kind, title=title, term=term, pager=pager,
                      feeds=feeds or [])


def render_pages(site: Site, theme: Theme, output: Output, diags: Diagnostics) -> int:
    """Render every HTML page of the site; template errors become diagnostics."""
    r = _Renderer(site, theme, output, diags)
    r.lists("home", "/", site.briefings, site.config.title)
    briefings = site.briefings
    for index, b in enumerate(briefings):
        newer = briefings[index - 1] if index > 0 else None
        older = briefings[index + 1] if index + 1 < len(briefings) else None
        r.page("briefing.html", b.url, briefing=b, newer=newer, older=older,
               jsonld=briefing_jsonld(b, site.urls, site.config.title),
               feeds=feed_links(b.category.name, b.category.url) if b.category else [])
    for page in site.pages:
        r.page("page.html", page.url, page=page)
    for terms in (site.categories, site.tags, site.authors):
        for term in terms.values():
            r.lists(term.kind, term.url, term.briefings, term.name, term,
                    feed_links(f"{site.config.title}: {term.name}", term.url))
    r.page("archive.html", "/archive/", archive=site.archive)
    r.page("sources.html", "/sources/", outlets=site.outlets)
    for source in site.source_pages:
        r.page("source.html", source.page_url, source=source,
               outlet=site.outlets[source.outlet_id])
    for outlet in site.outlets.values():
        r.page("outlet.html", outlet.url, outlet=outlet)
    r.page("404.html", "/404.html")
    return r.count
