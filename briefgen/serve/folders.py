"""An in-place rebuild's files: staged beside the served build folder, then moved into it.

The build process writes each file an in-place rebuild changed into a staging folder next to the
served one (same file system). The server then moves them into the served folder, one rename per
file, while no request reads that folder (Epochs.exclusive): a request that starts meanwhile waits
the few milliseconds the renames take, so every request sees the whole build before the edit or
the whole build after it, never a mix and never a half-written file.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

__all__ = ["commit_staged", "stage_files", "staging_for"]


def staging_for(folder: Path) -> Path:
    """Where an in-place rebuild of folder stages its files."""
    return folder.with_name(folder.name + ".briefgen-edit")


def stage_files(folder: Path, files: dict[str, bytes]) -> Path:
    """Write files (site-relative path -> bytes) into a fresh staging folder for folder."""
    staging = staging_for(folder)
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    for rel, data in files.items():
        path = staging / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return staging


def commit_staged(staging: Path, folder: Path, files: Iterable[str]) -> None:
    """Move each staged file over its counterpart in folder, then drop the staging folder."""
    made: set[Path] = set()
    for rel in files:
        destination = folder / rel
        if destination.parent not in made:
            destination.parent.mkdir(parents=True, exist_ok=True)
            made.add(destination.parent)
        os.replace(staging / rel, destination)
    shutil.rmtree(staging, ignore_errors=True)
