"""Debouncing: bursts of editor and git events become one rebuild; a change during a rebuild
triggers exactly one more. Real inotify for the editor patterns, and synthetic events too."""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from watchdog.events import (
    DirModifiedEvent,
    FileClosedEvent,
    FileClosedNoWriteEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)

from briefgen.serve.changes import Change, ChangeKind
from briefgen.serve.debounce import Debouncer
from briefgen.serve.watcher import Watcher
from tests.serve.kit import wait_until

B = ChangeKind.BRIEFING


class Recorder:
    """A rebuild callback that records each batch; optionally blocks the first one."""

    def __init__(self, block_first: bool = False) -> None:
        self.batches: list[list[Change]] = []
        self.started = threading.Event()
        self.release = threading.Event()
        if not block_first:
            self.release.set()

    def __call__(self, batch: Sequence[Change]) -> None:
        self.batches.append(list(batch))
        self.started.set()
        assert self.release.wait(30)
        self.release.set()  # only the first one waits

    def paths(self) -> list[set[str]]:
        return [{c.path for c in batch} for batch in self.batches]


@pytest.fixture
def debounced() -> Iterator[Callable[..., tuple[Debouncer, Recorder]]]:
    made: list[Debouncer] = []

    def make(block_first: bool = False, quiet: float = 0.2) -> tuple[Debouncer, Recorder]:
        recorder = Recorder(block_first)
        debouncer = Debouncer(recorder, quiet=quiet, max_wait=5.0)
        debouncer.start()
        made.append(debouncer)
        return debouncer, recorder

    yield make
    for debouncer in made:
        debouncer.stop(5)


def change(n: int) -> Change:
    return Change(B, f"content/briefings/{n}.md")


def test_a_burst_of_fifty_changes_is_one_rebuild(debounced: Callable[..., Any]) -> None:
    debouncer, recorder = debounced()
    for n in range(50):
        debouncer.push([change(n)])
    wait_until(lambda: recorder.batches, what="a rebuild")
    assert debouncer.wait_idle(30)
    assert len(recorder.batches) == 1
    assert len(recorder.batches[0]) == 50


def test_changes_during_a_rebuild_trigger_exactly_one_more(debounced: Callable[..., Any]) -> None:
    debouncer, recorder = debounced(block_first=True)
    debouncer.push([change(1)])
    assert recorder.started.wait(30)
    for n in (2, 3, 4, 2):  # three files (one twice) saved while the first build runs
        debouncer.push([change(n)])
    recorder.release.set()
    wait_until(lambda: len(recorder.batches) >= 2, what="the second rebuild")
    assert debouncer.wait_idle(30)
    assert recorder.paths() == [{"content/briefings/1.md"},
                                {f"content/briefings/{n}.md" for n in (2, 3, 4)}]


def test_a_failing_rebuild_does_not_stop_the_next_one() -> None:
    calls: list[int] = []
    errors: list[BaseException] = []

    def rebuild(batch: Sequence[Change]) -> None:
        calls.append(len(batch))
        if len(calls) == 1:
            raise RuntimeError("boom")

    debouncer = Debouncer(rebuild, quiet=0.01, on_error=errors.append)
    debouncer.start()
    try:
        debouncer.push([change(1)])
        wait_until(lambda: calls, what="the first rebuild")
        assert debouncer.wait_idle(30)
        debouncer.push([change(2)])
        wait_until(lambda: len(calls) == 2, what="the second rebuild")
    finally:
        debouncer.stop(5)
    assert [str(e) for e in errors] == ["boom"]


def test_one_file_saved_completely_is_rebuilt_without_waiting_the_quiet_period() -> None:
    batches: list[list[Change]] = []
    # a quiet period no test would wait for: only the settled path can start this rebuild
    debouncer = Debouncer(batches.append, quiet=600, max_wait=600, settled_quiet=0.0)
    debouncer.start()
    try:
        debouncer.push([change(1)])  # created or modified: maybe more to come
        debouncer.push([change(1)], settled=True)  # closed after writing
        wait_until(lambda: batches, what="the rebuild of the saved file")
    finally:
        debouncer.stop(5)
    assert batches == [[change(1)]]


