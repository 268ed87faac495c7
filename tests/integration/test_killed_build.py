"""A build killed at any point leaves the old site or the new one, and the next build equals a cold
build (RELIABILITY 50).

Each case runs `briefgen build` in a child process that sends itself SIGKILL at one chosen point
(while parsing, rendering, bringing the spare up to date, exchanging the folders, writing the
state), or from outside after a random delay. The published folder must then hold exactly the
site before the build or exactly the site a cold build makes, and the next build must succeed
and equal a cold build, byte for byte.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from briefgen.cache import CACHE_DIR
from tests.sitekit import NOW, build_site

Tree = dict[str, bytes | None]
NEW_ID = "5e1d0c0a-0000-4000-8000-000000000050"

# Run in the child: install the kill point named by argv[1] (after argv[2] calls), then build.
_CHILD = textwrap.dedent("""
    import os, signal, sys
    from datetime import datetime
    from pathlib import Path

    point, after = sys.argv[1], int(sys.argv[2])
    calls = [0]

    def die_after(owner, name, before=True):
        real = getattr(owner, name)
        def wrapper(*args, **kwargs):
            calls[0] += 1
            if before and calls[0] > after:
                os.kill(os.getpid(), signal.SIGKILL)
            value = real(*args, **kwargs)
            if not before and calls[0] > after:
                os.kill(os.getpid(), signal.SIGKILL)
            return value
        setattr(owner, name, wrapper)

    import briefgen.cache, briefgen.content, briefgen.loader, briefgen.output, briefgen.theme
    if point == "parse":
        die_after(briefgen.loader, "read_briefing")
        briefgen.loader._PARSERS["briefing"] = briefgen.loader.read_briefing
    elif point == "render":
        die_after(briefgen.theme.Theme, "render")
    elif point == "spare":  # while the spare is brought up to date and given the new files
        real_prepare = briefgen.output.Output.prepare
        def prepare(self, *args, **kwargs):
            die_after(briefgen.output.os, "replace")
            die_after(briefgen.output, "link_or_copy")
            return real_prepare(self, *args, **kwargs)
        briefgen.output.Output.prepare = prepare
    elif point == "exchange-before":
        die_after(briefgen.output, "exchange")
    elif point == "exchange-after":
        die_after(briefgen.output, "exchange", before=False)
    elif point == "state":  # the state written after the exchange
        real_publish = briefgen.output.Output.publish
        def publish(self):
            real_publish(self)
            die_after(briefgen.cache.BuildCache, "set_meta")
        briefgen.output.Output.publish = publish
    elif point != "none":
        raise SystemExit(f"unknown kill point {point}")

    from briefgen.build import BuildOptions, build
    build(BuildOptions(Path("."), jobs=1, now=datetime.fromisoformat(sys.argv[3])))
""")


def tree(folder: Path) -> Tree:
    """Every file (with its bytes) and folder under folder."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() if path.is_file() else None
            for path in sorted(folder.rglob("*"))}


def _edit(root: Path) -> None:
    """Several edits at once: bodies, a title, a deleted briefing and a new one."""
    briefings = sorted((root / "content" / "briefings").rglob("*.md"))
    for path in briefings[:3]:
        with path.open("a", encoding="utf-8") as handle:
            handle.write("\nA paragraph added by the edit.\n")
    text = briefings[3].read_text(encoding="utf-8")
    briefings[3].write_text(text.replace('title: "', 'title: "Retitled ', 1), encoding="utf-8")
    new = briefings[5].parent / "added-by-the-edit.md"
    text = briefings[5].read_text(encoding="utf-8")
    text = re.sub(r"^id: .*$", f"id: {NEW_ID}", text, count=1, flags=re.M)
    new.write_text(text.replace('title: "', 'title: "Added ', 1), encoding="utf-8")
    briefings[4].unlink()


