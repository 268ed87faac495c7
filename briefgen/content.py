"""Parsing content files into Briefing, Page and Source objects: one pure function per kind."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import PurePosixPath
from typing import Any

import yaml
from markdown_it import MarkdownIt

from briefgen.config import Config
from briefgen.diagnostics import Diagnostics
from briefgen.frontmatter import Document, decode, split
from briefgen.languages import LANG
from briefgen.markdown import create_markdown, render_markdown
from briefgen.models import Briefing, Page, Source, front_matter_fields
from briefgen.schema import Bool, Ctx, Field, Int, LDict, Record, Str, zone
from briefgen.slugs import is_slug, slugify
from briefgen.sourceschema import SOURCE_ID, SOURCE_SCHEMA

__all__ = [
    "BRIEFING_SCHEMA",
    "GUID_NAMESPACE",
    "PAGE_SCHEMA",
    "SOURCE_SCHEMA",
    "ParseContext",
    "parse_briefing",
    "parse_page",
    "parse_source",
    "read_briefing",
]

_SOURCE_ID = re.compile(SOURCE_ID)
GUID_NAMESPACE = uuid.UUID("5b0f4d0e-5f43-4b8a-9c59-1f6c2b1e0b7a")

# Each key's type is declared on the Briefing field it is read into (models.py).
BRIEFING_SCHEMA = Record("briefing front matter", front_matter_fields())

PAGE_SCHEMA = Record("page front matter", {
    "title": Field(Str(), required=True),
    "summary": Field(Str()),
    "slug": Field(Str()),
    "lang": Field(Str(LANG, "a language code like 'en'")),
    "translation_key": Field(Str()),
    "draft": Field(Bool()),
    "menu": Field(Int(0, 1000), doc="Position in the header navigation; absent = not listed."),
})


@dataclass
class ParseContext:
    """What parsing needs besides the file: the config and the Markdown renderer."""

    config: Config
    md: MarkdownIt
    base_path: str = "/"
    _clipped_md: MarkdownIt | None = None

    @property
    def clipped_md(self) -> MarkdownIt:
        """Renderer for other people's clipped text: raw HTML escaped, no citations."""
        if self._clipped_md is None:
            self._clipped_md = create_markdown(raw_html=False, citations=False)
        return self._clipped_md


def _front(path: str, raw: bytes, what: str, schema: Record, ctx: ParseContext,
           diags: Diagnostics, partial: bool = False) -> tuple[LDict | None, Document | None]:
    """The front matter's converted values (None when unusable), and the document. `partial`:
    the fields that converted even when others did not (the errors are in diags)."""
    text = decode(path, raw, diags)
    if text is None:
        return None, None
    doc = split(path, text, diags)
    if not doc.has_front_matter:
        diags.error(path, 1, 1, f"a {what} must start with front matter: a line '---', "
                    "YAML such as 'title: ...', and another '---'")
        return None, doc
    if doc.front is None:
        if not diags.has_errors():
            diags.error(path, 1, 1, f"{what} front matter is empty")
        return None, doc
    tz = _own_zone(doc.front) if "timezone" in schema.fields else None
    values, ok = schema.convert_partial(
        doc.front, Ctx(path, diags, doc.front_offset, tz or ctx.config.tz), "")
    return (values if ok or partial else None), doc


def _own_zone(front: yaml.Node) -> tzinfo | None:
    """The front matter's own `timezone:`, read first: its bare dates are in that zone. (A bad
    name is reported when the field itself is converted.)"""
    if isinstance(front, yaml.MappingNode):
        for key, value in front.value:
            if (isinstance(key, yaml.ScalarNode) and key.value == "timezone"
                    and isinstance(value, yaml.ScalarNode)):
                return zone(value.value.strip())
    return None


