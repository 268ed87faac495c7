"""Inline test sites: write a whole site from one string and build it in-process.

A site string holds files as sections, each opened by a line `-- path --`:

    -- briefgen.yaml --
    title: T
    base_url: https://example.org/
    -- content/briefings/a.md --
    ---
    title: A
    date: 2026-02-04
    ---
    Body.
"""

from __future__ import annotations

import re
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from briefgen.build import BuildOptions, BuildResult, build
from briefgen.diagnostics import BuildFailed

__all__ = ["CONFIG", "NOW", "build_errors", "build_site", "cold_tree", "tree", "write_site"]

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
CONFIG = """\
-- briefgen.yaml --
title: Test Desk
description: Briefings for tests.
base_url: https://example.org/
timezone: UTC
"""
_SECTION = re.compile(r"^-- (.+?) --$", re.MULTILINE)


def write_site(root: Path, spec: str) -> Path:
    """Write every `-- path --` section of spec under root; return root."""
    spec = textwrap.dedent(spec)
    parts = _SECTION.split(spec)
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        path = root / name.strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body.lstrip("\n"), encoding="utf-8")
    return root


def build_site(root: Path, **options: Any) -> BuildResult:
    """Build the site at root with a fixed clock; raises BuildFailed on errors."""
    options.setdefault("now", NOW)
    return build(BuildOptions(root, **options))


def build_errors(root: Path, **options: Any) -> list[str]:
    """The formatted diagnostics of a build that must fail."""
    try:
        build_site(root, **options)
    except BuildFailed as failed:
        return [d.format() for d in failed.diagnostics]
    raise AssertionError("the build was expected to fail but succeeded")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder (site-relative path -> bytes)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def cold_tree(root: Path, scratch: Path, **options: Any) -> dict[str, bytes]:
    """What a cold build (no state, a fresh output folder) of a copy of the site publishes."""
    import shutil

    copy = scratch / "cold"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(
        "site", "site.*", ".briefgen-cache", ".briefgen"))
    build_site(copy, cache=False, **options)
    return tree(copy / "site")