def _cold(root: Path, scratch: Path) -> Tree:
    copy = scratch / "cold"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", "site.briefgen-*",
                                                              CACHE_DIR))
    build_site(copy, cache=False, jobs=1)
    return tree(copy / "site")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Tree, Tree]:
    """A site published twice (so its spare is known), its published tree, and the tree a cold
    build makes after the edit."""
    base = tmp_path_factory.mktemp("killed")
    root = generate(base / "site-src", 24)
    build_site(root, jobs=1)
    first = sorted((root / "content" / "briefings").rglob("*.md"))[0]
    with first.open("a", encoding="utf-8") as handle:
        handle.write("\nAn earlier edit.\n")
    build_site(root, jobs=1)
    old = tree(root / "site")
    edited = base / "edited"
    shutil.copytree(root, edited)
    _edit(edited)
    new = _cold(edited, base)
    assert old != new
    return root, old, new


def _child(root: Path, point: str, after: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    return subprocess.Popen([sys.executable, "-c", _CHILD, point, str(after), NOW.isoformat()],
                            cwd=root, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def _check_then_rebuild(root: Path, old: Tree, new: Tree) -> None:
    published = tree(root / "site")
    assert published in (old, new), "the published folder mixes two builds"
    build_site(root, jobs=1)
    assert tree(root / "site") == new
    assert not (root / "site.briefgen-staging").exists()
    # and once more after a further edit: the state left behind is still sound
    build_site(root, jobs=1)
    assert tree(root / "site") == new


@pytest.mark.parametrize(("point", "after"), [
    ("parse", 1), ("render", 4), ("spare", 0), ("spare", 3), ("spare", 9),
    ("exchange-before", 0), ("exchange-after", 0), ("state", 0), ("state", 2)])
def test_a_build_killed_at_a_point_leaves_one_whole_site_and_the_next_build_recovers(
        prepared: tuple[Path, Tree, Tree], tmp_path: Path, point: str, after: int) -> None:
    source, old, new = prepared
    root = tmp_path / "site-src"
    shutil.copytree(source, root, symlinks=True)
    _edit(root)
    child = _child(root, point, after)
    _out, err = child.communicate(timeout=120)
    assert child.returncode == -signal.SIGKILL, err.decode()[-2000:]
    _check_then_rebuild(root, old, new)


def test_a_build_killed_from_outside_at_random_moments_never_publishes_a_mix(
        prepared: tuple[Path, Tree, Tree], tmp_path: Path) -> None:
    source, old, new = prepared
    rng = random.Random(50)
    for attempt in range(4):
        root = tmp_path / f"attempt-{attempt}" / "site-src"
        shutil.copytree(source, root, symlinks=True)
        _edit(root)
        child = _child(root, "none", 0)
        time.sleep(rng.uniform(0.3, 1.5))
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=120)
        _check_then_rebuild(root, old, new)


def test_a_fallback_exchange_stopped_halfway_is_undone_by_the_next_build(
        prepared: tuple[Path, Tree, Tree], tmp_path: Path) -> None:
    # where folders cannot be exchanged in one step, three renames do it; stopped after the
    # first, the published folder is missing and the old site waits in the middle
    source, _old, new = prepared
    root = tmp_path / "site-src"
    shutil.copytree(source, root, symlinks=True)
    os.replace(root / "site", root / "site.briefgen-swap")
    _edit(root)
    build_site(root, jobs=1)
    assert tree(root / "site") == new
    assert not (root / "site.briefgen-swap").exists()


def test_folders_are_exchanged_by_three_renames_where_the_system_cannot(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefgen import swap

    monkeypatch.setattr(swap, "_system_exchange", lambda a, b: False)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_text("from a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x").write_text("from b")
    swap.exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "a" / "x").read_text() == "from b"
    assert (tmp_path / "b" / "x").read_text() == "from a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_folders_are_exchanged_in_one_step_on_linux(tmp_path: Path) -> None:
    from briefgen import swap

    if not sys.platform.startswith("linux"):
        pytest.skip("renameat2 is Linux's")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x").write_text("from b")
    assert swap._system_exchange(os.fsencode(tmp_path / "a"), os.fsencode(tmp_path / "b"))
    assert (tmp_path / "a" / "x").read_text() == "from b"
    assert not (tmp_path / "b" / "x").exists()
