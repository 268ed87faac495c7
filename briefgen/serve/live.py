"""The preview's rebuilder: in place when only briefings' content changed, a kept full build
otherwise. It lives as long as the build process (worker.py) and keeps the last full build's
model in memory between rebuilds. An in-place rebuild answers with staged files that the preview
moves into the served build (folders.py); a full one builds into the other folder.

In place (edits.py) needs: a kept Session whose build is the one being served, a plan naming only
briefings, and each of them edited without changing its shape. Everything else (config, registry,
template, static, page or source changes, added or removed files, a briefing that does not parse
or moved, a scheduled briefing coming due, a crash) is a full build, which also makes the next
Session. A failed in-place rebuild leaves the model as it was and remembers the files, so the next
rebuild looks at them again with whatever else changed.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from briefgen.build import BuildOptions
from briefgen.diagnostics import BriefgenError, BuildFailed, Diagnostic
from briefgen.engine.edits import NeedsFullBuild, edit_briefings
from briefgen.engine.kept import Session, full_build
from briefgen.engine.replica import Replica
from briefgen.engine.rerender import warm_up
from briefgen.parallel import available_cpus, trim_memory
from briefgen.serve.changes import RebuildPlan
from briefgen.serve.folders import stage_files
from briefgen.serve.rebuild import BuildOutcome, crash_diagnostic

__all__ = ["LiveRebuilder"]


@dataclass
class LiveRebuilder:
    """A Rebuilder that edits its kept build in place when it can."""

    root: Path
    base_url: str
    drafts: bool = False
    future: bool = False
    now: datetime | None = None  # a fixed clock, for tests
    jobs: int | None = None  # worker processes of a full build; None: every CPU
    session: Session | None = field(default=None, init=False, repr=False)
    published: Path | None = field(default=None, init=False)  # where the session was published
    pending: set[str] = field(default_factory=set, init=False)  # briefings of failed rebuilds
    last_reason: str = field(default="", init=False)  # why the last rebuild was a full one
    replica: Replica | None = field(default=None, init=False, repr=False)
    unsettled: bool = field(default=False, init=False)  # a full build's follow-up not done yet

    def rebuild(self, plan: RebuildPlan, previous: Path | None, target: Path) -> BuildOutcome:
        self.settle()
        started = time.perf_counter()
        try:
            if self._in_place_possible(plan, previous):
                assert previous is not None
                try:
                    return self._in_place(set(plan.briefings) | self.pending, previous, started)
                except NeedsFullBuild as why:
                    self.last_reason = str(why)
            outcome = self._full(target, started)
            outcome.note = self.last_reason
            return outcome
        except Exception as exc:  # a bug or an unexpected file: show it, start afresh next time
            self.forget()
            return BuildOutcome(False, [crash_diagnostic(self.root, exc)],
                                time.perf_counter() - started)

    def forget(self) -> None:
        """Drop the kept build: the next rebuild is a full one (the preview could not publish
        an in-place rebuild, or something unexpected happened)."""
        self.session = None
        self.published = None
        self.unsettled = False
        if self.replica is not None:
            self.replica.close()
            self.replica = None

    def close(self) -> None:
        """End the replica process, if any (the build process is exiting)."""
        self.forget()

    def _in_place_possible(self, plan: RebuildPlan, previous: Path | None) -> bool:
        only_briefings = not (plan.full or plan.pages or plan.sources or plan.templates
                              or plan.static)
        if self.session is None:
            self.last_reason = "no kept build yet"
        elif previous is None or previous != self.published:
            self.last_reason = "the served build is not the kept one"
        elif not only_briefings or not (plan.briefings or self.pending):
            self.last_reason = "more than briefings changed"
        else:
            return True
        return False

    def _now(self) -> datetime:
        return self.now or datetime.now(UTC)

    def _in_place(self, paths: set[str], previous: Path, started: float) -> BuildOutcome:
        assert self.session is not None
        helper = self.replica if self.replica is not None and self.replica.alive else None
        result = edit_briefings(self.session, paths, self._now(), previous, helper)
        if not result.ok:
            self.pending = set(paths)
            return BuildOutcome(False, result.diagnostics, time.perf_counter() - started)
        staged, order = stage_files(previous, result.files)
        self.pending = set()
        counts = {"pages": self.session.counts.get("pages", 0),
                  "feeds": self.session.counts.get("feeds", 0), "written": len(result.files),
                  "rendered": result.rendered}
        return BuildOutcome(True, result.diagnostics, time.perf_counter() - started, counts,
                            staged, order)

    def _full(self, target: Path, started: float) -> BuildOutcome:
        self.forget()  # never two models in memory at once
        if gc.get_freeze_count():  # the last kept build's objects: collectable again
            gc.unfreeze()
            gc.collect()
        self.pending = set()
        self.published = None
        options = BuildOptions(self.root, drafts=self.drafts, future=self.future,
                               base_url=self.base_url, output=target, now=self.now,
                               jobs=self.jobs, spare=False)
        try:
            result, session = full_build(options)
        except BuildFailed as failed:
            return BuildOutcome(False, list(failed.diagnostics), time.perf_counter() - started)
        except BriefgenError as exc:
            return BuildOutcome(False, [Diagnostic("briefgen.yaml", 0, 0, "error", str(exc))],
                                time.perf_counter() - started)
        self.session = session
        self.published = target
        self.unsettled = True  # settle() once the outcome is on its way
        return BuildOutcome(True, list(result.diagnostics), time.perf_counter() - started,
                            dict(result.counts))

    def settle(self) -> None:
        """What makes the in-place rebuilds after a full build fast, done after its outcome has
        been sent (the build process calls this while the preview shows the new pages; a rebuild
        that comes first does it before it starts): warm caches, the kept build frozen out of
        the cycle collector's way, memory handed back, and the replica forked."""
        if not self.unsettled or self.session is None:
            return
        self.unsettled = False
        warm_up(self.session)
        # The kept build lives until the next full one: the cycle collector need not walk it
        # again on every in-place rebuild (each would take a tenth of a second at 10,000). It is
        # not collected first: rendering ran with the collector on, so the build left a few
        # hundred unreachable objects at 10,000 briefings, not worth half a second to find (the
        # next full build collects them).
        gc.freeze()
        trim_memory()
        if (self.jobs or available_cpus()) > 1:  # a second CPU renders half of large edits
            self.replica = Replica(self.session)

