"""A full build the preview keeps: its site model, jobs, digests and dependency index, in memory.

`full_build` runs the ordinary build (same steps, same output) with three additions: every step
runs even when the output is already up to date, the provenance of every job key is recorded (the
dependency index), and each briefing's shape (everything but its content fields, see edits.py) is
noted before the model resolves it. The resulting Session is what an in-place edit (edits.py)
updates instead of building again.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from briefgen.build import BuildOptions, BuildResult, _Build
from briefgen.config import Config
from briefgen.content import ParseContext
from briefgen.diagnostics import Diagnostic, Diagnostics
from briefgen.digests import Digests, recording
from briefgen.jobs import Job
from briefgen.markdown import create_markdown
from briefgen.models import Briefing
from briefgen.serve.depends import DependencyIndex
from briefgen.serve.shapes import shape
from briefgen.site import Site
from briefgen.theme import Theme

__all__ = ["Session", "full_build", "trim_memory"]


@dataclass
class Session:
    """What the last full build made, kept up to date by in-place edits."""

    options: BuildOptions
    config: Config
    theme: Theme
    ctx: ParseContext
    site: Site
    jobs: list[Job]
    digests: Digests
    feed_contents: dict[str, str]
    index: DependencyIndex
    briefings: dict[str, Briefing]  # every parsed briefing by path, published or not
    shapes: dict[str, str]  # briefing path -> its shape when parsed
    base_diagnostics: list[Diagnostic]  # what the full build reported
    parsed_diagnostics: dict[str, frozenset[Diagnostic]]  # what its parse step said, per file
    counts: dict[str, int]
    next_due: datetime | None  # the first future-dated briefing's date
    late: frozenset[Diagnostic]  # reported by steps a build with errors never reaches
    # For briefing files edited in place since: what parsing and citation checks of the file
    # reported then (taken out of base_diagnostics), and what they report now.
    replaced: dict[str, frozenset[Diagnostic]] = field(default_factory=dict)
    own: dict[str, tuple[Diagnostic, ...]] = field(default_factory=dict)
    render_seconds: dict[int, float] = field(default_factory=dict)  # job position -> last time

    @property
    def order(self) -> dict[int, int]:
        """id(briefing) -> its position in the site's order."""
        found = self.__dict__.get("_order")
        if found is None:
            found = self.__dict__["_order"] = {id(b): i for i, b in enumerate(self.site.briefings)}
        return found

    def diagnostics(self, failed: bool = False) -> list[Diagnostic]:
        """Every diagnostic a full build would report now, sorted; failed: as a build does that
        stops after the model (without what rendering and copying static files report)."""
        gone = set().union(*self.replaced.values())
        found = Diagnostics(d for d in self.base_diagnostics
                            if d not in gone and not (failed and d in self.late))
        for own in self.own.values():
            found.extend(own)
        return list(found)


class _KeptBuild(_Build):
    """The ordinary build, keeping what the preview needs."""

    skip_when_fresh = False

    def load_config(self) -> None:
        super().load_config()
        if hasattr(self, "theme"):
            _remember_dates(self.theme)

    def parse(self) -> None:
        before = set(self.diags)
        super().parse()
        self.parsed: dict[str, set[Diagnostic]] = {}
        for found in set(self.diags) - before:
            self.parsed.setdefault(found.path, set()).add(found)

    def model(self) -> None:
        self.shapes = {b.path: shape(b) for b in self.loaded.briefings}  # before it is resolved
        super().model()

    def collect_jobs(self) -> None:
        from briefgen.writers.feeds import feed_contents

        self.feed_contents = feed_contents(self.site, self.theme)
        self.early = set(self.diags)
        with recording() as provenance:
            super().collect_jobs()
        self.index = DependencyIndex(provenance, self.jobs)
        del provenance
        # The render step forks a worker, whose resident set counts every page it shares with
        # this process: give back what parsing and recording freed before it does.
        trim_memory()

    def session(self) -> Session:
        for name in self.theme.env.list_templates():  # pages were rendered in other processes
            self.theme.env.get_template(name)
        diagnostics = list(self.result.diagnostics)
        briefings = {b.path: b for b in self.loaded.briefings}
        future = [b.date for b in self.loaded.briefings if b.future]
        assert self.feed_contents is not None
        return Session(
            options=self.options, config=self.config, theme=self.theme,
            ctx=ParseContext(self.config, create_markdown(self.config.raw_html),
                             self.urls.base_path),
            site=self.site, jobs=self.jobs, digests=self.digests,
            feed_contents=self.feed_contents, index=self.index, briefings=briefings,
            shapes=self.shapes, base_diagnostics=diagnostics,
            parsed_diagnostics={path: frozenset(found) for path, found in self.parsed.items()},
            counts=dict(self.result.counts), next_due=min(future) if future else None,
            late=frozenset(diagnostics) - self.early)


def trim_memory() -> None:
    """Return freed heap memory to the system (glibc keeps it otherwise)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)


def _remember_dates(theme: Theme) -> None:
    """Memoise `isodate`: a preview writes the same dates on every rebuild. (It depends on the
    instant and the value's UTC offset, so both are its key.) `date` and `datetime` are memoised
    by the theme itself, per language (theme.py)."""
    filters: dict[str, Any] = theme.env.filters
    plain: Any = filters.get("isodate")
    if not _plain(plain):
        return
    memo = functools.lru_cache(maxsize=1 << 16)(lambda value, _offset: plain(value))

    def isodate(value: Any) -> Any:
        offset = value.utcoffset() if isinstance(value, datetime) else None
        return memo(value, offset)

    filters["isodate"] = isodate


def _plain(found: Any) -> bool:
    """A filter of its arguments only (not marked to receive the context or environment)."""
    return callable(found) and getattr(found, "jinja_pass_arg", None) is None


def full_build(options: BuildOptions) -> tuple[BuildResult, Session]:
    """build(), also returning the Session; raises as build() does."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        kept = _KeptBuild(options)
        result = kept.run()
        return result, kept.session()
    finally:
        if collecting:
            gc.enable()
