"""The site model: resolves references, filters drafts, orders briefings, builds taxonomies."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING

from briefgen.config import Config
from briefgen.diagnostics import Diagnostics
from briefgen.languages import Language
from briefgen.models import (
    Author,
    Briefing,
    Category,
    Outlet,
    Page,
    Source,
    TagInfo,
    Term,
    localized,
)
from briefgen.quotes import QuoteTally, check_quotes
from briefgen.references import (
    collect_sources,
    library_pages,
    link_citing,
    resolve_citations,
    warn_uncited,
)
from briefgen.related import Related, related_briefings, translations
from briefgen.schema import did_you_mean
from briefgen.slugs import slugify
from briefgen.urls import Urls

if TYPE_CHECKING:
    from briefgen.clip.snapshots import Snapshot

__all__ = ["LANGUAGE_PATHS", "RESERVED_PATHS", "ArchiveMonth", "ArchiveYear", "Edition", "Site",
           "build_site"]

# Site paths that briefgen writes itself; content may not take them.
RESERVED_PATHS = ("/", "/archive/", "/feed.xml", "/atom.xml", "/feed.json", "/sitemap.xml",
                  "/robots.txt", "/404.html", "/assets/", "/sources/", "/pagefind/")
# ...and those each language has of its own, under its prefix.
LANGUAGE_PATHS = {"/": "the home page", "/archive/": "the archive", "/feed.xml": "the RSS feed",
                  "/atom.xml": "the Atom feed", "/feed.json": "the JSON Feed",
                  "/search/": "the search page"}
# ...and the archive's year pages: every /archive/<number>/ in each language, whether that year has
# briefings or not (so a briefing dated in a new year never collides with an existing page).
_ARCHIVE_YEAR = re.compile(r"/archive/([0-9]+)/")
_ID_LIKE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass
class ArchiveMonth:
    """The briefings of one month (in the site's timezone), newest first."""

    year: int
    month: int
    briefings: list[Briefing]

    @property
    def count(self) -> int:
        return len(self.briefings)

    @property
    def start(self) -> date:
        """The month's first day, for showing its name: date(2026, 2, 1) | date("LLLL")."""
        return date(self.year, self.month, 1)

    @property
    def anchor(self) -> str:
        """The id of its heading on the year page and of its entry on the archive's index,
        'y2026-02' (the id the one-page archive gave it, so old links still land)."""
        return f"y{self.year:04d}-{self.month:02d}"


@dataclass
class ArchiveYear:
    """One year of a language's archive: its page (/archive/2026/), its months newest first, and
    the years before and after it that have briefings."""

    year: int
    url: str
    months: list[ArchiveMonth]
    previous: ArchiveYear | None = field(default=None, repr=False, compare=False)  # older
    next: ArchiveYear | None = field(default=None, repr=False, compare=False)  # newer

    @property
    def count(self) -> int:
        return sum(m.count for m in self.months)

    @property
    def anchor(self) -> str:
        """The id of its entry on the archive's index, 'y2026'."""
        return f"y{self.year:04d}"

    @property
    def briefings(self) -> list[Briefing]:
        """The year's briefings, newest first."""
        return [b for m in self.months for b in m.briefings]


@dataclass
class Edition:
    """The site in one language: its briefings, pages, taxonomies and archive, with its own home,
    lists and feeds (under /<code>/ for every language but the default)."""

    language: Language
    config: Config  # the site's config as this language sees it (title, description, code)
    urls: Urls
    briefings: list[Briefing]
    pages: list[Page]
    categories: dict[str, Term] = field(default_factory=dict)
    tags: dict[str, Term] = field(default_factory=dict)
    authors: dict[str, Term] = field(default_factory=dict)
    archive: list[ArchiveYear] = field(default_factory=list)  # newest year first

    @property
    def menu(self) -> list[Page]:
        return sorted((p for p in self.pages if p.menu is not None),
                      key=lambda p: (p.menu or 0, p.title))

    def terms(self, kind: str) -> dict[str, Term]:
        """This language's categories, tags or authors, by kind ('category', 'tag', 'author')."""
        return {"category": self.categories, "tag": self.tags, "author": self.authors}[kind]

    @cached_property
    def updated(self) -> datetime | None:
        """The newest date in this language: what its feeds give as their last change."""
        dates = [b.updated or b.date for b in self.briefings]
        return max(dates) if dates else None


@dataclass
class Site:
    """Everything the writers need, resolved and in a stable order."""

    config: Config
    urls: Urls
    briefings: list[Briefing]  # every language, newest first
    pages: list[Page]
    sources: dict[str, Source]
    # past their `expires:`: a page each (with a note), in no list, feed or sitemap
    expired: list[Briefing] = field(default_factory=list)
    editions: dict[str, Edition] = field(default_factory=dict)  # in the config's order
    source_pages: list[Source] = field(default_factory=list)
    outlets: dict[str, Outlet] = field(default_factory=dict)
    # briefing path -> briefings in its language sharing its sources or tags
    related: dict[str, list[Briefing]] = field(default_factory=dict)
    # briefing or page path -> its versions in the site's other languages
    translations: dict[str, list[Briefing]] = field(default_factory=dict)
    page_translations: dict[str, list[Page]] = field(default_factory=dict)
    quotes: QuoteTally = field(default_factory=QuoteTally)  # quotations checked, not found
    # source id -> its newest snapshot, to publish (only with clip: publish_snapshots: true)
    snapshots: dict[str, Snapshot] = field(default_factory=dict)

    @property
    def default(self) -> Edition:
        """The edition of the default language, the one at /."""
        return self.editions[self.config.language]

    @property
    def updated(self) -> datetime | None:
        dates = [b.updated or b.date for b in self.briefings]
        return max(dates) if dates else None

    # The versions of a page in the site's languages (language code -> site path), for the
    # language switch and hreflang links (writers/pages.py) and the sitemap.

    def everywhere(self, path: str) -> dict[str, str]:
        """A page every language has under its prefix: home, archive, search."""
        return {lang.code: lang.path(path) for lang in self.config.languages}

    def archive_versions(self, year: int) -> dict[str, str]:
        """A year of the archive in every language that has briefings in it."""
        return {code: found.url for code, edition in self.editions.items()
                for found in edition.archive if found.year == year}

    def versions(self, item: Briefing | Page) -> dict[str, str]:
        """A briefing or page and its translations."""
        others: list[Briefing] | list[Page] = (
            self.translations.get(item.path, []) if isinstance(item, Briefing)
            else self.page_translations.get(item.path, []))
        return {item.lang: item.url, **{o.lang: o.url for o in others}}

    def term_versions(self, term: Term) -> dict[str, str]:
        """The same category, tag or author in every language that has it."""
        return {code: edition.terms(term.kind)[term.id].url
                for code, edition in self.editions.items() if term.id in edition.terms(term.kind)}


def _resolve_authors(b: Briefing, registry: dict[str, Author], plain: dict[str, Author],
                     diags: Diagnostics, slugs: str) -> None:
    for ref, (line, col) in b.author_refs:
        if ref in registry:
            b.authors.append(registry[ref])
        elif _ID_LIKE.fullmatch(ref):
            diags.error(b.path, line, col, f"unknown author '{ref}'{did_you_mean(ref, registry)}"
                        " (add it to content/authors.yaml, or write the person's full name)")
        else:
            author_id = slugify(ref, slugs)
            author = registry.get(author_id) or plain.setdefault(author_id,
                                                                 Author(id=author_id, name=ref))
            b.authors.append(author)


def _resolve_category(b: Briefing, registry: dict[str, Category], diags: Diagnostics) -> None:
    if b.category_ref is None:
        return
    ref, (line, col) = b.category_ref
    if ref in registry:
        b.category = registry[ref]
    else:
        known = ", ".join(sorted(registry)) or "none: add content/categories.yaml"
        suggestion = did_you_mean(ref, registry)
        diags.error(b.path, line, col, f"unknown category '{ref}'"
                    f"{suggestion or f' (known: {known})'}")


def _terms(kind: str, urls: Urls, language: Language,
           briefings: list[Briefing]) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    for b in briefings:
        if kind == "category":
            items: list[tuple[str, str, Author | Category | None]] = (
                [(b.category.id, b.category.name, b.category)] if b.category else [])
        elif kind == "tag":
            items = [(tag, name, None) for tag, name in b.tags]
        else:
            items = [(a.id, a.name, a) for a in b.authors]
        for term_id, name, obj in items:
            term = terms.get(term_id)
            if term is None:
                term = terms[term_id] = Term(kind, term_id, name,
                                             language.path(urls.permalink(kind, id=term_id)),
                                             obj=obj)
                if isinstance(obj, Category):
                    term.description = obj.description
                    obj.url = term.url
                elif isinstance(obj, Author):
                    term.description = obj.bio
                    obj.url = term.url
            term.briefings.append(b)
    return dict(sorted(terms.items()))


def _reserved(config: Config) -> dict[str, str]:
    taken: dict[str, str] = {}
    for language in config.languages:
        for path, what in LANGUAGE_PATHS.items():
            if path != "/search/" or config.search:
                several = len(config.languages) > 1
                taken[language.path(path)] = f"{what} ({language.name})" if several else what
    for path in RESERVED_PATHS:
        taken.setdefault(path, "briefgen itself")
    return taken


def _archive_year_at(key: str, config: Config) -> str:
    """What takes a site path (lowercased) that is an archive year page of a language:
    'the archive of 2026', or '' when it is none."""
    for language in config.languages:
        prefix = language.prefix.lower()
        if key.startswith(prefix) and (found := _ARCHIVE_YEAR.fullmatch(key[len(prefix):])):
            several = len(config.languages) > 1
            return (f"the archive of {found[1]}" + (f" ({language.name})" if several else ""))
    return ""


def _assign_urls(site: Site, diags: Diagnostics) -> None:
    taken = _reserved(site.config)
    languages = {lang.code: lang for lang in site.config.languages}
    pages: list[Briefing | Page] = [*site.briefings, *site.expired, *site.pages]
    for item in pages:
        language = languages[item.lang]
        if isinstance(item, Briefing):
            item.url = language.path(site.urls.permalink(
                "briefing", year=f"{item.date.year:04d}", month=f"{item.date.month:02d}",
                day=f"{item.date.day:02d}", slug=item.slug,
                category=item.category.id if item.category else "uncategorised"))
        else:
            item.url = language.path(site.urls.permalink("page", slug=item.slug))
        key = item.url.lower()
        year_page = _archive_year_at(key, site.config)
        if key in taken or year_page or any(part in ("..", ".") for part in item.url.split("/")):
            other = taken.get(key, "") or year_page
            diags.error(item.path, 1, 1, f"URL {item.url} is already used by {other}; "
                        "give one of them another 'slug:'" if other else
                        f"URL {item.url} leaves the site")
        else:
            taken[key] = item.path


def _archive(briefings: list[Briefing], tz: tzinfo, language: Language,
             urls: Urls) -> list[ArchiveYear]:
    """A language's briefings (newest first) by year and month of their date in the site's
    timezone, newest year first, each year linked to the ones before and after it."""
    years: dict[int, dict[int, list[Briefing]]] = defaultdict(lambda: defaultdict(list))
    for b in briefings:
        local = b.date.astimezone(tz)
        years[local.year][local.month].append(b)
    archive = [ArchiveYear(year, language.path(urls.archive(year)),
                           [ArchiveMonth(year, month, items)
                            for month, items in sorted(months.items(), reverse=True)])
               for year, months in sorted(years.items(), reverse=True)]
    for newer, older in pairwise(archive):
        newer.previous, older.next = older, newer
    return archive


def _check_content_languages(items: Sequence[Briefing | Page], config: Config,
                     diags: Diagnostics) -> None:
    """Each item's language is one of the site's, and no two share a translation_key in it."""
    codes = [lang.code for lang in config.languages]
    keys: dict[tuple[str, str], str] = {}
    for item in items:
        if item.lang not in codes:
            line, col = item.positions.get("lang", (1, 1))
            diags.error(item.path, line, col, f"language {item.lang!r} is not one of the "
                        f"site's languages ({', '.join(codes)}); add it to 'languages' in "
                        f"briefgen.yaml{did_you_mean(item.lang, codes)}")
        if item.translation_key:
            first = keys.setdefault((item.translation_key, item.lang), item.path)
            if first != item.path:
                line, col = item.positions.get("translation_key", (1, 1))
                diags.error(item.path, line, col, f"translation_key {item.translation_key!r} "
                            f"is already used in language {item.lang!r} by {first}; each "
                            "language has one version of a briefing")


def _check_ids(briefings: Sequence[Briefing], diags: Diagnostics) -> None:
    """No two briefings share an `id:`: it is their guid in every feed, and a feed reader shows
    only one of two items with the same guid (a copied file keeps the id of its original)."""
    first: dict[str, Briefing] = {}
    # reported at the newer one: a copy is usually newer than the briefing it was copied from
    for b in sorted(briefings, key=lambda b: (b.date, b.path)):
        other = first.setdefault(b.guid, b)
        if other is not b:
            line, col = b.positions.get("id", (1, 1))
            other_line = other.positions.get("id", (1, 1))[0]
            diags.error(b.path, line, col, f"id {b.guid.removeprefix('urn:uuid:')} is already "
                        f"the id of {other.path}:{other_line}; each briefing needs its own (it "
                        "is the briefing's guid in the feeds): give this one a new UUID")


def _localize_tags(b: Briefing, tags: dict[str, TagInfo]) -> None:
    b.tags = [(tag, localized(tags[tag], b.lang).name if tag in tags else name)
              for tag, name in b.tags]


def _edition(site: Site, language: Language, registries: tuple[dict[str, Author],
             dict[str, Category], dict[str, TagInfo]], related: Related) -> Edition:
    config, urls = site.config, site.urls
    briefings = [b for b in site.briefings if b.lang == language.code]
    edition = Edition(language, config.localized(language), urls, briefings,
                      [p for p in site.pages if p.lang == language.code])
    edition.categories = _terms("category", urls, language, briefings)
    edition.tags = _terms("tag", urls, language, briefings)
    edition.authors = _terms("author", urls, language, briefings)
    authors, categories, tags = registries
    for kind, registry, terms in (("category", categories, edition.categories),
                                  ("author", authors, edition.authors)):
        for obj in registry.values():
            if obj.id not in terms:
                obj.url = language.path(urls.permalink(kind, id=obj.id))
                terms[obj.id] = Term(kind, obj.id, obj.name, obj.url, obj=obj,
                                     description=getattr(obj, "description", "")
                                     or getattr(obj, "bio", ""))
    for term in edition.tags.values():
        if term.id in tags:
            term.description = localized(tags[term.id], language.code).description
    edition.categories = dict(sorted(edition.categories.items()))
    edition.authors = dict(sorted(edition.authors.items()))
    edition.archive = _archive(briefings, config.tz, language, urls)
    site.related.update(related(briefings))
    return edition


def build_site(config: Config, urls: Urls, briefings: list[Briefing], pages: list[Page],
               library: dict[str, Source], authors: dict[str, Author],
               categories: dict[str, Category], diags: Diagnostics, *, now: datetime,
               drafts: bool = False, future: bool = False,
               outlets: dict[str, Outlet] | None = None,
               tags: dict[str, TagInfo] | None = None,
               unparsed: Sequence[Briefing] = (),
               related: Related = related_briefings) -> Site:
    """Resolve every reference (reporting each bad one), then keep what is to be published.
    `related` finds each language's related briefings (the engine remembers them between builds).

    `unparsed` are briefings whose files have errors: what could be read of them has its
    references checked too (every problem in one run), and none of them is published."""
    published_candidates = briefings
    briefings = [*briefings, *unparsed]
    _check_ids(briefings, diags)
    _check_content_languages(briefings, config, diags)
    _check_content_languages(pages, config, diags)
    codes = [lang.code for lang in config.languages]
    # Each language sees the registries in its own names, with its own URLs.
    local_authors = {code: {k: localized(a, code) for k, a in authors.items()} for code in codes}
    local_categories = {code: {k: localized(c, code) for k, c in categories.items()}
                        for code in codes}
    plain: dict[str, dict[str, Author]] = {code: {} for code in codes}
    sources = collect_sources(library, briefings, diags)
    quotes = QuoteTally()
    for b in briefings:
        lang = b.lang if b.lang in plain else config.language
        _resolve_authors(b, local_authors[lang], plain[lang], diags, config.slugs)
        _resolve_category(b, local_categories[lang], diags)
        _localize_tags(b, tags or {})
        resolve_citations(b, sources, diags)
        quotes += check_quotes(b, sources, diags)
        b.future = b.date > now
        b.expired = b.expires is not None and b.expires <= now
    warn_uncited(library, briefings, diags)
    shown = sorted((b for b in published_candidates if (drafts or not b.draft)
                    and (future or not b.future) and b.lang in plain), key=lambda b: b.sort_key)
    published = [b for b in shown if not b.expired]
    site = Site(config, urls, published,
                sorted((p for p in pages if (drafts or not p.draft) and p.lang in plain),
                       key=lambda p: p.path), sources, quotes=quotes,
                expired=[b for b in shown if b.expired])
    _assign_urls(site, diags)
    link_citing(published)
    site.source_pages, site.outlets = library_pages(sources, outlets or {}, urls)
    for language in config.languages:
        site.editions[language.code] = _edition(site, language, (
            local_authors[language.code], local_categories[language.code], tags or {}), related)
    site.translations = translations(published)
    site.page_translations = translations(site.pages)
    return site
