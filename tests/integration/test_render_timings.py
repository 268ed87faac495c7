"""The render step's time by template: in BuildResult and in `briefgen build -v`, for the
benchmark's per-template figures."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from briefgen.cli import cli
from tests.sitekit import build_site

SITE = """
    -- content/briefings/a.md --
    ---
    title: A
    date: 2026-02-04T09:00:00Z
    ---
    Body A.
    -- content/briefings/b.md --
    ---
    title: B
    date: 2026-02-05T09:00:00Z
    ---
    Body B.
"""


def test_render_time_is_counted_by_template_for_the_files_it_made(
        make_site: Callable[..., Path]) -> None:
    root = make_site(SITE)
    result = build_site(root)
    assert result.makers["briefing.html"][0] == 2
    assert result.makers["list.html"][0] >= 1  # the home page
    assert all(seconds >= 0 for _, seconds in result.makers.values())
    made = sum(count for count, _ in result.makers.values())
    assert made == result.counts["written"]
    again = build_site(root)  # nothing to make: nothing counted
    assert sum(count for count, _ in again.makers.values()) == 0


def test_verbose_build_prints_the_time_of_each_template(
        make_site: Callable[..., Path]) -> None:
    root = make_site(SITE)
    printed = CliRunner().invoke(cli, ["--site", str(root), "build", "-v"]).stderr
    assert "render time by template" in printed
    assert re.search(r"^ +briefing\.html +2 files +\d+\.\d ms +\d+\.\d\d ms each$", printed,
                     re.MULTILINE), printed
