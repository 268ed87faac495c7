"""The content model: authors, categories, sources, briefings and pages as plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from briefgen.languages import LANG
from briefgen.schema import Bool, DateTime, Field, ListOf, Str, Url, Zone
from briefgen.sourceschema import SourceRef

if TYPE_CHECKING:
    from briefgen.citations import CitationData

__all__ = ["CARD", "CONTENT", "HIDDEN", "MODEL", "PAGE", "SHAPE", "UNLOADED", "Author", "Briefing",
           "Category", "CitedSource", "Outlet", "Page", "Source", "TagInfo", "Term",
           "briefing_fields", "declared", "front_matter_fields", "front_matter_keys", "localized"]

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
    url_at: Pos = (0, 0)  # (line, col) of the url's value in its file, for link checks
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


# Every Briefing field is declared once, with what it feeds and what an edit of it does:
# - feeds: CARD (what lists, feeds and newer/older links show: in the card digest), PAGE (its own
#   page and feed entries only: in the briefing digest), HIDDEN (no template shows it; changing it
#   alone changes no page key). digests.py reads the fields accordingly, and a test proves that
#   changing each field changes exactly the digests its declaration says.
# - role: CONTENT (an edit changes only what pages show: the preview edits it in place), SHAPE (an
#   edit can move the briefing to other URLs, lists, terms, months or related blocks: a full build),
#   MODEL (set by the site model, never read from a file).
# - front, spec: its key in the front matter, if an editor writes it, and that key's schema Field
#   (its type, whether it is required, its doc). content.py's BRIEFING_SCHEMA is made of these, so
#   a new front matter key is one line here (and its use in content.py and the templates); a test
#   proves that every field is classified and that a field has a key exactly when it has a spec.
CARD, PAGE, HIDDEN = "card", "page", "hidden"
# body_html of a briefing read back from the build state without its body (loader.py): the body
# is read only for the jobs that render it, and its digest stands in for it until then.
UNLOADED = "\0the body is in the build state\0"
CONTENT, SHAPE, MODEL = "content", "shape", "model"


UUID_RE = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


def declared(feeds: str, role: str, front: str | None = None, spec: Field | None = None,
             **default: Any) -> Any:
    """A Briefing field with its declaration (see above); default= or default_factory=."""
    return field(metadata={"feeds": feeds, "role": role, "front": front, "spec": spec},
                 **default)


@dataclass
class Briefing:
    """One briefing: front matter values, its rendered body, and what the site model resolves."""

    path: str = declared(HIDDEN, SHAPE)
    guid: str = declared(CARD, SHAPE, "id", Field(
        Str(UUID_RE, "a UUID like 3f1c2a9e-6b7d-4c1e-9a55-0d2f4e8b7c61"),
        doc="Permanent id: the feed guid. Written by 'briefgen new'."))
    title: str = declared(CARD, CONTENT, "title", Field(Str(), required=True))
    slug: str = declared(HIDDEN, SHAPE, "slug",
                         Field(Str(), doc="URL slug (default: the file name)."))
    date: datetime = declared(CARD, SHAPE, "date", Field(DateTime(), required=True))
    body_html: str = declared(PAGE, CONTENT)  # the Markdown body, rendered
    summary: str = declared(CARD, CONTENT, "summary", Field(
        Str(), doc="One or two sentences for lists, feeds and meta tags."))
    kicker: str = declared(CARD, CONTENT, "kicker", Field(Str(), doc="Overline above the title."),
                           default="")
    updated: datetime | None = declared(CARD, SHAPE, "updated", Field(DateTime()), default=None)
    author_refs: list[tuple[str, Pos]] = declared(HIDDEN, SHAPE, "authors", Field(ListOf(Str())),
                                                  default_factory=list)
    category_ref: tuple[str, Pos] | None = declared(HIDDEN, SHAPE, "category", Field(Str()),
                                                    default=None)
    # (slug, display name)
    tags: list[tuple[str, str]] = declared(CARD, SHAPE, "tags", Field(ListOf(Str())),
                                           default_factory=list)
    lang: str = declared(CARD, SHAPE, "lang", Field(Str(LANG, "a language code like 'en'")),
                         default="")
    translation_key: str = declared(PAGE, SHAPE, "translation_key", Field(Str()), default="")
    draft: bool = declared(CARD, SHAPE, "draft", Field(Bool()), default=False)
    image: str = declared(PAGE, CONTENT, "image", Field(Url(("http", "https"), relative=True)),
                          default="")
    # its own IANA zone for the byline ('' : the site's)
    timezone: str = declared(CARD, SHAPE, "timezone", Field(
        Zone(), doc="IANA timezone of this briefing's bare dates and of its byline (default: the "
        "site's)."), default="")
    # when it leaves the lists and feeds (its page stays, with a note): scheduled publishing
    expires: datetime | None = declared(PAGE, SHAPE, "expires", Field(
        DateTime(), doc="When the briefing leaves the lists and feeds (its page stays, with a "
        "note); see docs/publishing.md."), default=None)
    source_refs: list[tuple[str | Source, Pos]] = declared(
        HIDDEN, SHAPE, "sources", Field(ListOf(SourceRef())), default_factory=list)
    headings: list[tuple[int, str, str]] = declared(PAGE, CONTENT, default_factory=list)
    citations: CitationData | None = declared(HIDDEN, CONTENT, default=None)
    # digests.body_digest of body_html and headings, kept when the state holds them back (UNLOADED)
    body_digest: str = declared(HIDDEN, CONTENT, default="")
    # of 'lang', 'translation_key'
    positions: dict[str, Pos] = declared(HIDDEN, SHAPE, default_factory=dict)
    # resolved by the site model
    url: str = declared(CARD, MODEL, default="")
    future: bool = declared(CARD, MODEL, default=False)
    expired: bool = declared(PAGE, MODEL, default=False)  # expires is past: its page only
    authors: list[Author] = declared(CARD, MODEL, default_factory=list)
    category: Category | None = declared(CARD, MODEL, default=None)
    # cited first, then further reading (pages read those two)
    sources: list[Source] = declared(HIDDEN, MODEL, default_factory=list)
    cited: list[CitedSource] = declared(PAGE, MODEL, default_factory=list)
    further: list[Source] = declared(PAGE, MODEL, default_factory=list)

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


def briefing_fields(*, feeds: str | None = None, role: str | None = None) -> tuple[str, ...]:
    """The Briefing fields declared as feeding `feeds` and/or with `role`, in order."""
    return tuple(f.name for f in fields(Briefing)
                 if (feeds is None or f.metadata["feeds"] == feeds)
                 and (role is None or f.metadata["role"] == role))


def front_matter_fields() -> dict[str, Field]:
    """Front matter key -> its schema Field, in the order the Briefing fields are declared."""
    return {f.metadata["front"]: f.metadata["spec"] for f in fields(Briefing)
            if f.metadata["front"]}


def front_matter_keys() -> dict[str, str]:
    """Front matter key -> the Briefing field it is read into."""
    return {f.metadata["front"]: f.name for f in fields(Briefing) if f.metadata["front"]}
