"""A full run of the engine kept in memory: its site model, jobs, digests and dependency index.

`full_build` runs the engine's steps (steps.py) with keep=True: every step runs even when the
output is already up to date, the provenance of every job key is recorded (the dependency index),
and each briefing's shape (everything but its content fields, see shapes.py) is noted before the
model resolves it. The resulting Session is what an in-place edit (edits.py) updates instead of
running the steps again.
"""

from __future__ import annotations

import functools
import gc
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from briefgen.config import Config
from briefgen.content import ParseContext
from briefgen.diagnostics import Diagnostic, Diagnostics
from briefgen.digests import Digests
from briefgen.engine.depends import DependencyIndex
from briefgen.engine.run import Bodies
from briefgen.engine.steps import BuildOptions, BuildResult, Engine
from briefgen.jobs import Job
from briefgen.markdown import create_markdown
from briefgen.models import Briefing
from briefgen.schedule import next_change
from briefgen.site import Site
from briefgen.theme import Theme

__all__ = ["Session", "full_build", "keep", "remember_dates"]


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
    # where the bodies of briefings loaded without them are read back (None: all are in memory)
    bodies: Bodies | None = None

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


def keep(engine: Engine) -> Session:
    """The Session of an engine that ran with keep=True."""
    for name in engine.theme.env.list_templates():  # pages were rendered in other processes
        engine.theme.env.get_template(name)
    diagnostics = list(engine.result.diagnostics)
    briefings = {b.path: b for b in engine.loaded.briefings}
    now = engine.options.now or datetime.now(UTC)
    assert engine.feed_contents is not None and engine.index is not None
    return Session(
        options=engine.options, config=engine.config, theme=engine.theme,
        ctx=ParseContext(engine.config, create_markdown(engine.config.raw_html),
                         engine.urls.base_path),
        site=engine.site, jobs=engine.jobs, digests=engine.digests,
        feed_contents=engine.feed_contents, index=engine.index, briefings=briefings,
        shapes=engine.shapes, base_diagnostics=diagnostics,
        parsed_diagnostics={path: frozenset(found) for path, found in engine.parsed.items()},
        counts=dict(engine.result.counts),
        next_due=next_change(engine.loaded.briefings, now, engine.options.drafts),
        late=frozenset(diagnostics) - engine.early, bodies=engine.loaded)


def remember_dates(theme: Theme) -> None:
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
        engine = Engine(options, keep=True)
        result = engine.run()
        return result, keep(engine)
    finally:
        if collecting:
            gc.enable()