def test_the_short_wait_is_only_for_one_complete_file() -> None:
    debouncer = Debouncer(lambda _batch: None, quiet=0.05, settled_quiet=0.005)
    assert debouncer.current_quiet == 0.05  # nothing pending
    debouncer.push([change(1)])
    assert debouncer.current_quiet == 0.05  # being written
    debouncer.push([change(1)], settled=True)
    assert debouncer.current_quiet == 0.005  # one file, complete
    debouncer.push([change(2)], settled=True)
    assert debouncer.current_quiet == 0.05  # a second file: maybe a burst, wait as before
    plain = Debouncer(lambda _batch: None, quiet=0.05)
    plain.push([change(1)], settled=True)
    assert plain.current_quiet == 0.05  # no settled_quiet: always the quiet period


# --- the watcher with synthetic events ----------------------------------------------------

def synthetic_watcher(root: Path) -> tuple[Watcher, list[Change]]:
    seen: list[Change] = []
    return Watcher(root, seen.extend), seen


def test_vim_save_events_reduce_to_the_saved_file(tmp_path: Path) -> None:
    watcher, seen = synthetic_watcher(tmp_path)
    d = tmp_path / "content" / "briefings"
    md = str(d / "a.md")
    for event in [
        FileCreatedEvent(str(d / "4913")), FileDeletedEvent(str(d / "4913")),
        FileMovedEvent(md, md + "~"), FileCreatedEvent(md), FileModifiedEvent(md),
        FileModifiedEvent(str(d / ".a.md.swp")), FileDeletedEvent(md + "~"),
        DirModifiedEvent(str(d)), FileOpenedEvent(md), FileClosedNoWriteEvent(md),
    ]:
        watcher.handle(event)
    assert {c.path for c in seen} == {"content/briefings/a.md"}


def test_jetbrains_safe_write_events_reduce_to_the_saved_file(tmp_path: Path) -> None:
    watcher, seen = synthetic_watcher(tmp_path)
    md = str(tmp_path / "themes/default/templates/briefing.html")
    for event in [
        FileCreatedEvent(md + "___jb_tmp___"), FileModifiedEvent(md + "___jb_tmp___"),
        FileMovedEvent(md, md + "___jb_old___"), FileMovedEvent(md + "___jb_tmp___", md),
        FileDeletedEvent(md + "___jb_old___"),
    ]:
        watcher.handle(event)
    assert seen and {c.path for c in seen} == {"themes/default/templates/briefing.html"}
    assert {c.kind for c in seen} == {ChangeKind.TEMPLATE}


def test_closed_and_renamed_into_place_files_are_reported_as_complete(tmp_path: Path) -> None:
    written: list[Change] = []
    complete: list[Change] = []
    watcher = Watcher(tmp_path, written.extend, on_settled=complete.extend)
    d = tmp_path / "content" / "briefings"
    md = str(d / "a.md")
    watcher.handle(FileModifiedEvent(md))
    watcher.handle(FileMovedEvent(md, md + "~"))  # vim moves it away: gone for now
    assert written == [change_a := Change(B, "content/briefings/a.md")] * 2 and complete == []
    watcher.handle(FileClosedEvent(md))
    assert complete == [change_a]
    watcher.handle(FileMovedEvent(md + "___jb_tmp___", md))  # JetBrains renames it into place
    assert complete == [change_a] * 2 and len(written) == 2


# --- real file systems events (inotify) ---------------------------------------------------

@pytest.fixture
def watched(tmp_path: Path, debounced: Callable[..., Any]) -> Iterator[tuple[Path, Recorder]]:
    root = tmp_path / "desk"
    (root / "content" / "briefings").mkdir(parents=True)
    (root / "content" / "briefings" / "a.md").write_text("---\ntitle: A\n---\nOld.\n")
    (root / "briefgen.yaml").write_text("title: T\n")
    debouncer, recorder = debounced(quiet=0.3)
    watcher = Watcher(root, debouncer.push)
    assert watcher.start() in ("native", "polling")
    yield root, recorder
    watcher.stop()


def settle(root: Path, recorder: Recorder) -> None:
    """Touch a sentinel after the pattern; wait for the rebuild that includes it."""
    sentinel = root / "content" / "briefings" / "zz-sentinel.md"
    sentinel.write_text("sentinel\n")
    wait_until(lambda: any("content/briefings/zz-sentinel.md" in p for p in recorder.paths()),
               what="the rebuild with the sentinel")


