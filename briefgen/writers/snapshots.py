"""Published copies of clipped pages (clip: publish_snapshots): where each goes, what its page key
reads (the snapshot file's digest), and its content sanitised again on the way out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin

import nh3

from briefgen.clip.snapshots import Snapshot

__all__ = ["ArchivedCopy", "archived_copy", "published_html"]

# What a published copy keeps: text and its structure, links (absolute, rel=nofollow). Not kept:
# scripts, styles, forms, frames, event handlers (nh3 never keeps them), the page's own <title>
# and <meta> tags (the copy is shown inside a page of the site), and images, which were never
# stored and would be loaded from the original site each time a reader opened the copy.
_TAGS = (nh3.ALLOWED_TAGS - {"img"}) | {
    "article", "section", "header", "footer", "nav", "aside", "main", "time", "figure",
    "figcaption", "address", "mark", "s", "u", "sub", "sup"}
_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "time": {"datetime"},
    "*": {"lang", "dir", "title"},
}
_DROPPED_WITH_CONTENT = {"title", "script", "style"}


@dataclass(frozen=True)
class ArchivedCopy:
    """A source's snapshot as the site publishes it: the site path of its page, when it was
    clipped, the file it is made from and that file's digest (part of both pages' keys)."""

    url: str
    taken: datetime
    file: Path
    kind: str  # "html" or "text"
    digest: str

    def content(self, base_url: str) -> str:
        """The page's content: sanitised HTML, or the text as it was copied (for escaping)."""
        text = self.file.read_text(encoding="utf-8", errors="replace")
        return published_html(text, base_url) if self.kind == "html" else text


def archived_copy(root: Path, snapshot: Snapshot | None, page_url: str) -> ArchivedCopy | None:
    """The published copy of a source's snapshot, at `<source page>archived/`; None without a
    snapshot or when its file has gone since the archive was listed."""
    if snapshot is None:
        return None
    file = root / snapshot.path
    try:
        data = file.read_bytes()
    except OSError:
        return None
    return ArchivedCopy(page_url + "archived/", snapshot.taken, file, snapshot.kind,
                        hashlib.blake2b(data, digest_size=16).hexdigest())


def published_html(page: str, base_url: str) -> str:
    """A stored snapshot sanitised again (a hand-edited one may hold anything) for showing
    inside a page of the site: links made absolute against the source's URL and marked
    nofollow, so that none of them leads into the site by accident."""
    def absolute(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href":
            return urljoin(base_url, value.strip())
        return value

    return nh3.clean(page, tags=_TAGS, attributes=_ATTRIBUTES,
                     clean_content_tags=_DROPPED_WITH_CONTENT,
                     url_schemes={"http", "https", "mailto"}, strip_comments=True,
                     link_rel="noopener noreferrer nofollow", attribute_filter=absolute).strip()
