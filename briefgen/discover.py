"""Finding content files: sorted, dotfiles skipped, symlinks out of the site or in loops refused."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.diagnostics import Diagnostics

__all__ = ["ContentFiles", "discover", "relative_label", "walk_files"]


@dataclass
class ContentFiles:
    """Site-relative paths of every content file, in a stable order."""

    briefings: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def relative_label(root: Path, path: Path) -> str:
    """The path as printed in diagnostics: relative to the site, with forward slashes."""
    return path.relative_to(root).as_posix()


def _markdown_files(root: Path, folder: Path, diags: Diagnostics) -> list[str]:
    return [p for p in walk_files(root, folder, diags) if p.endswith(".md")]


_JUNK = re.compile(r"\.(?:git|svn|hg|DS_Store)|.*\.sw[a-p]|.*~|\..*\.swp")


def _skip(name: str, dotfiles: bool) -> bool:
    return _JUNK.fullmatch(name) is not None or (name.startswith(".") and not dotfiles)


def walk_files(root: Path, folder: Path, diags: Diagnostics, dotfiles: bool = False) -> list[str]:
    """Site-relative paths of the files under folder, sorted; unsafe links skipped, and dotfiles
    too unless asked for (static/ keeps .well-known/ and .nojekyll; never .git or swap files)."""
    if not folder.is_dir():
        return []
    real_root = root.resolve()
    found = []
    for current, dirs, files in os.walk(folder, followlinks=False):
        here = Path(current)
        for name in list(dirs):
            if _skip(name, dotfiles) or (here / name).is_symlink():
                if (here / name).is_symlink():
                    diags.warning(relative_label(root, here / name), 0, 0,
                                  "symbolic link to a folder is not followed")
                dirs.remove(name)
        for name in files:
            path = here / name
            if _skip(name, dotfiles):
                continue
            if path.is_symlink():
                target = path.resolve()
                if not target.is_file() or not target.is_relative_to(real_root):
                    diags.warning(relative_label(root, path), 0, 0,
                                  "symbolic link to a file outside the site is not read")
                    continue
            found.append(relative_label(root, path))
    return sorted(found)


def discover(root: Path, diags: Diagnostics) -> ContentFiles:
    """Every briefing, page and source file under root/content."""
    content = root / "content"
    return ContentFiles(
        briefings=_markdown_files(root, content / "briefings", diags),
        pages=_markdown_files(root, content / "pages", diags),
        sources=_markdown_files(root, content / "sources", diags),
    )
