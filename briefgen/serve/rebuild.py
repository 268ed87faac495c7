"""Rebuilding for the preview: the Rebuilder interface and the full rebuild through build().

A rebuilder turns a RebuildPlan into a complete build in a folder of its own (`target`), given the
folder of the previous complete build, if any. The full rebuilder ignores both and runs the whole
public build(). The live rebuilder (live.py) may instead answer with `staged` files: the new build
is `previous` with those files replaced, and the preview moves them in (folders.py). Whatever goes
wrong becomes diagnostics: the preview never dies on a content, template or config error.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from briefgen.build import BuildOptions, build
from briefgen.diagnostics import BriefgenError, BuildFailed, Diagnostic
from briefgen.serve.changes import RebuildPlan
from briefgen.theme import template_error_location

__all__ = ["BuildOutcome", "FullRebuilder", "Rebuilder", "crash_diagnostic", "options_for"]


@dataclass
class BuildOutcome:
    """One rebuild: whether `target` now holds a complete build, and what it reported."""

    ok: bool
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    # An in-place rebuild: target is untouched; these files (site-relative), staged in this
    # folder under their numbers in this list, replace theirs in the previous build.
    staged: Path | None = None
    files: list[str] = field(default_factory=list)
    note: str = ""  # why a rebuild could not be made in place, for the log

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


class Rebuilder(Protocol):
    """Builds the site into target (a new folder) for a plan; never raises for site problems."""

    def rebuild(self, plan: RebuildPlan, previous: Path | None, target: Path) -> BuildOutcome: ...


_SETTINGS = ("root", "base_url", "drafts", "future", "now")


def options_for(rebuilder: object, target: Path) -> BuildOptions | None:
    """The build options a rebuilder builds target with (None for one that does not say: its
    root, base_url, drafts, future and now)."""
    if not all(hasattr(rebuilder, name) for name in _SETTINGS):
        return None
    settings = {name: getattr(rebuilder, name) for name in _SETTINGS}
    return BuildOptions(output=target, jobs=1, spare=False, **settings)


@dataclass
class FullRebuilder:
    """Every rebuild is a whole build() into target, with the preview's options."""

    root: Path
    base_url: str
    drafts: bool = False
    future: bool = False
    now: datetime | None = None  # a fixed clock, for tests
    # Worker processes of build(). 1 in a process with other threads: forking one can deadlock
    # the child (see worker.py, which runs builds in a process of their own with every CPU).
    jobs: int | None = 1

    def rebuild(self, plan: RebuildPlan, previous: Path | None, target: Path) -> BuildOutcome:
        started = time.perf_counter()
        options = BuildOptions(self.root, drafts=self.drafts, future=self.future,
                               base_url=self.base_url, output=target, now=self.now,
                               jobs=self.jobs, spare=False)
        try:
            result = build(options)
        except BuildFailed as failed:
            return BuildOutcome(False, list(failed.diagnostics), time.perf_counter() - started)
        except BriefgenError as exc:
            return BuildOutcome(False, [Diagnostic("briefgen.yaml", 0, 0, "error", str(exc))],
                                time.perf_counter() - started)
        except Exception as exc:  # a bug or an unexpected file: show it, keep serving
            return BuildOutcome(False, [crash_diagnostic(self.root, exc)],
                                time.perf_counter() - started)
        return BuildOutcome(True, list(result.diagnostics), time.perf_counter() - started,
                            dict(result.counts))


def crash_diagnostic(root: Path, exc: Exception) -> Diagnostic:
    """A diagnostic for an exception escaping a build: where it was raised, and what."""
    filename, line = template_error_location(exc)
    where = "build"
    if filename:
        try:
            where = Path(filename).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            where = Path(filename).name
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    origin = f" (in {Path(last[0].filename).name}:{last[0].lineno})" if last else ""
    return Diagnostic(where, line, 0, "error",
                      f"the build crashed: {type(exc).__name__}: {exc}{origin}")
