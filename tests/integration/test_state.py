"""The build state kept between runs (.briefgen-cache/), restored by a CI system into a fresh
checkout on another machine: trusted with the shared key, discarded with a warning otherwise, and
never able to make the output differ from a cold build (RELIABILITY 49)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from briefgen.build import BuildResult
from briefgen.cache import CACHE_DIR, KEY_VARIABLE
from briefgen.diagnostics import Diagnostic
from tests.sitekit import CONFIG, build_site, write_site

SITE = """
    -- content/categories.yaml --
    analysis:
      name: Analysis
    -- content/sources/s-one.md --
    ---
    title: Grid reserve auction opens
    outlet: The Ledger
    url: https://ledger.example.com/one
    ---
    -- content/briefings/alpha.md --
    ---
    title: Alpha
    date: 2026-02-04T09:00:00Z
    category: analysis
    sources: [s-one]
    ---
    Alpha cites [@s-one].
    -- content/briefings/beta.md --
    ---
    title: Beta
    date: 2026-02-05T09:00:00Z
    category: analysis
    ---
    Beta has no sources.
"""
LABEL = f"{CACHE_DIR}/build.sqlite"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def state_warnings(result: BuildResult) -> list[Diagnostic]:
    return [d for d in result.diagnostics.warnings if d.path == LABEL]


def cold(root: Path, scratch: Path) -> dict[str, bytes]:
    copy = scratch / "cold"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", "site.*", CACHE_DIR))
    build_site(copy, cache=False)
    return snapshot(copy / "site")


def machine(monkeypatch: pytest.MonkeyPatch, home: Path, key: str | None) -> None:
    """Act as another machine: its own user cache folder, and the CI secret or none."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    if key is None:
        monkeypatch.delenv(KEY_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(KEY_VARIABLE, key)


def restore(checkout: Path, elsewhere: Path, folders: tuple[str, ...]) -> Path:
    """A fresh checkout of the site's files elsewhere, with these folders restored as a CI
    cache step does (times kept)."""
    target = elsewhere / "checkout"
    shutil.copytree(checkout, target, ignore=shutil.ignore_patterns(
        "site", "site.*", CACHE_DIR))
    for name in folders:
        shutil.copytree(checkout / name, target / name)
    return target


@pytest.fixture
def first_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The site built once on one CI runner with the shared key."""
    machine(monkeypatch, tmp_path / "runner-1", "s3cret-shared-by-the-runners")
    root = write_site(write_site(tmp_path / "run-1", CONFIG), SITE)
    build_site(root)
    return root


def test_state_restored_on_another_runner_with_the_shared_key_is_used(
        first_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    machine(monkeypatch, tmp_path / "runner-2", "s3cret-shared-by-the-runners")
    root = restore(first_run, tmp_path / "run-2", (CACHE_DIR, "site"))

    result = build_site(root)

    assert state_warnings(result) == []
    assert result.counts["parsed"] == 0  # every file from the restored state
    assert result.counts["written"] == 0  # every published file already right
    assert snapshot(root / "site") == cold(root, tmp_path)


def test_state_restored_without_the_shared_key_is_discarded_with_a_warning(
        first_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    machine(monkeypatch, tmp_path / "runner-2", None)
    root = restore(first_run, tmp_path / "run-2", (CACHE_DIR, "site"))

    result = build_site(root)

    [warning] = state_warnings(result)
    assert "not signed by this user's key" in warning.message
    assert result.counts["parsed"] == 3
    assert snapshot(root / "site") == cold(root, tmp_path)


def test_state_restored_from_another_branch_gives_the_bytes_of_a_cold_build(
        first_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    machine(monkeypatch, tmp_path / "runner-2", "s3cret-shared-by-the-runners")
    root = restore(first_run, tmp_path / "run-2", (CACHE_DIR, "site"))
    # the other branch: a briefing retitled, one removed, one added
    alpha = root / "content/briefings/alpha.md"
    alpha.write_text(alpha.read_text().replace("title: Alpha", "title: Alpha, retitled"))
    (root / "content/briefings/beta.md").unlink()
    write_site(root, "-- content/briefings/gamma.md --\n---\ntitle: Gamma\n"
               "date: 2026-02-06T09:00:00Z\ncategory: analysis\n---\nGamma.\n")

    result = build_site(root)

    assert state_warnings(result) == []
    assert result.counts["parsed"] == 2  # the two files the branch changed
    assert snapshot(root / "site") == cold(root, tmp_path)


def test_state_with_only_the_cache_restored_renders_everything_again(
        first_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    machine(monkeypatch, tmp_path / "runner-2", "s3cret-shared-by-the-runners")
    root = restore(first_run, tmp_path / "run-2", (CACHE_DIR,))

    result = build_site(root)

    assert result.counts["parsed"] == 0
    assert snapshot(root / "site") == cold(root, tmp_path)


def test_state_written_by_another_version_is_discarded_with_a_warning(
        first_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = sqlite3.connect(first_run / CACHE_DIR / "build.sqlite")
    (fingerprint,) = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    form, version, settings = fingerprint.split(":", 2)
    db.execute("UPDATE meta SET value = ? WHERE key = 'fingerprint'",
               (f"{form}:0.0.1:{settings}",))
    db.commit()
    db.close()

    result = build_site(first_run)

    [warning] = state_warnings(result)
    assert f"written by briefgen 0.0.1, this is briefgen {version}" in warning.message
    assert result.counts["parsed"] == 3
    assert snapshot(first_run / "site") == cold(first_run, tmp_path)


def test_truncated_state_is_discarded_with_a_warning(
        first_run: Path, tmp_path: Path) -> None:
    path = first_run / CACHE_DIR / "build.sqlite"
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])

    result = build_site(first_run)

    [warning] = state_warnings(result)
    assert "build cache discarded" in warning.message
    assert snapshot(first_run / "site") == cold(first_run, tmp_path)
