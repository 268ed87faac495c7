"""Build epochs: two output folders used in turn, so the one being served is never written.

build() publishes into its output folder file by file when it can (issue 5's incremental
publish), so a folder being built must never be the folder being served. The preview keeps two,
`.briefgen-cache/serve/a` and `.../b`: each build goes into the one that is not current, after the
last request reading it has finished; the server switches to it in one assignment when the build
succeeded. A request holds the epoch it started on until it has read its file. A failed build
leaves the served folder alone, and the other folder is simply built again next time. Each folder
keeps its own build cache entries, so an incremental build there only writes what changed since
that folder's last build.

An in-place rebuild (a few files of the served build replaced, see folders.py) happens inside
`exclusive`: it starts once no request reads the served folder, and requests arriving meanwhile
wait until it is done, so none sees the folder half-updated.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SLOTS", "Epoch", "Epochs"]

SLOTS = ("a", "b")


@dataclass(frozen=True)
class Epoch:
    """One complete build: its number (counting successful builds) and folder."""

    number: int
    path: Path


class Epochs:
    """The two build folders under base; `current` is what the server shows."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self._cond = threading.Condition()
        self._current: Epoch | None = None
        self._readers: dict[Path, int] = {}
        self._writing: set[Path] = set()

    @property
    def current(self) -> Epoch | None:
        with self._cond:
            return self._current

    def next_target(self, timeout: float | None = None) -> Path:
        """The folder the next build goes into: the one not served, once nobody reads it."""
        with self._cond:
            served = self._current.path if self._current else None
            target = next(self.base / s for s in SLOTS if self.base / s != served)
            if not self._cond.wait_for(lambda: self._readers.get(target, 0) == 0, timeout):
                raise TimeoutError(f"requests still reading {target}")
            return target

    def folders(self) -> list[Path]:
        """Both build folders, the one built into last first."""
        found = [self.base / slot for slot in SLOTS]
        return sorted(found, key=lambda p: p.stat().st_mtime_ns if p.exists() else 0,
                      reverse=True)

    def publish(self, path: Path) -> Epoch:
        """Make the complete build at path the current epoch."""
        with self._cond:
            number = self._current.number + 1 if self._current else 1
            self._current = Epoch(number, path)
            return self._current

    @contextmanager
    def exclusive(self, path: Path) -> Iterator[None]:
        """Nobody reads path during the block: it waits for readers to finish, and new ones wait
        for it."""
        with self._cond:
            self._cond.wait_for(lambda: path not in self._writing)
            self._writing.add(path)
            self._cond.wait_for(lambda: self._readers.get(path, 0) == 0)
        try:
            yield
        finally:
            with self._cond:
                self._writing.discard(path)
                self._cond.notify_all()

    @contextmanager
    def acquire(self) -> Iterator[Epoch | None]:
        """The current epoch; its folder is not built into until the with-block ends."""
        with self._cond:
            self._cond.wait_for(lambda: self._current is None
                                or self._current.path not in self._writing)
            epoch = self._current
            if epoch is not None:
                self._readers[epoch.path] = self._readers.get(epoch.path, 0) + 1
        try:
            yield epoch
        finally:
            if epoch is not None:
                with self._cond:
                    self._readers[epoch.path] -= 1
                    self._cond.notify_all()
