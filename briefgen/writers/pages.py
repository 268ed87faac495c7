"""HTML pages: home, briefings, standalone pages, taxonomy lists, archive and 404."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from briefgen.digests import Digests, digest
from briefgen.jobs import Job
from briefgen.models import Briefing, Term
from briefgen.related import reading_minutes
from briefgen.site import Site
from briefgen.theme import Theme
from briefgen.writers.jsonld import briefing_jsonld

__all__ = ["FeedLink", "Pager", "page_jobs", "paginate"]


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


class _Pages:
    """Collects the page jobs of a site, each keyed by what its bytes depend on."""

    def __init__(self, site: Site, theme: Theme, digests: Digests) -> None:
        self.site, self.theme, self.d = site, theme, digests
        self.site_feeds = feed_links(site.config.title, "/")
        self.jobs: list[Job] = []

    def page(self, template: str, url: str, key: str,
             lazy: dict[str, Callable[[], Any]] | None = None, **context: Any) -> None:
        """A page job; `lazy` values are computed only if the page is really rendered."""
        feeds = [*self.site_feeds, *context.pop("feeds", [])]
        theme, site = self.theme, self.site

        def make() -> str:
            extra = {name: compute() for name, compute in (lazy or {}).items()}
            return theme.render(template, site=site, canonical=url, feeds=feeds, **context,
                                **extra)

        full_key = digest(self.d.chrome, theme.template_hash(template), url,
                          [(f.type, f.title, f.url) for f in feeds], key)
        self.jobs.append(Job(site.urls.output_file(url), full_key, make, label=template))

    def lists(self, kind: str, url: str, items: list[Briefing], title: str,
              term: Term | None = None, feeds: list[FeedLink] | None = None) -> None:
        term_key = self.d.term(term) if term else ""
        for pager in paginate(items, self.site.config.pagination, url):
            key = digest(kind, title, term_key, pager.number, pager.total, pager.prev_url,
                         pager.next_url, self.d.cards(pager.items))
            self.page("list.html", pager.url, key, kind=kind, title=title, term=term,
                      pager=pager, feeds=feeds or [])


def page_jobs(site: Site, theme: Theme, digests: Digests) -> list[Job]:
    """A job for every HTML page of the site."""
    r = _Pages(site, theme, digests)
    d = digests
    r.lists("home", "/", site.briefings, site.config.title)
    briefings = site.briefings
    for index, b in enumerate(briefings):
        newer = briefings[index - 1] if index > 0 else None
        older = briefings[index + 1] if index + 1 < len(briefings) else None
        related = site.related.get(b.path, [])
        translated = site.translations.get(b.path, [])
        key = digest(d.briefing(b), d.card(newer), d.card(older), d.cards(related),
                     d.cards(translated))
        r.page("briefing.html", b.url, key, briefing=b, newer=newer, older=older,
               related=related, translations=translated,
               lazy={"jsonld": partial(briefing_jsonld, b, site.urls, site.config.title),
                     "reading_minutes": partial(lambda it: reading_minutes(it.body_html), b)},
               feeds=feed_links(b.category.name, b.category.url) if b.category else [])
    for page in site.pages:
        r.page("page.html", page.url, d.page(page), page=page)
    for terms in (site.categories, site.tags, site.authors):
        for term in terms.values():
            r.lists(term.kind, term.url, term.briefings, term.name, term,
                    feed_links(f"{site.config.title}: {term.name}", term.url))
    r.page("archive.html", "/archive/", d.cards(briefings), archive=site.archive)
    r.page("sources.html", "/sources/", digest([d.outlet(o) for o in site.outlets.values()]),
           outlets=site.outlets)
    for source in site.source_pages:
        outlet = site.outlets[source.outlet_id]
        r.page("source.html", source.page_url,
               digest(d.source(source), d.citing(source), outlet.name, outlet.url),
               source=source, outlet=outlet)
    for outlet in site.outlets.values():
        r.page("outlet.html", outlet.url, d.outlet(outlet), outlet=outlet)
    if site.config.search:
        default = site.config.language
        languages = sorted({b.lang or default for b in briefings}
                           | {p.lang or default for p in site.pages} | {default})
        r.page("search.html", "/search/", digest(languages), languages=languages)
    r.page("404.html", "/404.html", "")
    return r.jobs

