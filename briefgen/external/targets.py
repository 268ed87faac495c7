"""Which URLs `check --external` fetches: each source's url once, with every place it is written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urlsplit

from briefgen.clip.snapshots import Snapshot
from briefgen.models import Source

if TYPE_CHECKING:
    from briefgen.loader import Loaded

__all__ = ["Place", "Target", "archived_copy", "collect_targets", "site_sources"]


@dataclass(frozen=True)
class Place:
    """A source's `url:` value in its file, and the archived copy to cite instead ('' if none)."""

    source_id: str
    path: str
    line: int
    col: int
    archived: str


@dataclass
class Target:
    """One URL to fetch (without its #fragment, which is never sent) and where it is written."""

    url: str
    host: str  # the host name, lower case: one request at a time per host
    places: list[Place] = field(default_factory=list)


def site_sources(loaded: Loaded) -> list[Source]:
    """Every source of the site: the library's and each briefing's inline ones (drafts and
    briefings with errors too: an editor wants to know about all of them)."""
    found = list(loaded.library.values())
    for briefing in [*loaded.briefings, *loaded.unparsed]:
        found += [ref for ref, _pos in briefing.source_refs if isinstance(ref, Source)]
    return found


def _day(snapshot: Snapshot) -> str:
    taken = snapshot.taken
    return f"{taken.day} {taken:%B %Y}"


def archived_copy(source: Source, snapshot: Snapshot | None) -> str:
    """The copies to cite instead of a dead or moved page: the snapshot `briefgen clip` kept,
    and the source's `archive_url`, as one phrase ('' when there is neither)."""
    copies = []
    if snapshot is not None:
        copies.append(f"{snapshot.path} (clipped {_day(snapshot)})")
    if source.archive_url:
        copies.append(source.archive_url)
    return " or ".join(copies)


def collect_targets(sources: Iterable[Source], snapshots: dict[str, Snapshot]) -> list[Target]:
    """One target per distinct URL (sorted), each with the places that name it."""
    targets: dict[str, Target] = {}
    for source in sources:
        url = urldefrag(source.url).url
        target = targets.get(url)
        if target is None:
            target = targets[url] = Target(url, (urlsplit(url).hostname or "").lower())
        line, col = source.url_at if source.url_at[0] else (source.line, 1)
        target.places.append(Place(source.id, source.path, line, col,
                                   archived_copy(source, snapshots.get(source.id))))
    return [targets[url] for url in sorted(targets)]
