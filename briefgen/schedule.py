"""Scheduled publishing: when the published site next changes by the clock alone (a briefing
dated in the future coming due, an `expires:` passing), written to `.briefgen/next-change` for a
CI schedule to read (docs/publishing.md)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from briefgen.models import Briefing

__all__ = ["NEXT_CHANGE", "next_change", "write_next_change"]

NEXT_CHANGE = Path(".briefgen") / "next-change"


def next_change(briefings: Iterable[Briefing], now: datetime, drafts: bool = False) -> \
        datetime | None:
    """The earliest moment after now at which a build would publish something else: a briefing
    coming due or expiring (drafts count only when they are published)."""
    moments: list[datetime] = []
    for b in briefings:
        if b.draft and not drafts:
            continue
        if b.date > now:
            moments.append(b.date)
        if b.expires is not None and b.expires > now:
            moments.append(b.expires)
    return min(moments, default=None)


def write_next_change(root: Path, moment: datetime | None) -> None:
    """`.briefgen/next-change` in the site: the moment in ISO 8601, or no file when none."""
    path = root / NEXT_CHANGE
    if moment is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(exist_ok=True)
    ignore = path.parent / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# written by briefgen build: the next scheduled change\n*\n")
    partial = path.with_name(path.name + ".partial")
    partial.write_text(moment.isoformat() + "\n", encoding="utf-8")
    os.replace(partial, path)
