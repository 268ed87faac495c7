"""The content model: authors, categories, sources, briefings and pages as plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from briefgen.citations import CitationData

__all__ = ["Author", "Briefing", "Category", "CitedSource", "Outlet", "Page", "Source", "TagInfo",
           "Term", "localized"]

Pos = tuple[int, int]


@dataclass
class Author:
    """A person who writes briefings: from authors.yaml, or a plain name in front matter."""

    id: str
    name: str
    bio: str = ""
    links: dict[str, str] = field(default_factory=dict)
    url: str = ""
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> field -> text


@dataclass
class Category:
    """A section of the site (Opinion, Analysis...), from categories.yaml."""

    id: str
    name: str
    description: str = ""
    disclaimer: str = ""
    url: str = ""
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> field -> text


@dataclass
class TagInfo:
    """A tag described in tags.yaml: its display name (per language) and description."""

    id: str
    name: str
    description: str = ""
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Source:
    """An article somebody else published, from content/sources/<id>.md or inline."""

    id: str
    title: str
    outlet: str
    url: str
    path: str
    line: int = 1
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    accessed: datetime | None = None
    language: str = ""
    archive_url: str = ""
    publish_text: bool = False
    text: str = ""
    text_html: str = ""  # the clipped text as safe HTML, only when publish_text is true
    inline: bool = False
    # resolved by the site model
    page_url: str = ""
    outlet_id: str = ""
    cited_by: list[Citing] = field(default_factory=list)


@dataclass
class CitedSource:
    """A numbered entry of a briefing's Sources list, with every back-link to its markers."""

    number: int
    source: Source
    backrefs: list[str]
    locators: list[str]
    # (quotation, link to its place in the source: url#:~:text=...) for each one found there
    quoted: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Citing:
    """A briefing that cites a source, and the sentence it cites it in."""

    briefing: Briefing
    sentence: str


@dataclass
class Outlet:
    """A publisher, derived from its sources' `outlet` names; described in outlets.yaml."""

    id: str
    name: str
    url: str = ""
    homepage: str = ""
    country: str = ""
    sources: list[Source] = field(default_factory=list)


@dataclass
class Briefing:
    """One briefing: front matter values, its rendered body, and what the site model resolves."""

    path: str
    guid: str
    title: str
    slug: str
    date: datetime
    body_html: str
    summary: str
    kicker: str = ""
    updated: datetime | None = None
    author_refs: list[tuple[str, Pos]] = field(default_factory=list)
    category_ref: tuple[str, Pos] | None = None
    tags: list[tuple[str, str]] = field(default_factory=list)  # (slug, display name)
    lang: str = ""
    translation_key: str = ""
    draft: bool = False
    image: str = ""
    timezone: str = ""  # its own IANA zone for the byline ('' : the site's)
    source_refs: list[tuple[str | Source, Pos]] = field(default_factory=list)
    headings: list[tuple[int, str, str]] = field(default_factory=list)
    citations: CitationData | None = None
    positions: dict[str, Pos] = field(default_factory=dict)  # of 'lang', 'translation_key'
    # resolved by the site model
    url: str = ""
    future: bool = False
    authors: list[Author] = field(default_factory=list)
    category: Category | None = None
    sources: list[Source] = field(default_factory=list)  # cited first, then further reading
    cited: list[CitedSource] = field(default_factory=list)
    further: list[Source] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple[float, str]:
        """Newest first, then by path: a total order whatever the file system lists first."""
        return (-self.date.timestamp(), self.path)


@dataclass
class Page:
    """A standalone page from content/pages/ (about, methodology)."""

    path: str
    title: str
    slug: str
    body_html: str
    summary: str = ""
    lang: str = ""
    translation_key: str = ""
    draft: bool = False
    menu: int | None = None
    positions: dict[str, Pos] = field(default_factory=dict)  # of 'lang', 'translation_key'
    url: str = ""


@dataclass
class Term:
    """A taxonomy value (category, tag or author) with the briefings filed under it."""

    kind: str
    id: str
    name: str
    url: str
    briefings: list[Briefing] = field(default_factory=list)
    description: str = ""
    obj: Author | Category | None = None


_Named = TypeVar("_Named", Author, Category, TagInfo)


def localized(obj: _Named, lang: str) -> _Named:
    """A copy of a registry entry with its names in `lang` (where it has them)."""
    fields: dict[str, Any] = dict(obj.translations.get(lang, {}))
    return replace(obj, **fields)
