"""The benchmark reads the render time by template from `briefgen build -v`, and sets the
folders a cold build must not find aside, deleting them only when the run ends."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from benchmarks.run import empty_trash, render_by_template, set_aside
from briefgen.cli import cli

SITE = """
    -- content/briefings/a.md --
    ---
    title: A
    date: 2026-02-04T09:00:00Z
    ---
    Body.
"""


def test_the_benchmark_reads_each_templates_files_and_time_from_a_verbose_build(
        make_site: Callable[..., Path]) -> None:
    root = make_site(SITE)
    printed = CliRunner().invoke(cli, ["--site", str(root), "build", "-v"]).stderr
    found = {name: (made, seconds) for name, made, seconds in render_by_template(printed)}
    assert found["briefing.html"][0] == 1
    assert found["list.html"][0] >= 1
    assert all(seconds >= 0 for _made, seconds in found.values())


def test_a_cold_build_finds_no_output_and_nothing_is_deleted_until_the_run_ends(
        tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for name in ("site", ".briefgen-cache"):
        (corpus / name).mkdir(parents=True)
        (corpus / name / "page.html").write_text(name)
    for _round in range(2):
        set_aside([corpus / "site", corpus / ".briefgen-cache", corpus / "never-made"], tmp_path)
        assert not (corpus / "site").exists() and not (corpus / ".briefgen-cache").exists()
        (corpus / "site").mkdir()
        (corpus / "site" / "page.html").write_text("again")
    kept = sorted(p.read_text() for p in (tmp_path / "trash").rglob("page.html"))
    assert kept == [".briefgen-cache", "again", "site"]
    empty_trash(tmp_path)
    assert not (tmp_path / "trash").exists()
