"""The preview's state: the last complete build, the last failure, and what each rebuild means.

`Preview.rebuild` is what the debouncer calls with a batch of changes. A successful build becomes
the current epoch and the open pages whose HTML changed (or every page, after a template, static or
config change, or when an error overlay must go) are told to reload. A failed build keeps the last
epoch and tells every page to show the overlay. `generation` counts these state changes; pages
carry the generation they were served at.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from briefgen.diagnostics import Diagnostic
from briefgen.engine.resume import adopt_output, published_state
from briefgen.serve.changes import Change, plan
from briefgen.serve.epochs import Epoch, Epochs
from briefgen.serve.folders import commit_staged
from briefgen.serve.livereload import Broker, Subscription
from briefgen.serve.paths import BadTarget, Found, locate, parse_target, read_file
from briefgen.serve.rebuild import BuildOutcome, Rebuilder, options_for

__all__ = ["Preview", "View"]


@dataclass(frozen=True)
class View:
    """What one request sees: a complete build (or none yet), and the failure over it if any."""

    root: Path | None
    failure: tuple[Diagnostic, ...] | None
    generation: int
    building: bool


def page_file(root: Path | None, page: str) -> Found | None:
    """The file the server would send for page (its 404.html when missing), from root."""
    if root is None:
        return None
    try:
        where = locate(root, parse_target(page))
    except BadTarget:
        return None
    return where if isinstance(where, Found) else Found(root / "404.html")


def page_bytes(root: Path | None, page: str) -> bytes | None:
    """The bytes the server would send for page (its 404.html when missing), from root."""
    where = page_file(root, page)
    if where is None:
        return None
    try:
        return read_file(where)
    except OSError:
        return None


class Preview:
    """Runs rebuilds and holds what the server shows."""

    def __init__(self, root: Path, rebuilder: Rebuilder, epochs: Epochs, broker: Broker,
                 log: Callable[[str], None] = print) -> None:
        self.root = root.resolve()
        self.rebuilder = rebuilder
        self.epochs = epochs
        self.broker = broker
        self.log = log
        self._lock = threading.Lock()
        self._failure: tuple[Diagnostic, ...] | None = None
        self._generation = 0
        self._building = False
        self.builds = 0
        self.last: BuildOutcome | None = None
        self.first_build = threading.Event()
        self.stopping = threading.Event()  # set by the app before it stops the build process

    @property
    def generation(self) -> int:
        with self._lock:
            return self._generation

    @property
    def failure(self) -> tuple[Diagnostic, ...] | None:
        with self._lock:
            return self._failure

    @contextmanager
    def view(self) -> Iterator[View]:
        """The current state, with its epoch folder kept until the block ends."""
        with ExitStack() as stack:
            with self._lock:  # one consistent state: epoch, failure and generation together
                epoch = stack.enter_context(self.epochs.acquire())
                view = View(epoch.path if epoch else None, self._failure, self._generation,
                            self._building)
            yield view

    def rebuild(self, changes: Sequence[Change]) -> None:
        """Build for a batch of changes and publish the result (the debouncer's callback)."""
        todo = plan(changes)
        if self.builds:
            names = sorted({c.path for c in changes})
            more = f" and {len(names) - 3} more" if len(names) > 3 else ""
            self.log(f"Changed: {', '.join(names[:3])}{more}; rebuilding.")
        resumed = self._resume() if not self.builds else None
        previous = self.epochs.current
        target = self.epochs.next_target()
        if resumed is not None:  # the kept build starts as a copy of what is served
            options = options_for(self.rebuilder, target)
            assert options is not None
            adopt_output(options, resumed)
        with self._lock:
            self._building = True
        try:
            outcome = self.rebuilder.rebuild(todo, previous.path if previous else None, target)
        finally:
            with self._lock:
                self._building = False
        if self.stopping.is_set():  # the preview stopped the build: nothing to publish or say
            self.first_build.set()
            return
        self.last = outcome
        self.builds += 1
        if outcome.ok and outcome.staged is not None and previous is not None:
            self._edited(outcome, previous)
        elif outcome.ok:
            self._succeeded(outcome, previous, target,
                            reload_all=not todo.content_only and resumed is None)
        else:
            self._failed(outcome)
        self.first_build.set()

    def _resume(self) -> Path | None:
        """At start, serve the folder the last preview left at once when a build with the same
        options, configuration and briefgen made it: its pages are a whole site, the last state
        the preview showed (with its in-place edits). The first build then makes the kept build
        beside it, from a copy of it, and open pages that changed since reload. Returns that
        folder."""
        if self.epochs.current is not None:
            return None
        for folder in self.epochs.folders():
            options = options_for(self.rebuilder, folder)
            state = published_state(options) if options is not None and folder.is_dir() else ""
            if state:
                with self._lock:
                    self._generation += 1
                    self.epochs.publish(folder)
                self.log("Serving the last preview's pages" + (
                    ": nothing has changed since." if state == "current" else
                    " while the first build brings them up to date."))
                return folder
        return None

    def _succeeded(self, outcome: BuildOutcome, previous: Epoch | None, target: Path,
                   reload_all: bool) -> None:
        # The old epoch stays on disk while open pages are compared: we hold a reader on it.
        with self.epochs.acquire() as old:
            with self._lock:
                was_failing = self._failure is not None
                self._failure = None
                self._generation += 1
                generation = self._generation
                self.epochs.publish(target)
            old_root = old.path if old else None
            everyone = reload_all or was_failing or previous is None

            def changed(sub: Subscription) -> bool:
                return everyone or page_bytes(old_root, sub.page) != page_bytes(target, sub.page)

            reloaded = self.broker.publish("reload", generation, changed)
        verb = "Built" if previous is None else "Rebuilt"
        if previous is not None and outcome.note:
            verb += f" in full ({outcome.note})"
        self._report(outcome, verb, reloaded)

    def _edited(self, outcome: BuildOutcome, epoch: Epoch) -> None:
        """Move an in-place rebuild's files into the served build; reload the pages they are."""
        assert outcome.staged is not None
        try:
            with self.epochs.exclusive(epoch.path):
                commit_staged(outcome.staged, epoch.path, outcome.files)
        except OSError as exc:
            forget = getattr(self.rebuilder, "forget", None)
            if forget is not None:  # its kept build is ahead of what is served: start afresh
                forget()
            self._failed(BuildOutcome(False, [Diagnostic(
                "build", 0, 0, "error", f"could not publish the rebuild: {exc}; the next change "
                "rebuilds everything")]))
            return
        changed = {(epoch.path / rel).resolve() for rel in outcome.files}
        with self._lock:
            was_failing = self._failure is not None
            self._failure = None
            self._generation += 1
            generation = self._generation

        def shows_a_change(sub: Subscription) -> bool:
            found = page_file(epoch.path, sub.page)
            return was_failing or found is None or found.file.resolve() in changed

        reloaded = self.broker.publish("reload", generation, shows_a_change)
        self._report(outcome, "Rebuilt in place", reloaded)

    def _report(self, outcome: BuildOutcome, verb: str, reloaded: int) -> None:
        counts = outcome.counts
        written = f", {counts['written']} files written" if "written" in counts else ""
        self.log(f"{verb} in {outcome.seconds:.2f} s: {counts.get('pages', 0)} pages, "
                 f"{counts.get('feeds', 0)} feeds{written}; {reloaded} open page(s) reloaded.")
        for diag in outcome.diagnostics:
            if diag.severity == "warning":
                self.log(diag.format())

    def _failed(self, outcome: BuildOutcome) -> None:
        with self._lock:
            self._failure = tuple(outcome.diagnostics)
            self._generation += 1
            generation = self._generation
        self.broker.publish("error", generation)
        self.log(f"Build failed with {len(outcome.errors)} error(s); still serving the last "
                 "good build, with the errors shown over each page:")
        for diag in outcome.diagnostics:
            if diag.severity != "info":
                self.log("  " + diag.format())
