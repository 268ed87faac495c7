"""A briefing's shape: everything a parse gives except its content, as one digest.

The content fields (declared CONTENT in models.py: title, kicker, summary, body, headings,
citations, image) only ever show up in pages; every other field (date, slug, category, tags,
authors, language, draft, sources listed, id...) can move a briefing to other URLs, lists, terms,
archive months or related blocks.
"""

from __future__ import annotations

from dataclasses import fields

from briefgen.digests import digest
from briefgen.models import CONTENT, Briefing, briefing_fields

__all__ = ["CONTENT_FIELDS", "shape"]

CONTENT_FIELDS = briefing_fields(role=CONTENT)


def shape(b: Briefing) -> str:
    """The digest of every field of a freshly parsed briefing but its content fields, and
    whether it has an image of its own (without one, the site publishes its social card)."""
    return digest(*[(f.name, repr(getattr(b, f.name))) for f in fields(b)
                    if f.name not in CONTENT_FIELDS], ("own image", bool(b.image)))
