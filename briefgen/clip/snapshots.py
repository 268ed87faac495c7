"""The archive folder read back: each source's newest snapshot (what `briefgen clip` kept)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["SNAPSHOT_FILES", "Snapshot", "archive_folder", "newest_snapshots"]

# What a snapshot folder holds the page as (write.py archive_snapshot): sanitised HTML, or the
# text an editor copied from the browser.
SNAPSHOT_FILES = ("page.html", "page.txt")
# <UTC time>, or <UTC time>-<n> for a second clip within the same second
_STAMP = re.compile(r"(\d{8}T\d{6}Z)(?:-(\d+))?")


@dataclass(frozen=True)
class Snapshot:
    """A kept copy of a source's page: its file (site-relative, or absolute outside the site),
    whether it is HTML or text, and when it was clipped (UTC)."""

    source_id: str
    path: str
    kind: str  # "html" or "text"
    taken: datetime


def archive_folder(root: Path, configured: str) -> Path:
    """The archive folder of the site at root (`clip: archive:`, relative to the site)."""
    folder = Path(configured)
    return folder if folder.is_absolute() else root / folder


def _order(name: str) -> tuple[datetime, int] | None:
    """When a snapshot folder's clip was taken, and its number within that second."""
    found = _STAMP.fullmatch(name)
    if found is None:
        return None
    try:
        taken = datetime.strptime(found.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return taken, int(found.group(2) or 1)


def _label(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def newest_snapshots(root: Path, configured: str) -> dict[str, Snapshot]:
    """Source id -> its newest snapshot that holds a page, for every source in the archive
    folder (none when there is no such folder). Folders are read in name order, so the answer
    does not depend on the order the file system lists them in."""
    folder = archive_folder(root, configured)
    found: dict[str, Snapshot] = {}
    try:
        ids = sorted(entry.name for entry in os.scandir(folder)
                     if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."))
    except OSError:
        return found
    for source_id in ids:
        try:
            stamps = [(order, entry.name) for entry in os.scandir(folder / source_id)
                      if entry.is_dir(follow_symlinks=False)
                      and (order := _order(entry.name)) is not None]
        except OSError:
            continue
        for (taken, _number), name in sorted(stamps, reverse=True):
            snapshot = _snapshot(root, folder / source_id / name, source_id, taken)
            if snapshot is not None:
                found[source_id] = snapshot
                break
    return found


def _snapshot(root: Path, folder: Path, source_id: str, taken: datetime) -> Snapshot | None:
    for name, kind in zip(SNAPSHOT_FILES, ("html", "text"), strict=True):
        path = folder / name
        if path.is_file() and not path.is_symlink():
            return Snapshot(source_id, _label(root, path), kind, taken)
    return None