def _lang_suffix(path: str, config: Config) -> tuple[str, str | None]:
    """'x.ru.md' -> ('x', 'ru') when ru is a language of the site; else (stem, None)."""
    stem = PurePosixPath(path).stem
    base, dot, suffix = stem.rpartition(".")
    if dot and base and any(lang.code == suffix for lang in config.languages):
        return base, suffix
    return stem, None


def _language(values: LDict, path: str, config: Config, diags: Diagnostics) -> str:
    """`lang:`, else the file name's language suffix, else the site's default language."""
    _stem, suffix = _lang_suffix(path, config)
    lang = values.get("lang")
    if lang is None:
        return suffix or config.language
    if suffix is not None and lang != suffix:
        line, col = values.pos["lang"]
        diags.error(path, line, col, f"'lang' is {lang!r} but the file name says {suffix!r}; "
                    "make them agree")
    return str(lang)


def _check_slug(values: LDict, path: str, config: Config, diags: Diagnostics) -> str | None:
    stem, _suffix = _lang_suffix(path, config)
    mode = config.slugs
    slug = values.get("slug")
    if slug is None:
        result = slugify(stem, mode)
        if not result:
            diags.error(path, 1, 1, f"cannot make a URL slug from the file name {stem!r}; "
                        "add 'slug:' to the front matter")
            return None
        return result
    if not is_slug(slug, mode):
        line, col = values.pos["slug"]
        suggestion = slugify(slug, mode)
        hint = f" like '{suggestion}'" if suggestion else ""
        diags.error(path, line, col, f"'slug' must be lowercase words joined by hyphens{hint}, "
                    f"got {slug!r}")
        return None
    return str(slug)


def _positions(values: LDict) -> dict[str, tuple[int, int]]:
    """Where the language keys and the id are, for the site model's errors about them."""
    return {key: values.pos[key] for key in ("lang", "translation_key", "id")
            if key in values.pos}


def _located(values: LDict, key: str) -> list[tuple[Any, tuple[int, int]]]:
    items = values.get(key)
    return list(zip(items, items.pos, strict=True)) if items else []


def _source_refs(values: LDict, path: str) -> list[tuple[str | Source, tuple[int, int]]]:
    """The `sources:` entries: library ids, and a Source for each inline one (schema: SourceRef)."""
    return [(_make_source(ref, path, ref.where[0], inline=True) if isinstance(ref, LDict) else ref,
             pos) for ref, pos in _located(values, "sources")]


def parse_briefing(path: str, raw: bytes, ctx: ParseContext) -> tuple[Briefing | None, Diagnostics]:
    """A briefing from its file's bytes, or None with the diagnostics that explain why."""
    briefing, diags = read_briefing(path, raw, ctx)
    return (None if diags.has_errors() else briefing), diags


# A briefing with errors in its front matter still has its references checked by the model:
# these stand in for the fields that did not convert.
_NO_DATE = datetime(1970, 1, 1, tzinfo=UTC)


