"""Is the published site already what a build would make? A digest of every input, by stat.

The digest covers briefgen's version, the build options, the configuration, the registries, and
the path, size and modification time of every content, theme and static file. When it matches the
last build's, every published file is still as that build left it, and no future-dated briefing
has come due, the build has nothing to do. Any doubt (no cache, a file touched, a file missing from
the output) means a normal build, which is itself incremental.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from briefgen import __version__

__all__ = ["CLOCK_SLACK_NS", "LATER_FROM", "SHARED_FROM", "LaterAnswer", "due", "input_digest",
           "may_fork", "outputs_intact", "published_at"]

# A folder changed this close before the build that published it finished, or later, is listed:
# file systems keep change times in coarse ticks (a few milliseconds, up to two seconds).
CLOCK_SLACK_NS = 2_000_000_000


def _tree(folder: Path) -> list[str]:
    found: list[str] = []
    for current, dirs, files in os.walk(folder):
        dirs.sort()
        found.extend(os.path.join(current, name) for name in sorted(files))
    return found


def input_digest(root: Path, options: str, content: Iterable[str], theme_dirs: list[Path],
                 config_fingerprint: str, stats: dict[str, os.stat_result] | None = None) -> str:
    """One digest of everything a build reads; `stats` is given each file's stat by path (the
    parse step needs them too)."""
    base = str(root)
    files = [os.path.join(base, "briefgen.yaml")]
    files += [os.path.join(base, "content", name) for name in ("authors.yaml", "categories.yaml",
                                                               "outlets.yaml", "tags.yaml")]
    files += [f"{base}/{rel}" for rel in content]  # os.path.join's checks: 7 ms at 10,000
    for folder in [*theme_dirs, root / "static"]:
        files += _tree(folder)
    lines = [f"{__version__}\0{options}\0{config_fingerprint}"]
    for path in files:
        try:
            found = os.stat(path)
        except OSError:
            lines.append(f"{path}\0missing")
            continue
        if stats is not None:
            stats[path] = found
        lines.append(f"{path}\0{found.st_size}\0{found.st_mtime_ns}")
    lines.append("")
    text = "\n".join(lines)
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()


def _folders(files: Iterable[str]) -> set[str]:
    """Every folder that holds the files, "" for the top one, as site-relative paths."""
    folders = {""}
    for parent in {rel.rpartition("/")[0] for rel in files}:
        while parent not in folders:
            folders.add(parent)
            parent = parent.rpartition("/")[0]
    return folders


def _holds_files(folder: str) -> bool:
    """True when a folder has a file anywhere below it (empty folders do not count)."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return True
    return any(not entry.is_dir(follow_symlinks=False) or _holds_files(entry.path)
               for entry in entries)


def _listing_matches(path: str, prefix: str, manifest: dict[str, str],
                     folders: set[str]) -> bool:
    """True when a folder holds only files of the manifest and folders that hold them (or
    nothing)."""
    try:
        with os.scandir(path) as listing:
            entries = list(listing)
    except OSError:
        return False
    for entry in entries:
        rel = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            if rel not in folders and _holds_files(entry.path):
                return False
        elif rel not in manifest:
            return False
    return True


def published_at(out: Path) -> int:
    """When a build that just published `out` finished, in nanoseconds: the earlier of this
    machine's clock and the file system's (the change time that exchanging `out` gave the folder
    it is in), so that a network file system whose clock runs behind hides nothing."""
    now = time.time_ns()
    try:
        return min(now, os.stat(out.parent).st_ctime_ns)
    except OSError:
        return now


def outputs_intact(out: Path, manifest: dict[str, str], published_ns: int,
                   processes: int = 1) -> bool:
    """True when the published folder holds exactly the manifest's files, each with the size and
    time it recorded (a stray file dropped into it needs a build to remove it).

    Files and folders are stat'ed, not listed: adding, removing or renaming an entry gives its
    folder a new change time, which no one can set back, so only the folders changed since the
    last build published (`published_ns`, less CLOCK_SLACK_NS) are listed. On a large site that
    is under half the time of listing every folder, most of which hold one page. With
    `processes` > 1 the stats are shared among that many processes (see _shared)."""
    check = _checker(out, manifest, published_ns)
    return _shared(check, processes if len(manifest) >= SHARED_FROM else 1)


