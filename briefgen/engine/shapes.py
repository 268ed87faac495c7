"""A briefing's shape: everything a parse gives except its content, as one digest.

The content fields (title, kicker, summary, body, headings, citations, image) only ever show up in
pages; every other field (date, slug, category, tags, authors, language, draft, sources listed,
id...) can move a briefing to other URLs, lists, terms, archive months or related blocks. A new
field counts as shape until it is named here, so forgetting one costs speed, never correctness.
"""

from __future__ import annotations

from dataclasses import fields

from briefgen.digests import digest
from briefgen.models import Briefing

__all__ = ["CONTENT_FIELDS", "shape"]

CONTENT_FIELDS = ("title", "kicker", "summary", "body_html", "headings", "citations", "image")


def shape(b: Briefing) -> str:
    """The digest of every field of a freshly parsed briefing but its content fields."""
    return digest(*[(f.name, repr(getattr(b, f.name))) for f in fields(b)
                    if f.name not in CONTENT_FIELDS])