def read_briefing(path: str, raw: bytes, ctx: ParseContext) -> tuple[Briefing | None, Diagnostics]:
    """A briefing from its file's bytes, with the diagnostics of its file.

    With errors, the briefing is not one to publish but what could be read of it: every field
    that converted, so that the site model still reports its unknown authors, category and
    sources in the same run (placeholders for the rest). None when not even that could be read
    (no front matter, malformed YAML)."""
    diags = Diagnostics()
    values, doc = _front(path, raw, "briefing", BRIEFING_SCHEMA, ctx, diags, partial=True)
    if values is None or doc is None:
        return None, diags
    slug = _check_slug(values, path, ctx.config, diags)
    lang = _language(values, path, ctx.config, diags)
    if "expires" in values and "date" in values and values["expires"] <= values["date"]:
        line, col = values.pos["expires"]
        diags.error(path, line, col, f"expires ({values['expires'].isoformat()}) is not after "
                    f"the briefing's date ({values['date'].isoformat()})")
    tags: list[tuple[str, str]] = []
    for name, (line, col) in _located(values, "tags"):
        tag = slugify(name, ctx.config.slugs)
        if not tag:
            diags.error(path, line, col, f"tag {name!r} has no letters or digits")
        elif tag not in {t for t, _ in tags}:
            tags.append((tag, name))
    rendered = render_markdown(ctx.md, doc.body, ctx.base_path)
    guid = values.get("id") or str(uuid.uuid5(GUID_NAMESPACE, str(PurePosixPath(path)
                                                                  .with_suffix(""))))
    briefing = Briefing(
        path=path,
        guid=f"urn:uuid:{guid.lower()}",
        title=values.get("title", ""),
        slug=slug or "",
        date=values.get("date", _NO_DATE),
        updated=values.get("updated"),
        expires=values.get("expires"),
        body_html=rendered.html,
        summary=values.get("summary") or rendered.first_paragraph,
        kicker=values.get("kicker", ""),
        author_refs=_located(values, "authors"),
        category_ref=(values["category"], values.pos["category"]) if "category" in values
        else None,
        tags=tags,
        lang=lang,
        translation_key=values.get("translation_key", ""),
        draft=values.get("draft", False),
        image=values.get("image", ""),
        timezone=values.get("timezone", ""),
        source_refs=_source_refs(values, path),
        headings=rendered.headings,
        citations=rendered.citations.shifted(doc.body_offset),
        positions=_positions(values),
    )
    return briefing, diags


def parse_page(path: str, raw: bytes, ctx: ParseContext) -> tuple[Page | None, Diagnostics]:
    """A standalone page from its file's bytes."""
    diags = Diagnostics()
    values, doc = _front(path, raw, "page", PAGE_SCHEMA, ctx, diags)
    if values is None or doc is None:
        return None, diags
    slug = _check_slug(values, path, ctx.config, diags)
    lang = _language(values, path, ctx.config, diags)
    if slug is None:
        return None, diags
    rendered = render_markdown(ctx.md, doc.body, ctx.base_path)
    page = Page(
        path=path,
        title=values["title"],
        slug=slug,
        body_html=rendered.html,
        summary=values.get("summary") or rendered.first_paragraph,
        lang=lang,
        translation_key=values.get("translation_key", ""),
        draft=values.get("draft", False),
        menu=values.get("menu"),
        positions=_positions(values),
    )
    return page, diags


def _make_source(values: LDict, path: str, line: int, inline: bool,
                 source_id: str | None = None, text: str = "") -> Source:
    authors = list(values.get("authors", []))
    if "author" in values:
        authors.insert(0, values["author"])
    return Source(
        id=source_id or values["id"],
        title=values["title"],
        outlet=values["outlet"],
        url=values["url"],
        path=path,
        line=line,
        url_at=values.pos["url"],
        authors=authors,
        published=values.get("published"),
        accessed=values.get("accessed"),
        language=values.get("language", ""),
        archive_url=values.get("archive_url", ""),
        publish_text=values.get("publish_text", False),
        text=text,
        inline=inline,
    )


def parse_source(path: str, raw: bytes, ctx: ParseContext) -> tuple[Source | None, Diagnostics]:
    """A library source from content/sources/<id>.md; its body is the clipped text."""
    diags = Diagnostics()
    source_id = PurePosixPath(path).stem
    if not _SOURCE_ID.fullmatch(source_id):
        diags.error(path, 1, 1, f"source file name {source_id!r} is not a valid id: use "
                    "lowercase letters, digits, '.', '_' and '-'")
    values, doc = _front(path, raw, "source", SOURCE_SCHEMA, ctx, diags)
    if values is None or doc is None or diags.has_errors():
        return None, diags
    source = _make_source(values, path, 1, False, source_id, doc.body.strip())
    if source.publish_text and source.text:
        source.text_html = render_markdown(ctx.clipped_md, source.text, ctx.base_path).html
    return source, diags
