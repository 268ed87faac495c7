"""Watching the site: watchdog observers on content/, themes/, static/ and the site folder.

Folders, not single files: editors that save by writing a new file and renaming it over the old one
(vim, JetBrains, most GUI editors) would leave a per-file watch on a deleted inode. The site folder
itself is watched without recursion, only to see briefgen.yaml and the input folders come and go:
the output folder and .briefgen-cache/ are never watched, so briefgen's own writes cost nothing.

inotify can be unavailable (some containers, network file systems) or full (the per-user watch
limit, fs.inotify.max_user_watches, is shared with every IDE and dev server on the machine). Then
the watcher falls back to polling and says so once, with the fix.
"""

from __future__ import annotations

import errno
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from briefgen.serve.changes import Change, ChangeKind, classify

__all__ = ["WATCHED_FOLDERS", "ObserverLike", "Watcher", "polling_reason"]

WATCHED_FOLDERS = ("content", "themes", "static")
# Event types that can change a file; opened/closed_no_write are reads (watchdog >= 2.3 emits them).
_CHANGING = {"created", "modified", "deleted", "moved", "closed"}


class ObserverLike(Protocol):
    """The part of watchdog's BaseObserver the watcher uses."""

    def schedule(self, event_handler: FileSystemEventHandler, path: str, *,
                 recursive: bool = False) -> object: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def join(self, timeout: float | None = None) -> None: ...


def polling_reason(exc: OSError) -> str:
    """Why native watching failed, and how to fix it, in one message."""
    if exc.errno == errno.ENOSPC:
        return ("the inotify watch limit is reached (fs.inotify.max_user_watches); raise it with "
                "'sudo sysctl fs.inotify.max_user_watches=524288'")
    if exc.errno == errno.EMFILE:
        return ("the inotify instance limit is reached (fs.inotify.max_user_instances); close "
                "other watchers or raise it with 'sudo sysctl fs.inotify.max_user_instances=1024'")
    return f"native file watching is unavailable ({exc.strerror or exc})"


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.watcher.handle(event)


class Watcher:
    """Classifies file system events under root and passes the relevant ones to on_changes."""

    def __init__(self, root: Path, on_changes: Callable[[list[Change]], None], *,
                 log: Callable[[str], None] = print,
                 observer_factory: Callable[[], ObserverLike] = Observer,
                 poll_interval: float = 0.5,
                 on_settled: Callable[[list[Change]], None] | None = None) -> None:
        self.root = root.resolve()
        self.on_changes = on_changes
        # files an event shows complete (closed after writing, renamed into place); without
        # this callback they go to on_changes like the others
        self.on_settled = on_settled or on_changes
        self.log = log
        self._observer_factory = observer_factory
        self.poll_interval = poll_interval
        self._handler = _Handler(self)
        self._observer: ObserverLike | None = None
        self._watched: set[str] = set()
        self._lock = threading.Lock()
        self.mode = "stopped"  # "native", "polling" or "stopped"

    def start(self) -> str:
        """Start watching; returns "native" or "polling"."""
        try:
            self._observer = self._start(self._observer_factory())
            self.mode = "native"
        except OSError as exc:
            self.log(f"Watching by polling every {self.poll_interval:g} s, because "
                     f"{polling_reason(exc)}.")
            self._observer = self._start(PollingObserver(timeout=self.poll_interval))
            self.mode = "polling"
        return self.mode

    def _start(self, observer: ObserverLike) -> ObserverLike:
        self._watched.clear()
        try:
            self._schedule(observer)
            observer.start()
        except OSError:
            self._stop(observer)
            raise
        return observer

    def _schedule(self, observer: ObserverLike) -> None:
        observer.schedule(self._handler, str(self.root), recursive=False)
        for name in WATCHED_FOLDERS:
            folder = self.root / name
            if folder.is_dir() and name not in self._watched:
                observer.schedule(self._handler, str(folder), recursive=True)
                self._watched.add(name)

    @staticmethod
    def _stop(observer: ObserverLike) -> None:
        try:
            observer.stop()
            observer.join(5)
        except RuntimeError:  # never started
            pass

    def stop(self) -> None:
        if self._observer is not None:
            self._stop(self._observer)
            self._observer = None
        self.mode = "stopped"

    def refresh(self) -> None:
        """Watch input folders that appeared since start (content/, themes/, static/)."""
        with self._lock:
            if self._observer is None:
                return
            try:
                self._schedule(self._observer)
            except OSError as exc:
                self.log(f"Could not watch a new folder: {polling_reason(exc)}; restart "
                         "'briefgen serve' to pick it up.")

    def handle(self, event: FileSystemEvent) -> None:
        """Classify one watchdog event; pass on what the site reads."""
        if event.event_type not in _CHANGING:
            return
        if event.is_directory and event.event_type in ("modified", "closed"):
            return  # a folder's mtime changes with every file in it: the file events say more
        # a file closed after writing, or renamed into place, is complete; a renamed-away,
        # created, modified or deleted one may be followed by more events
        paths: list[tuple[str | bytes, bool]] = [(event.src_path, event.event_type == "closed")]
        if event.dest_path:
            paths.append((event.dest_path, True))
        changes: list[Change] = []
        settled: list[Change] = []
        for raw, complete in paths:
            path = raw.decode("utf-8", "surrogateescape") if isinstance(raw, bytes) else raw
            change = classify(self.root, Path(path), event.is_directory)
            if change.kind is not ChangeKind.IGNORED:
                (settled if complete else changes).append(change)
        if any(c.kind is ChangeKind.LAYOUT for c in [*changes, *settled]):
            self.refresh()
        if changes:
            self.on_changes(changes)
        if settled:
            self.on_settled(settled)