def _checker(out: Path, manifest: dict[str, str],
             published_ns: int) -> Callable[[int, int], bool]:
    """check(share, shares): outputs_intact() for every shares-th file and folder from share."""
    base = str(out)
    files = list(manifest.items())
    held = _folders(manifest)
    folders = sorted(held)  # "" (the folder itself) first
    since = published_ns - CLOCK_SLACK_NS

    def check(share: int, shares: int) -> bool:
        for rel, stamp in files[share::shares]:
            try:
                found = os.lstat(f"{base}/{rel}")
            except OSError:
                return False
            if (not stat.S_ISREG(found.st_mode)
                    or not stamp.endswith(f" {found.st_size} {found.st_mtime_ns}")):
                return False
        for rel in folders[share::shares]:
            path = f"{base}/{rel}" if rel else base
            try:
                found = os.stat(path) if not rel else os.lstat(path)
            except OSError:
                return False
            if not stat.S_ISDIR(found.st_mode):
                return False
            if (found.st_ctime_ns >= since  # any change to a folder sets its ctime to now
                    and not _listing_matches(path, f"{rel}/" if rel else "", manifest, held)):
                return False
        return True

    return check


def may_fork() -> bool:
    """Whether this process may fork a helper: not while other threads run (a forked copy of a
    threaded process may hang on a lock another thread held)."""
    return hasattr(os, "fork") and threading.active_count() == 1


# Below this many files one process checks them all: forking costs more than it saves.
SHARED_FROM = 4000
# From this many, LaterAnswer forks (a process forked early, before the model is loaded, is
# small and quick to fork: at 1,000 briefings the check is 15 ms of an edit build's 0.3 s).
LATER_FROM = 1000


def _shared(check: Callable[[int, int], bool], processes: int) -> bool:
    """check(share, processes) for every share, True when all are. The shares past the first
    run in forked processes (at most three), which give their answer as their exit status.
    Threads only took turns (Python lets go of its lock for each stat and takes it back for
    the next line: slower than one thread), while two processes check 17,000 pages' 43,000
    files and folders in 60% of the time. Not forked while other threads run (the preview's
    server): a forked copy of a threaded process may hang on a lock another thread held."""
    processes = min(processes, 4)
    if processes <= 1 or not may_fork():
        return check(0, 1)
    children = []
    for share in range(1, processes):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's coverage is not collected
            status = 1
            try:
                status = 0 if check(share, processes) else 1
            finally:
                os._exit(status)
        children.append(pid)
    mine = check(0, processes)
    theirs = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0 for pid in children]
    return mine and all(theirs)


class LaterAnswer:
    """outputs_intact() asked now and answered when called: in a forked process when one may
    be forked (then this process goes on with other work meanwhile), else here, when called.
    here=True: the caller has a little work before it asks (the nothing-changed check digests the
    inputs first), so the forked process checks two thirds and the caller the last third when it
    asks. close() ends the check unanswered (a child still running is stopped and reaped)."""

    def __init__(self, out: Path, manifest: dict[str, str], published_ns: int,
                 processes: int, here: bool = False) -> None:
        self._question = (out, manifest, published_ns, processes)
        self._pid = 0
        self._answer: bool | None = None
        self._here = here
        if processes > 1 and len(manifest) >= LATER_FROM and may_fork():
            self._check = _checker(out, manifest, published_ns)
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child's coverage is not collected
                status = 1
                try:
                    check = self._check
                    theirs = check(1, 3) and check(2, 3) if here else check(0, 1)
                    status = 0 if theirs else 1
                finally:
                    os._exit(status)
            self._pid = pid

    def __call__(self) -> bool:
        if self._answer is None:
            if self._pid:
                mine = self._check(0, 3) if self._here else True
                status = os.waitpid(self._pid, 0)[1]
                self._pid = 0
                self._answer = mine and os.waitstatus_to_exitcode(status) == 0
            else:
                self._answer = outputs_intact(*self._question)
        return self._answer

    def close(self) -> None:
        if self._pid:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            self._pid = 0


def due(next_change: str | None, now: datetime) -> bool:
    """True when a future-dated briefing recorded by the last build has come due."""
    return bool(next_change) and datetime.fromisoformat(str(next_change)) <= now
