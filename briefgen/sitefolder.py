"""The site folder a command works on: it must exist and hold a briefgen.yaml."""

from __future__ import annotations

from pathlib import Path

import click

from briefgen.config import CONFIG_FILE

__all__ = ["site_root"]


def site_root(root: Path) -> Path:
    """root, when it is a folder with a briefgen.yaml; a usage error (exit 2) saying which of
    the two is missing otherwise."""
    if not root.exists():
        raise click.UsageError(f"the site folder {root} does not exist; pass --site with an "
                               "existing folder, or create a site with 'briefgen init DIR'")
    if not (root / CONFIG_FILE).is_file():
        raise click.UsageError(f"no {CONFIG_FILE} in {root.resolve()}; run this in a site "
                               "folder, pass --site DIR, or create one with 'briefgen init'")
    return root
