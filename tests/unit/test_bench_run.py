"""The benchmark reads the render time by template from `briefgen build -v`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from benchmarks.run import render_by_template
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
