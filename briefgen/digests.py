"""Render keys: a digest of everything a page's bytes depend on, for incremental builds.

The contract for templates (docs/themes.md): a page may use its own objects (its briefing, term,
source, outlet, page), the cards (url, title, kicker, summary, dates and their timezone, category,
authors, tags, language) of the briefings it lists or links as newer/older, and the site's chrome
(config, language, categories, menu).
Everything else changes every page's key: the template files a page uses (with their includes and
parents), briefgen's version and the configuration.

A page's key must read a briefing's, source's or outlet's data through the memoised digests below
(card, briefing, source, citing, outlet), never from the object directly: the preview records which
of them each key was derived from (`recording`) and re-renders exactly the pages whose digests
changed after an edit (briefgen/engine/depends.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from briefgen import __version__
from briefgen.models import UNLOADED, Author, Briefing, Category, Outlet, Page, Source, Term

if TYPE_CHECKING:
    from briefgen.site import Edition, Site

__all__ = ["Digests", "Provenance", "body_digest", "digest", "recording"]


def digest(*parts: Any) -> str:
    """A short stable hash of reprs of plain values (str, int, tuples, lists, None...)."""
    # repr() of a long text costs four times what hashing its bytes does: hash those first
    flat = parts
    for part in parts:  # (rare: most parts are short or digests already)
        if isinstance(part, str) and len(part) > 512:
            flat = tuple(_text_digest(p) if isinstance(p, str) and len(p) > 512 else p
                         for p in parts)
            break
    value = hashlib.blake2b(repr(flat).encode("utf-8", "surrogatepass"),
                            digest_size=16).hexdigest()
    if _recording is not None:
        _recording.derive(value, parts)
    return value


def body_digest(b: Briefing) -> str:
    """What a briefing's body shows: its HTML and headings (or, when the build state held them
    back, the digest they had when they were stored)."""
    if b.body_html == UNLOADED:
        return b.body_digest
    return digest(b.body_html, b.headings)


class Provenance:
    """Which memoised digests each digest computed while recording was made from, directly or
    through other digests: entries are (kind, object) pairs, numbered in order of first use."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, Any]] = []
        self._numbers: dict[tuple[str, int], int] = {}
        self._made_from: dict[str, frozenset[int]] = {}

    def of(self, value: str) -> frozenset[int]:
        """The entries a digest value was made from (empty for one made from plain data)."""
        return self._made_from.get(value, frozenset())

    def derive(self, value: str, parts: tuple[Any, ...]) -> None:
        found: set[int] = set()
        _collect(parts, self._made_from, found)
        if found:
            self._add(value, found)

    def name(self, value: str, kind: str, obj: object) -> None:
        """value is the memoised `kind` digest of obj."""
        number = self._numbers.get((kind, id(obj)))
        if number is None:
            number = self._numbers[(kind, id(obj))] = len(self.entries)
            self.entries.append((kind, obj))
        self._add(value, {number})

    def _add(self, value: str, found: set[int]) -> None:
        known = self._made_from.get(value)
        self._made_from[value] = frozenset(found) if known is None else known | found


def _collect(parts: Iterable[Any], made_from: dict[str, frozenset[int]], found: set[int]) -> None:
    for part in parts:
        if type(part) is str:
            entries = made_from.get(part)
            if entries:
                found.update(entries)
        elif isinstance(part, list | tuple):
            _collect(part, made_from, found)


_recording: Provenance | None = None


@contextmanager
def recording() -> Iterator[Provenance]:
    """Record the provenance of every digest computed in the block (one block at a time)."""
    global _recording
    if _recording is not None:
        raise RuntimeError("digests are already being recorded")
    _recording = Provenance()
    try:
        yield _recording
    finally:
        _recording = None


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
        # kind is also the name of the method computing it (see again())
        key = (kind, id(obj))
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = make()
            if _recording is not None:
                _recording.name(found, kind, obj)
        return found

    def known(self, kind: str, obj: Any) -> str | None:
        """The `kind` digest of obj if it was computed (or remembered), else None."""
        return self._memo.get((kind, id(obj)))

    def remember(self, kind: str, obj: Any, value: str) -> None:
        """Take a digest computed by an earlier build of the same model as memoised."""
        self._memo[(kind, id(obj))] = value

    def memoised(self, kind: str, obj: Any) -> str:
        """The `kind` digest of obj as last computed (computed now if it never was)."""
        found = self._memo.get((kind, id(obj)))
        return found if found is not None else self.again(kind, obj)

    def again(self, kind: str, obj: Any) -> str:
        """The `kind` digest of obj computed anew (its memoised value dropped first)."""
        self._memo.pop((kind, id(obj)), None)
        method = getattr(self, kind)
        value: str = method(obj)
        return value

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
            self.card(b), body_digest(b), b.image, b.translation_key, _date(b.expires),
            b.expired,
            b.category.disclaimer if b.category else "",
            [(a.id, a.bio, sorted(a.links.items())) for a in b.authors],
            [(c.number, self.source(c.source), c.backrefs, c.locators, c.quoted)
             for c in b.cited],
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
        """An outlet's page: its sources and how many briefings cite each (not which)."""
        return self._once("outlet", o, lambda: digest(
            o.id, o.name, o.url, o.homepage, o.country,
            [(self.source(s), len(s.cited_by)) for s in o.sources]))
