"""What a build is asked to do (BuildOptions) and what it reports (BuildResult)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.diagnostics import Diagnostics

if TYPE_CHECKING:
    from briefgen.external import ExternalOptions
    from briefgen.models import Briefing

__all__ = ["BuildOptions", "BuildResult"]


@dataclass
class BuildOptions:
    """What a build was asked to do."""

    root: Path
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    output: Path | None = None
    strict: bool = False
    write: bool = True  # False: validate and render everything, publish nothing (check)
    check_links: bool = False  # check every internal link and #anchor of the built pages
    external: ExternalOptions | None = None  # check --external: fetch every source URL
    check_catalogues: bool = False  # report interface strings a language has no translation for
    now: datetime | None = None
    jobs: int | None = None  # worker processes; None: every available CPU
    cache: bool = True  # False: parse and render everything; the cache is neither read nor written
    spare: bool = True  # False: keep no spare (a folder that is never built incrementally)
    progress: Callable[[str, int, int], None] | None = None  # (step, done, total)

    def left_out(self, briefings: Iterable[Briefing]) -> dict[str, int]:
        """What the summary says was left out, by the option that would put it in."""
        drafts = future = 0
        for b in briefings:
            if b.draft and not self.drafts:
                drafts += 1
            elif b.future and not self.future:
                future += 1
        return {"drafts_left_out": drafts, "future_left_out": future}


@dataclass
class BuildResult:
    """What a build did: its diagnostics, each step's time, and how many files it wrote."""

    diagnostics: Diagnostics
    timings: list[tuple[str, float]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    output: Path | None = None
    # the render step's time by template (or kind of file): name -> (files made, seconds)
    makers: dict[str, tuple[int, float]] = field(default_factory=dict)
    next_change: datetime | None = None  # when the site next changes by the clock alone
