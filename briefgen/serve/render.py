"""Rendering an in-place rebuild's jobs, and warming the caches they use after a full build.

Rendering happens in the build process itself. (Sharing the work with a forked copy was tried and
measured: at 10,000 briefings the copy-on-write faults that Python's reference counting causes on
both sides cost more than the second CPU saved.)
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from briefgen.content import parse_briefing
from briefgen.diagnostics import Diagnostics
from briefgen.serve.session import Session
from briefgen.theme import template_error_location

__all__ = ["render_jobs", "warm_up"]


@dataclass
class _Done:
    rel: str
    data: bytes | None  # None: the same bytes as the last build
    problem: tuple[str, int, str] | None


def _render_one(session: Session, position: int, against: Path) -> _Done:
    job = session.jobs[position]
    try:
        if job.copy_from is not None:
            made: str | bytes = job.copy_from.read_bytes()
        else:
            assert job.make is not None
            made = job.make()
    except Exception as exc:  # reported as the full build's render step would
        filename, line = template_error_location(exc)
        where = session.theme.label(filename) if filename else job.label
        what = (f"template error while rendering /{job.rel}" if filename
                else f"error while making /{job.rel}")
        return _Done(job.rel, None, (where, line, f"{what}: {type(exc).__name__}: {exc}"))
    data = made.encode("utf-8") if isinstance(made, str) else made
    same = _same_bytes(os.path.join(against, job.rel), data)
    return _Done(job.rel, None if same else data, None)


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def render_jobs(session: Session, positions: Iterable[int], against: Path,
                diags: Diagnostics) -> tuple[dict[str, bytes], int]:
    """Render the jobs; returns the files whose bytes differ from `against` (the folder of the
    last build), and how many jobs were rendered. Failures are added to diags."""
    files: dict[str, bytes] = {}
    rendered = 0
    for position in positions:
        done = _render_one(session, position, against)
        rendered += 1
        if done.problem is not None:
            where, line, message = done.problem
            diags.error(where, line, 0, message)
        elif done.data is not None:
            files[done.rel] = done.data
    return files, rendered


def warm_up(session: Session) -> None:
    """Fill what the first in-place rebuilds would otherwise compute (a second at 10,000
    briefings): the parser's compiled rules, the formatted dates of the longest lists (by
    rendering them once, output discarded) and the rendered content of every feed item. A page
    that fails here is left to the next rebuild to report."""
    for path in list(session.briefings)[:1]:  # the parser's first run compiles its rules
        with contextlib.suppress(OSError):
            parse_briefing(path, (session.options.root / path).read_bytes(), session.ctx)
    largest = sorted(range(len(session.jobs)), key=session.index.weight, reverse=True)
    for position in largest[:12]:
        job = session.jobs[position]
        if job.make is not None and job.rel.endswith(".html"):
            try:
                job.make()
            except Exception:
                return
    if not session.config.feed_full_content:
        return
    site = session.site
    limit = session.config.feed_items
    lists = [site.briefings, *(t.briefings for terms in (site.categories, site.tags,
                                                        site.authors) for t in terms.values())]
    try:
        for items in lists:
            for b in items[:limit]:
                _ = session.feed_contents[b.path]  # rendered on first use
    except Exception:
        return
