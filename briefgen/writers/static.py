"""Static files: theme assets under /assets/, the site's static/ as is, and the code stylesheet."""

from __future__ import annotations

from pathlib import Path

from briefgen.diagnostics import Diagnostics
from briefgen.discover import walk_files
from briefgen.highlight import pygments_css
from briefgen.output import Output
from briefgen.theme import Theme

__all__ = ["write_static"]


def write_static(root: Path, theme: Theme, output: Output, diags: Diagnostics) -> int:
    """Copy every static file; a file that would replace a generated one is an error."""
    count = 0
    assets: dict[str, Path] = {}
    for folder in theme.static_dirs():  # bundled first, the site's own theme overrides it
        for rel in walk_files(folder, folder, diags):
            assets["assets/" + rel] = folder / rel
    assets.pop("assets/.keep", None)
    for rel, source in sorted(assets.items()):
        output.copy(source, rel)
        count += 1
    output.write("assets/pygments.css", pygments_css())
    for rel in walk_files(root, root / "static", diags, dotfiles=True):
        target = rel.removeprefix("static/")
        if target in output.written:
            diags.error(rel, 0, 0, f"static file would replace the generated /{target}")
            continue
        output.copy(root / rel, target)
        count += 1
    return count + 1
