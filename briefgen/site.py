"""The site model: resolves references, filters drafts, orders briefings, builds taxonomies."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import cached_property

from briefgen.config import Config
from briefgen.diagnostics import Diagnostics
from briefgen.models import Author, Briefing, Category, Outlet, Page, Source, Term
from briefgen.quotes import check_quotes
from briefgen.references import (
    collect_sources,
    library_pages,
    link_citing,
    resolve_citations,
    warn_uncited,
)
from briefgen.related import related_briefings, translations
from briefgen.schema import did_you_mean
from briefgen.slugs import slugify
from briefgen.urls import Urls

__all__ = ["RESERVED_PATHS", "Site", "build_site"]

# Site paths that briefgen writes itself; content may not take them.
RESERVED_PATHS = ("/", "/archive/", "/feed.xml", "/atom.xml", "/feed.json", "/sitemap.xml",
                  "/robots.txt", "/404.html", "/assets/", "/sources/", "/pagefind/")
_ID_LIKE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass
class Site:
    """Everything the writers need, resolved and in a stable order."""

    config: Config
    urls: Urls
    briefings: list[Briefing]
    pages: list[Page]
    sources: dict[str, Source]
    categories: dict[str, Term] = field(default_factory=dict)
    tags: dict[str, Term] = field(default_factory=dict)
    authors: dict[str, Term] = field(default_factory=dict)
    archive: list[tuple[int, list[tuple[int, list[Briefing]]]]] = field(default_factory=list)
    source_pages: list[Source] = field(default_factory=list)
    outlets: dict[str, Outlet] = field(default_factory=dict)
    # briefing path -> briefings sharing its sources or tags / its other-language versions
    related: dict[str, list[Briefing]] = field(default_factory=dict)
    translations: dict[str, list[Briefing]] = field(default_factory=dict)

    @property
    def menu(self) -> list[Page]:
        return sorted((p for p in self.pages if p.menu is not None),
                      key=lambda p: (p.menu or 0, p.title))

    @cached_property
    def updated(self) -> datetime | None:
        """The newest date in the site: what feeds give as their last change."""
        dates = [b.updated or b.date for b in self.briefings]
        return max(dates) if dates else None


def _resolve_authors(b: Briefing, registry: dict[str, Author], plain: dict[str, Author],
                     diags: Diagnostics) -> None:
    for ref, (line, col) in b.author_refs:
        if ref in registry:
            b.authors.append(registry[ref])
        elif _ID_LIKE.fullmatch(ref):
            diags.error(b.path, line, col, f"unknown author '{ref}'{did_you_mean(ref, registry)}"
                        " (add it to content/authors.yaml, or write the person's full name)")
        else:
            author_id = slugify(ref)
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


def _terms(kind: str, urls: Urls, briefings: list[Briefing]) -> dict[str, Term]:
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
                term = terms[term_id] = Term(kind, term_id, name, urls.permalink(kind, id=term_id),
                                             obj=obj)
                if isinstance(obj, Category):
                    term.description = obj.description
                    obj.url = term.url
                elif isinstance(obj, Author):
                    term.description = obj.bio
                    obj.url = term.url
            term.briefings.append(b)
    return dict(sorted(terms.items()))


def _assign_urls(site: Site, diags: Diagnostics) -> None:
    taken: dict[str, str] = {path: "briefgen itself" for path in RESERVED_PATHS}
    if site.config.search:
        taken["/search/"] = "the search page"
    pages: list[Briefing | Page] = [*site.briefings, *site.pages]
    for item in pages:
        if isinstance(item, Briefing):
            item.url = site.urls.permalink(
                "briefing", year=f"{item.date.year:04d}", month=f"{item.date.month:02d}",
                day=f"{item.date.day:02d}", slug=item.slug,
                category=item.category.id if item.category else "uncategorised")
        else:
            item.url = site.urls.permalink("page", slug=item.slug)
        key = item.url.lower()
        if key in taken or any(part in ("..", ".") for part in item.url.split("/")):
            other = taken.get(key, "")
            diags.error(item.path, 1, 1, f"URL {item.url} is already used by {other}; "
                        "give one of them another 'slug:'" if other else
                        f"URL {item.url} leaves the site")
        else:
            taken[key] = item.path


def _archive(briefings: list[Briefing],
             tz: tzinfo) -> list[tuple[int, list[tuple[int, list[Briefing]]]]]:
    years: dict[int, dict[int, list[Briefing]]] = defaultdict(lambda: defaultdict(list))
    for b in briefings:
        local = b.date.astimezone(tz)
        years[local.year][local.month].append(b)
    return [(year, sorted(months.items(), reverse=True))
            for year, months in sorted(years.items(), reverse=True)]


def build_site(config: Config, urls: Urls, briefings: list[Briefing], pages: list[Page],
               library: dict[str, Source], authors: dict[str, Author],
               categories: dict[str, Category], diags: Diagnostics, *, now: datetime,
               drafts: bool = False, future: bool = False,
               outlets: dict[str, Outlet] | None = None) -> Site:
    """Resolve every reference (reporting each bad one), then keep what is to be published."""
    plain: dict[str, Author] = {}
    sources = collect_sources(library, briefings, diags)
    for b in briefings:
        _resolve_authors(b, authors, plain, diags)
        _resolve_category(b, categories, diags)
        resolve_citations(b, sources, diags)
        check_quotes(b, sources, diags)
        b.future = b.date > now
    warn_uncited(library, briefings, diags)
    published = sorted((b for b in briefings if (drafts or not b.draft)
                        and (future or not b.future)), key=lambda b: b.sort_key)
    site = Site(config, urls, published, sorted((p for p in pages if drafts or not p.draft),
                                                key=lambda p: p.path), sources)
    _assign_urls(site, diags)
    link_citing(published)
    site.source_pages, site.outlets = library_pages(sources, outlets or {}, urls)
    site.categories = _terms("category", urls, published)
    site.tags = _terms("tag", urls, published)
    site.authors = _terms("author", urls, published)
    for kind, registry, terms in (("category", categories, site.categories),
                                  ("author", authors, site.authors)):
        for obj in registry.values():
            if obj.id not in terms:
                obj.url = urls.permalink(kind, id=obj.id)
                terms[obj.id] = Term(kind, obj.id, obj.name, obj.url, obj=obj,
                                     description=getattr(obj, "description", "")
                                     or getattr(obj, "bio", ""))
    site.categories = dict(sorted(site.categories.items()))
    site.authors = dict(sorted(site.authors.items()))
    site.archive = _archive(published, config.tz)
    site.related = related_briefings(published)
    site.translations = translations(published)
    return site
