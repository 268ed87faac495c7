"""What a clip produces: the article found in a page, and the snapshot it was found in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["Article", "Snapshot"]


@dataclass
class Article:
    """Metadata and text of one article; empty strings mean 'not found'."""

    title: str = ""
    outlet: str = ""
    url: str = ""
    authors: list[str] = field(default_factory=list)
    published: str = ""  # ISO 8601 as found: a date, or a date-time with or without offset
    language: str = ""
    paragraphs: list[str] = field(default_factory=list)  # Markdown blocks, in order

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)

    @property
    def markdown(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class Snapshot:
    """The page as it was read: raw bytes, where from and when."""

    kind: str  # "html" or "text"
    raw: bytes
    requested_url: str = ""  # the URL clipped, when it was fetched
    final_url: str = ""  # after redirects
    fetched_at: datetime | None = None
    status: int = 0
    content_type: str = ""
    charset: str = ""  # from the HTTP Content-Type, when it named one
    path: str = ""  # the file it was read from, when it was not fetched
