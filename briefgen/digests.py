"""Render keys: a digest of everything a page's bytes depend on, for incremental builds.

The contract for templates (docs/themes.md): a page may use its own objects (its briefing, term,
source, outlet, page), the cards (url, title, kicker, summary, dates and their timezone, category,
authors, tags, language) of the briefings it lists or links as newer/older, and the site's chrome
(config, language, categories, menu).
Everything else changes every page's key: the template files a page uses (with their includes and
parents), briefgen's version and the configuration.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from briefgen import __version__
from briefgen.models import Author, Briefing, Category, Outlet, Page, Source, Term
from briefgen.site import Edition, Site

__all__ = ["Digests", "digest"]


def digest(*parts: Any) -> str:
    """A short stable hash of reprs of plain values (str, int, tuples, lists, None...)."""
    # repr() of a long text costs four times what hashing its bytes does: hash those first
    flat = tuple(_text_digest(p) if isinstance(p, str) and len(p) > 512 else p for p in parts)
    return hashlib.blake2b(repr(flat).encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


def _text_digest(text: str) -> str:
    return "#" + hashlib.blake2b(text.encode("utf-8", "surrogatepass"),
                                 digest_size=16).hexdigest()


def _date(value: Any) -> str:
    return value.isoformat() if value is not None else ""


class Digests:
    """Digests of the site's objects, each computed once per build."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._memo: dict[tuple[str, int], str] = {}
        self.config = digest(__version__,
                             sorted((k, repr(v)) for k, v in site.config.fingerprint().items()))

    def chrome(self, edition: Edition) -> str:
        """What every page of a language shows around its content: the config, the language,
        its sections and menu."""
        return self._once("chrome", edition, lambda: digest(
            self.config, edition.language,
            [(t.name, t.url) for t in edition.categories.values()],
            [(p.title, p.url, p.menu) for p in edition.menu]))

    def _once(self, kind: str, obj: object, make: Any) -> str:
        key = (kind, id(obj))
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = make()
        return found

    def card(self, b: Briefing | None) -> str:
        """What a list or a newer/older link shows of a briefing."""
        if b is None:
            return ""
        return self._once("card", b, lambda: digest(
            b.url, b.title, b.kicker, b.summary, _date(b.date), _date(b.updated), b.draft,
            b.future, b.guid, (b.category.name, b.category.url) if b.category else None,
            [(a.name, a.url) for a in b.authors], b.tags, b.lang, b.timezone))

    def source(self, s: Source) -> str:
        return self._once("source", s, lambda: digest(
            s.id, s.title, s.outlet, s.url, s.authors, _date(s.published), _date(s.accessed),
            s.language, s.archive_url, s.publish_text, s.text_html, s.page_url, s.outlet_id))

    def briefing(self, b: Briefing) -> str:
        """Everything a briefing's own page and feed entries show."""
        return self._once("briefing", b, lambda: digest(
            self.card(b), b.body_html, b.headings, b.image, b.translation_key,
            b.category.disclaimer if b.category else "",
            [(a.id, a.bio, sorted(a.links.items())) for a in b.authors],
            [(c.number, self.source(c.source), c.backrefs, c.locators) for c in b.cited],
            [self.source(s) for s in b.further]))

    def cards(self, items: Iterable[Briefing]) -> str:
        return digest([self.card(b) for b in items])

    def citing(self, s: Source) -> str:
        return self._once("citing", s, lambda: digest(
            [(self.card(c.briefing), c.sentence) for c in s.cited_by]))

    def term(self, t: Term) -> str:
        obj = t.obj
        extra: Any = None
        if isinstance(obj, Author):
            extra = (obj.bio, sorted(obj.links.items()))
        elif isinstance(obj, Category):
            extra = (obj.description, obj.disclaimer)
        return digest(t.kind, t.id, t.name, t.url, t.description, extra)

    def page(self, p: Page) -> str:
        return digest(p.url, p.title, p.summary, p.body_html, p.lang, p.draft, p.menu)

    def outlet(self, o: Outlet) -> str:
        return self._once("outlet", o, lambda: digest(
            o.id, o.name, o.url, o.homepage, o.country,
            [(self.source(s), self.citing(s)) for s in o.sources]))