def test_vim_atomic_save_on_disk_is_one_rebuild(watched: tuple[Path, Recorder]) -> None:
    root, recorder = watched
    d = root / "content" / "briefings"
    (d / ".a.md.swp").write_bytes(b"swap")
    probe = d / "4913"
    probe.write_bytes(b"")
    probe.unlink()
    os.rename(d / "a.md", d / "a.md~")  # backupcopy=no: rename, write anew, drop the backup
    (d / "a.md").write_text("---\ntitle: A\n---\nNew.\n")
    (d / "a.md~").unlink()
    (d / ".a.md.swp").unlink()
    settle(root, recorder)
    assert recorder.paths() == [{"content/briefings/a.md", "content/briefings/zz-sentinel.md"}]


def test_jetbrains_safe_write_on_disk_is_one_rebuild(watched: tuple[Path, Recorder]) -> None:
    root, recorder = watched
    d = root / "content" / "briefings"
    (d / "a.md___jb_tmp___").write_text("---\ntitle: A\n---\nNew.\n")
    os.rename(d / "a.md", d / "a.md___jb_old___")
    os.rename(d / "a.md___jb_tmp___", d / "a.md")
    (d / "a.md___jb_old___").unlink()
    settle(root, recorder)
    assert recorder.paths() == [{"content/briefings/a.md", "content/briefings/zz-sentinel.md"}]


def test_a_git_checkout_of_fifty_files_is_one_rebuild(watched: tuple[Path, Recorder]) -> None:
    root, recorder = watched
    folder = root / "content" / "briefings" / "2026"
    folder.mkdir()
    for n in range(50):
        (folder / f"b{n:02d}.md").write_text(f"---\ntitle: B{n}\n---\nText.\n")
    settle(root, recorder)
    assert len(recorder.batches) == 1
    assert len({p for p in recorder.paths()[0] if p.startswith("content/briefings/2026/b")}) == 50


def test_writes_by_briefgen_itself_never_trigger_a_rebuild(
        watched: tuple[Path, Recorder]) -> None:
    root, recorder = watched
    for rel in ("site/index.html", "site.briefgen-staging/x.html", ".briefgen-cache/serve/a/x",
                ".briefgen-cache/build.sqlite", ".briefgen-archive/old.md"):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    settle(root, recorder)
    assert recorder.paths() == [{"content/briefings/zz-sentinel.md"}]


# --- the polling fallback -----------------------------------------------------------------

class RefusingObserver:
    """An observer whose start fails the way inotify does when it is full."""

    def __init__(self, code: int) -> None:
        self.code = code

    def schedule(self, *_args: object, **_kwargs: object) -> object:
        return None

    def start(self) -> None:
        raise OSError(self.code, os.strerror(self.code))

    def stop(self) -> None:
        pass

    def join(self, timeout: float | None = None) -> None:
        pass


@pytest.mark.parametrize(("code", "says"), [
    (errno.ENOSPC, "fs.inotify.max_user_watches"),
    (errno.EMFILE, "fs.inotify.max_user_instances"),
    (errno.ENOSYS, "native file watching is unavailable"),
])
def test_when_inotify_is_full_or_missing_the_watcher_polls_and_says_why(
        tmp_path: Path, code: int, says: str) -> None:
    (tmp_path / "content" / "briefings").mkdir(parents=True)
    logs: list[str] = []
    seen = threading.Event()
    changes: list[Change] = []

    def on_changes(batch: list[Change]) -> None:
        changes.extend(batch)
        seen.set()

    watcher = Watcher(tmp_path, on_changes, log=logs.append,
                      observer_factory=lambda: RefusingObserver(code), poll_interval=0.1)
    try:
        assert watcher.start() == "polling"
        assert len(logs) == 1 and "polling every 0.1 s" in logs[0] and says in logs[0]
        (tmp_path / "content" / "briefings" / "new.md").write_text("---\ntitle: N\n---\n")
        assert seen.wait(30)
    finally:
        watcher.stop()
    assert Change(B, "content/briefings/new.md") in changes
