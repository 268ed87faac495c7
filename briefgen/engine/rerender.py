"""Rendering an in-place rebuild's jobs, shared with a helper process when there are many, and
warming the caches they use after a full build.

The helper (replica.py) is a copy of the build process that applies every in-place edit to its
own copy of the model; when an edit's jobs are estimated to take long, it renders about half of
them (longest first, each to the process with less to do so far), while this process renders the
rest. Estimates are how long each job took the last time it was rendered here or there, or, the
first time, how many digests its key read.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from briefgen.content import parse_briefing
from briefgen.diagnostics import Diagnostics
from briefgen.engine.kept import Session
from briefgen.engine.run import job_failure, make_bytes, same_bytes
from briefgen.models import Briefing

__all__ = ["SHARE_ABOVE", "Done", "Helper", "render_job", "render_jobs", "warm_up"]

SHARE_ABOVE = 0.05  # seconds of estimated work below which the helper renders nothing
_FIRST_GUESS = (0.002, 0.00001)  # seconds per job, and per digest its key read


@dataclass
class Done:
    """One rendered job: its bytes if they differ from the last build, or what went wrong."""

    position: int
    rel: str
    data: bytes | None  # None: the same bytes as the last build (or a problem)
    problem: tuple[str, int, str] | None
    seconds: float


class Helper(Protocol):
    """Another process with a copy of the kept build (replica.py)."""

    def begin(self, raws: dict[str, bytes], now: datetime, positions: list[int],
              against: Path) -> bool:
        """Apply these edits there and render these jobs; False if the helper is gone."""
        ...

    def results(self) -> list[Done] | None:
        """What it rendered (None if it failed: render those here)."""
        ...

    def end(self, keep: bool) -> None:
        """Keep the edits there, or undo them as this process does."""
        ...


@contextlib.contextmanager
def _bodies(session: Session, briefings: Iterable[Briefing]) -> Iterator[None]:
    """The bodies of those briefings read back from the state for a while (an edited briefing
    has its new body already)."""
    read = session.bodies.fill(list(briefings)) if session.bodies is not None else []
    try:
        yield
    finally:
        if session.bodies is not None:
            session.bodies.hold(read)


def render_job(session: Session, position: int, against: Path) -> Done:
    """Render one job and compare it with the file in `against`."""
    job = session.jobs[position]
    started = time.perf_counter()
    try:
        with _bodies(session, job.bodies):
            data = make_bytes(job)
    except Exception as exc:  # reported as the full build's render step would
        return Done(position, job.rel, None, job_failure(job, exc, session.theme),
                    time.perf_counter() - started)
    same = same_bytes(os.path.join(against, job.rel), data)
    return Done(position, job.rel, None if same else data, None, time.perf_counter() - started)


def _estimate(session: Session, position: int) -> float:
    known = session.render_seconds.get(position)
    if known is not None:
        return known
    per_job, per_digest = _FIRST_GUESS
    return per_job + per_digest * session.index.weight(position)


def _split(session: Session, positions: list[int]) -> tuple[list[int], list[int], float]:
    """Two shares of about equal estimated time (longest first), and the whole estimate."""
    costs = sorted(((_estimate(session, p), p) for p in positions), reverse=True)
    shares: tuple[list[int], list[int]] = ([], [])
    loads = [0.0, 0.0]
    for cost, position in costs:
        lighter = 0 if loads[0] <= loads[1] else 1
        shares[lighter].append(position)
        loads[lighter] += cost
    return sorted(shares[0]), sorted(shares[1]), sum(loads)


def render_jobs(session: Session, positions: Iterable[int], against: Path,
                diags: Diagnostics, *, helper: Helper | None = None,
                raws: dict[str, bytes] | None = None,
                now: datetime | None = None) -> tuple[dict[str, bytes], int]:
    """Render the jobs; returns the files whose bytes differ from `against` (the folder of the
    last build), and how many jobs were rendered. Failures are added to diags. With a helper,
    `raws` and `now` are the edits it must apply too (whether or not it renders anything)."""
    todo = list(positions)
    mine, theirs = todo, []
    if helper is not None:
        assert raws is not None and now is not None
        first, second, estimate = _split(session, todo)
        if estimate >= SHARE_ABOVE and second:
            mine, theirs = first, second
        if not helper.begin(raws, now, theirs, against):
            mine, theirs = todo, []
    results = [render_job(session, position, against) for position in mine]
    if theirs:
        assert helper is not None
        found = helper.results()
        results += found if found is not None else [
            render_job(session, position, against) for position in theirs]
    files: dict[str, bytes] = {}
    for done in sorted(results, key=lambda d: d.position):
        session.render_seconds[done.position] = done.seconds
        if done.problem is not None:
            where, line, message = done.problem
            diags.error(where, line, 0, message)
        elif done.data is not None:
            files[done.rel] = done.data
    return files, len(todo)


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
            started = time.perf_counter()
            try:
                with _bodies(session, job.bodies):
                    job.make()
            except Exception:
                return
            session.render_seconds[position] = time.perf_counter() - started
    if not session.config.feed_full_content:
        return
    site = session.site
    limit = session.config.feed_items
    lists = [site.briefings, *(t.briefings for edition in site.editions.values()
                               for terms in (edition.categories, edition.tags, edition.authors)
                               for t in terms.values())]
    try:
        for items in lists:
            with _bodies(session, items[:limit]):
                for b in items[:limit]:
                    _ = session.feed_contents[b.path]  # rendered on first use
    except Exception:
        return
