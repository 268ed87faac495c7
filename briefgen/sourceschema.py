"""A source's front matter keys, and the type of a briefing's `sources:` entries (id or inline)."""

from __future__ import annotations

from typing import Any

import yaml

from briefgen.languages import LANG
from briefgen.schema import Bool, Ctx, DateTime, Field, ListOf, Record, Str, Type, Url

__all__ = ["INLINE_SOURCE_SCHEMA", "SOURCE_ID", "SOURCE_ID_HINT", "SOURCE_SCHEMA", "SourceRef"]

SOURCE_ID = r"[a-z0-9][a-z0-9._-]*"
SOURCE_ID_HINT = "a source id (lowercase letters, digits, '.', '_' and '-')"


def _source_fields(inline: bool) -> dict[str, Field]:
    fields = {
        "title": Field(Str(), required=True, doc="Headline of the article."),
        "outlet": Field(Str(), required=True, doc="Who published it."),
        "url": Field(Url(("http", "https"), relative=False), required=True),
        "author": Field(Str(), doc="One author."),
        "authors": Field(ListOf(Str()), doc="Several authors."),
        "published": Field(DateTime(), doc="When the article was published."),
        "accessed": Field(DateTime(), doc="When we read it."),
        "language": Field(Str(LANG, "a language code like 'en'")),
        "archive_url": Field(Url(("http", "https"), relative=False)),
        "publish_text": Field(Bool(), doc="Publish the clipped text (default false)."),
    }
    if inline:
        fields = {"id": Field(Str(SOURCE_ID, SOURCE_ID_HINT), required=True), **fields}
    return fields


SOURCE_SCHEMA = Record("source front matter", _source_fields(inline=False))
INLINE_SOURCE_SCHEMA = Record("inline source", _source_fields(inline=True))


_ID_TYPE = Str(SOURCE_ID, SOURCE_ID_HINT)  # made once: every briefing converts a few ids


class SourceRef(Type):
    """A source in a briefing: a library id, or an inline source mapping with an id."""

    # An inline source converts to its checked values (an LDict whose `where` is its line), and
    # content.py makes the Source of them: so models.py can declare this type without a cycle.

    label = "a source id or a source mapping"

    def convert(self, node: yaml.Node, ctx: Ctx, key: str) -> Any:
        if isinstance(node, yaml.MappingNode):
            return INLINE_SOURCE_SCHEMA.convert(node, ctx, key)
        return _ID_TYPE.convert(node, ctx, key)
