"""Debouncing: a burst of changes becomes one rebuild; changes during a rebuild, exactly one more.

One worker thread owns the rebuilds, so two never run at once. It waits for the first change, then
until no change has arrived for `quiet` seconds (capped at `max_wait` after the first, so a steady
trickle cannot starve the preview), then hands the whole batch to `rebuild`. Whatever arrives while
`rebuild` runs is collected and becomes the next batch.

A single file whose last event said it is complete (written and closed, or renamed into place:
`push(..., settled=True)`) waits only `settled_quiet`: one save is rebuilt at once, while a burst
(a second file, or an event that leaves a file mid-write) waits the whole quiet period as before.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence

from briefgen.serve.changes import Change

__all__ = ["Debouncer"]


class Debouncer:
    """Batches changes and calls rebuild(batch) on its own thread, one batch at a time."""

    def __init__(self, rebuild: Callable[[Sequence[Change]], None], quiet: float = 0.05,
                 max_wait: float = 0.5, on_error: Callable[[BaseException], None] | None = None,
                 settled_quiet: float | None = None) -> None:
        self._rebuild = rebuild
        self.quiet = quiet
        self.settled_quiet = settled_quiet  # None: every batch waits `quiet`
        self.max_wait = max_wait
        self._on_error = on_error
        self._cond = threading.Condition()
        self._pending: dict[Change, None] = {}  # ordered set
        self._unsettled: set[Change] = set()  # pending changes possibly still being written
        self._last_push = 0.0
        self._building = False
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="briefgen-rebuild", daemon=True)
        self.batches = 0  # how many rebuilds ran (for tests and logs)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Stop after the rebuild in progress, if any; pending changes are dropped."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def push(self, changes: Iterable[Change], settled: bool = False) -> None:
        """Add changes; the next batch starts once they stop arriving. settled: the files are
        complete (closed after writing, or renamed into place)."""
        with self._cond:
            added = False
            for change in changes:
                self._pending[change] = None
                if settled:
                    self._unsettled.discard(change)
                else:
                    self._unsettled.add(change)
                added = True
            if added:
                self._last_push = time.monotonic()
                self._cond.notify_all()

    @property
    def current_quiet(self) -> float:
        """How long the pending batch waits after its last change."""
        with self._cond:
            return self._quiet()

    def _quiet(self) -> float:
        if self.settled_quiet is not None and len(self._pending) == 1 and not self._unsettled:
            return self.settled_quiet
        return self.quiet

    @property
    def busy(self) -> bool:
        with self._cond:
            return self._building or bool(self._pending)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is pending or building; False if timeout came first."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._building or self._pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
        return True

    def _next_batch(self) -> list[Change] | None:
        with self._cond:
            while not self._pending and not self._stopped:
                self._cond.wait()
            first = time.monotonic()
            while not self._stopped:
                now = time.monotonic()
                wait = min(self._last_push + self._quiet(), first + self.max_wait) - now
                if wait <= 0:
                    break
                self._cond.wait(wait)
            if self._stopped:
                return None
            batch = list(self._pending)
            self._pending.clear()
            self._unsettled.clear()
            self._building = True
            return batch

    def _run(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            try:
                self._rebuild(batch)
            except BaseException as exc:  # the preview must outlive any rebuild
                if self._on_error is not None:
                    self._on_error(exc)
            finally:
                with self._cond:
                    self._building = False
                    self.batches += 1
                    self._cond.notify_all()
