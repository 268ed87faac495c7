"""HTML pages: home, briefings, standalone pages, taxonomy lists, archive, 404 and the page at
the briefings' common folder that leads to the archive."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from briefgen.config import Config
from briefgen.digests import Digests, digest
from briefgen.jobs import Job
from briefgen.languages import alternates
from briefgen.models import Briefing, Term
from briefgen.related import reading_minutes
from briefgen.site import Edition, Site
from briefgen.theme import Theme
from briefgen.urls import Urls
from briefgen.writers.cards import share_image
from briefgen.writers.jsonld import briefing_jsonld
from briefgen.writers.snapshots import ArchivedCopy, archived_copy

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


@cache
def feed_links(title: str, prefix: str) -> tuple[FeedLink, ...]:
    """The three feeds under a path prefix, for autodiscovery (one tuple for every page that
    shows them: at 10,000 briefings, a list per page held 20 MB until rendering)."""
    return (
        FeedLink("application/rss+xml", f"{title} (RSS)", prefix + "feed.xml"),
        FeedLink("application/atom+xml", f"{title} (Atom)", prefix + "atom.xml"),
        FeedLink("application/feed+json", f"{title} (JSON Feed)", prefix + "feed.json"),
    )


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

    def __init__(self, site: Site, theme: Theme, digests: Digests,
                 only: set[str] | None = None) -> None:
        self.site, self.theme, self.d = site, theme, digests
        self.languages = site.config.languages
        self.jobs: list[Job] = []
        self.only = only

    def wants(self, url: str) -> bool:
        """Whether the page at url is to be made (all are, unless `only` names some files):
        callers ask before computing its key, which is what costs."""
        return self.only is None or self.site.urls.output_file(url) in self.only

    def page(self, edition: Edition, template: str, url: str, key: str,
             lazy: Callable[[], dict[str, Any]] | None = None,
             equivalents: dict[str, str] | None = None, bodies: tuple[Briefing, ...] = (),
             **context: Any) -> None:
        """A page job in a language; `equivalents` (language code -> site path) are the same
        page in other languages; `lazy()` gives values computed only if the page is rendered;
        `bodies` are the briefings whose bodies it shows."""
        if not self.wants(url):
            return
        language = edition.language
        feeds = feed_links(edition.config.title, language.home)
        if more := context.pop("feeds", ()):
            feeds = (*feeds, *more)
        switch = alternates(self.languages, language, equivalents or {})
        theme = self.theme

        def make() -> str:
            extra = lazy() if lazy is not None else {}
            return theme.render(template, site=edition, config=edition.config, lang=language,
                                languages=self.languages, alternates=switch, canonical=url,
                                feeds=feeds, **context, **extra)

        full_key = digest(self.d.chrome(edition), theme.template_hash(template), url,
                          [(f.type, f.title, f.url) for f in feeds],
                          [(a.language.code, a.url, a.translated) for a in switch], key)
        self.jobs.append(Job(self.site.urls.output_file(url), full_key, make, label=template,
                             bodies=bodies))

    def lists(self, edition: Edition, kind: str, url: str, items: list[Briefing], title: str,
              term: Term | None = None, feeds: tuple[FeedLink, ...] = (),
              equivalents: dict[str, str] | None = None) -> None:
        term_key = self.d.term(term) if term else ""
        for pager in paginate(items, self.site.config.pagination, url):
            if not self.wants(pager.url):
                continue
            key = digest(kind, title, term_key, pager.number, pager.total, pager.prev_url,
                         pager.next_url, self.d.cards(pager.items))
            # Page 2 of a list has no counterpart elsewhere: its switch goes to their page 1.
            same = (equivalents or {}) if pager.number == 1 else {}
            self.page(edition, "list.html", pager.url, key, equivalents=same, kind=kind,
                      title=title, term=term, pager=pager, feeds=feeds)



def _edition_jobs(r: _Pages, edition: Edition) -> None:
    site, d = r.site, r.d
    config = edition.config
    r.lists(edition, "home", edition.language.home, edition.briefings, config.title,
            equivalents=site.everywhere("/"))
    briefings = edition.briefings
    for index, b in enumerate(briefings):
        if not r.wants(b.url):
            continue
        newer = briefings[index - 1] if index > 0 else None
        older = briefings[index + 1] if index + 1 < len(briefings) else None
        _briefing_page(r, edition, b, newer, older, site.related.get(b.path, []),
                       site.translations.get(b.path, []))
    for page in edition.pages:
        versions = site.versions(page)
        r.page(edition, "page.html", page.url, digest(d.page(page), sorted(versions.items())),
               page=page, equivalents=versions)
    for terms in (edition.categories, edition.tags, edition.authors):
        for term in terms.values():
            r.lists(edition, term.kind, term.url, term.briefings, term.name, term,
                    feed_links(f"{config.title}: {term.name}", term.url),
                    equivalents=site.term_versions(term))
    _archive_jobs(r, edition)
    if config.search:
        r.page(edition, "search.html", edition.language.path("/search/"), "",
               equivalents=site.everywhere("/search/"))


def _briefing_page(r: _Pages, edition: Edition, b: Briefing, newer: Briefing | None,
                   older: Briefing | None, related: list[Briefing],
                   translated: list[Briefing]) -> None:
    site, d = r.site, r.d
    key = digest(d.briefing(b), d.card(newer), d.card(older), d.cards(related),
                 d.cards(translated))
    r.page(edition, "briefing.html", b.url, key, briefing=b, newer=newer, older=older,
           related=related, translations=translated,
           equivalents=site.versions(b) if not b.expired else {}, bodies=(b,),
           # read when rendered: the preview edits the briefing in place
           lazy=partial(_briefing_extras, b, site.urls, edition.config),
           feeds=feed_links(b.category.name, b.category.url) if b.category else ())


def _briefing_extras(b: Briefing, urls: Urls, config: Config) -> dict[str, Any]:
    """What a briefing page shows of the briefing as it is when the page is rendered."""
    share = share_image(b, config)
    return {"share": share, "reading_minutes": reading_minutes(b.body_html),
            "jsonld": briefing_jsonld(b, urls, config.title, share.url if share else "")}


def _snapshot_extras(copy: ArchivedCopy, url: str) -> dict[str, Any]:
    return {"snapshot": copy.content(url)}


def _archive_jobs(r: _Pages, edition: Edition) -> None:
    """The archive: an index of years and months with their counts at /archive/, whose key names
    no briefing (a title edit leaves it alone), and a page per year listing its briefings."""
    site, d = r.site, r.d
    archive = edition.archive
    index_key = digest([(y.year, y.url, [(m.month, m.count) for m in y.months]) for y in archive])
    r.page(edition, "archive.html", edition.language.path(site.urls.archive()), index_key,
           archive=archive, equivalents=site.everywhere(site.urls.archive()))
    for year in archive:
        if not r.wants(year.url):
            continue
        neighbours = [(y.year, y.url) if y else None for y in (year.previous, year.next)]
        key = digest(year.year, neighbours,
                     [(m.month, d.cards(m.briefings)) for m in year.months])
        r.page(edition, "archive_year.html", year.url, key, year=year,
               equivalents=site.archive_versions(year.year))


def page_jobs(site: Site, theme: Theme, digests: Digests,
              only: set[str] | None = None) -> list[Job]:
    """A job for every HTML page of the site, in each of its languages (or only for those
    written to the `only` files)."""
    r = _Pages(site, theme, digests, only)
    d = digests
    for edition in site.editions.values():
        _edition_jobs(r, edition)
    for b in site.expired:  # past `expires:`: its page stays, linked from nowhere on the site
        if r.wants(b.url):
            _briefing_page(r, site.editions[b.lang], b, None, None, [], [])
    # The source library is one, in the default language; its pages list citing briefings of
    # every language.
    default = site.default
    # /sources/ and outlet pages show each source's line and how many briefings cite it, never
    # which: a briefing's title edit leaves them alone (its source pages list it).
    if r.wants("/sources/"):
        r.page(default, "sources.html", "/sources/",
               digest([d.outlet(o) for o in site.outlets.values()]), outlets=site.outlets)
    root = site.config.root
    for source in site.source_pages:
        if not (r.wants(source.page_url) or r.wants(source.page_url + "archived/")):
            continue
        outlet = site.outlets[source.outlet_id]
        # clip: publish_snapshots: the page links its newest snapshot, published beside it
        copy = archived_copy(root, site.snapshots.get(source.id), source.page_url)
        link = [(copy.url, copy.taken)] if copy is not None else []
        r.page(default, "source.html", source.page_url,
               digest(d.source(source), d.citing(source), outlet.name, outlet.url, *link),
               source=source, outlet=outlet, archived=copy)
        if copy is not None:  # its key holds the snapshot file's digest: an edit renders it
            r.page(default, "snapshot.html", copy.url,
                   digest(d.source(source), outlet.url, *link, copy.kind, copy.digest),
                   source=source, outlet=outlet, archived=copy,
                   lazy=partial(_snapshot_extras, copy, source.url))
    for outlet in site.outlets.values():
        if not r.wants(outlet.url):
            continue
        r.page(default, "outlet.html", outlet.url, d.outlet(outlet), outlet=outlet)
    for edition in site.editions.values():
        r.page(edition, "404.html", edition.language.path("/404.html"), "",
               equivalents=site.everywhere("/404.html"))
    _briefings_folder(r, site)
    return r.jobs


def _briefings_folder(r: _Pages, site: Site) -> None:
    """At the folder every briefing URL starts with ('/briefings/' by default), in each
    language, a page that sends the reader to the archive, instead of a 404. None when the
    pattern has no such folder or another page is already there."""
    if r.only is not None:  # its key reads no briefing: an edit never asks for it
        return
    pattern = site.config.permalinks["briefing"]
    folder = pattern.split("{", 1)[0].rsplit("/", 1)[0] + "/"
    if folder == "/":
        return
    taken = {job.rel for job in r.jobs}
    for edition in site.editions.values():
        url = edition.language.path(folder)
        if site.urls.output_file(url) in taken:
            continue
        archive = edition.language.path("/archive/")
        r.page(edition, "redirect.html", url, archive, equivalents=site.everywhere(folder),
               target=archive)
