"""The up-to-date check of a published folder: every file by stat, folders listed only when
they changed after the build that published them."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import briefgen.freshness
from briefgen.freshness import outputs_intact, published_at

FILES = {
    ".briefgen-output": "marker\n",
    "index.html": "<p>home</p>\n",
    "briefings/2026/02/alpha/index.html": "<p>alpha</p>\n",
    "briefings/2026/02/beta/index.html": "<p>beta</p>\n",
    "assets/style.css": "body {}\n",
}


def publish(out: Path) -> dict[str, str]:
    """Write FILES into out; their manifest as a build records it ("key size mtime")."""
    manifest: dict[str, str] = {}
    for rel, text in FILES.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        stat = path.stat()
        manifest[rel] = f"k{len(manifest)} {stat.st_size} {stat.st_mtime_ns}"
    return manifest


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, dict[str, str], int]:
    out = tmp_path / "site"
    manifest = publish(out)
    return out, manifest, time.time_ns()


def test_an_untouched_folder_is_intact_and_an_empty_stray_folder_does_not_count(
        published: tuple[Path, dict[str, str], int]) -> None:
    out, manifest, at = published
    assert outputs_intact(out, manifest, at)
    (out / "briefings/2026/empty").mkdir()
    assert outputs_intact(out, manifest, at)


def _new_folder(out: Path) -> None:
    (out / "new").mkdir()
    (out / "new/x.txt").write_text("x")


def _file_to_folder(out: Path) -> None:
    (out / "assets/style.css").unlink()
    (out / "assets/style.css").mkdir()


CHANGES: dict[str, Callable[[Path], object]] = {
    "a stray file at the top": lambda out: (out / "stray.html").write_text("x"),
    "a stray file beside a page": lambda out: (
        out / "briefings/2026/02/alpha/notes.txt").write_text("x"),
    "a new folder with a file": _new_folder,
    "a page deleted": lambda out: (out / "briefings/2026/02/beta/index.html").unlink(),
    "a page's folder renamed": lambda out: (out / "briefings/2026/02/beta").rename(
        out / "briefings/2026/02/gamma"),
    "a page rewritten": lambda out: (out / "index.html").write_text("<p>defaced</p>\n"),
    "a page's time changed": lambda out: os.utime(out / "index.html", ns=(0, 0)),
    "a page replaced by a folder": _file_to_folder,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_by_hand_is_seen(published: tuple[Path, dict[str, str], int],
                                  change: str) -> None:
    out, manifest, at = published
    CHANGES[change](out)
    assert not outputs_intact(out, manifest, at)


@pytest.fixture
def shared(monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a small folder is checked by several processes."""
    monkeypatch.setattr(briefgen.freshness, "SHARED_FROM", 0)
    monkeypatch.setattr(briefgen.freshness, "LATER_FROM", 0)


@pytest.fixture
def forking(shared: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """And forking is allowed although the test run has threads of its own (its servers)."""
    monkeypatch.setattr(briefgen.freshness, "may_fork", lambda: True)


@pytest.mark.usefixtures("forking")
@pytest.mark.parametrize("processes", [2, 3])
@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_by_hand_is_seen_by_whichever_process_checks_it(
        published: tuple[Path, dict[str, str], int], change: str, processes: int) -> None:
    out, manifest, at = published
    assert outputs_intact(out, manifest, at, processes)
    CHANGES[change](out)
    assert not outputs_intact(out, manifest, at, processes)


@pytest.fixture
def another_thread(shared: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A second thread runs (as the preview's server does), and forking fails the test."""
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked beside a running thread"))
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    yield
    stop.set()
    other.join()


@pytest.mark.usefixtures("another_thread")
def test_the_check_runs_in_one_process_while_other_threads_run(
        published: tuple[Path, dict[str, str], int]) -> None:
    out, manifest, at = published
    assert outputs_intact(out, manifest, at, 2)


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The folders outputs_intact lists, with a slack of 0.2 s instead of two seconds."""
    folders: list[str] = []
    scandir = os.scandir

    def spy(path: str) -> object:
        folders.append(os.path.basename(path))
        return scandir(path)

    monkeypatch.setattr(briefgen.freshness, "CLOCK_SLACK_NS", 200_000_000)
    monkeypatch.setattr(os, "scandir", spy)
    yield folders


def test_only_folders_changed_since_the_publish_are_listed_and_an_added_file_is_seen(
        tmp_path: Path, listed: list[str]) -> None:
    out = tmp_path / "site"
    manifest = publish(out)
    time.sleep(0.3)  # every folder older than the publish by more than the slack
    at = time.time_ns()
    assert outputs_intact(out, manifest, at)
    assert listed == []
    time.sleep(0.05)
    (out / "briefings/2026/02/alpha/notes.txt").write_text("added by hand")
    assert not outputs_intact(out, manifest, at)
    assert listed == ["alpha"]


def test_the_publish_time_is_the_earlier_of_the_machine_clock_and_the_file_system_clock(
        tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    before = time.time_ns()
    at = published_at(out)
    assert at <= time.time_ns() and at <= tmp_path.stat().st_ctime_ns
    assert at >= min(before, tmp_path.stat().st_ctime_ns)


# The check asked early and answered late (an edit build loads its model meanwhile)


@pytest.mark.usefixtures("forking")
@pytest.mark.parametrize("here", [False, True], ids=["all forked", "a third here"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_a_later_answer_from_a_forked_process_sees_a_change_by_hand(
        published: tuple[Path, dict[str, str], int], change: str, here: bool) -> None:
    out, manifest, at = published
    answer = briefgen.freshness.LaterAnswer(out, manifest, at, 2, here=here)
    assert answer() and answer()  # asked once, remembered
    CHANGES[change](out)
    assert not briefgen.freshness.LaterAnswer(out, manifest, at, 2, here=here)()


@pytest.mark.usefixtures("forking")
def test_a_later_answer_closed_unasked_leaves_no_process_behind(
        published: tuple[Path, dict[str, str], int]) -> None:
    out, manifest, at = published
    answer = briefgen.freshness.LaterAnswer(out, manifest, at, 2)
    child = answer._pid
    assert child
    answer.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(child, 0)  # reaped


@pytest.mark.usefixtures("another_thread")
def test_a_later_answer_is_worked_out_here_while_other_threads_run(
        published: tuple[Path, dict[str, str], int]) -> None:
    out, manifest, at = published
    answer = briefgen.freshness.LaterAnswer(out, manifest, at, 2)
    (out / "stray.html").write_text("x")
    assert not answer()  # asked when called: the stray file is seen
