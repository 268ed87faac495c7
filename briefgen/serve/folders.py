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


def stage_files(folder: Path, files: dict[str, bytes]) -> tuple[Path, list[str]]:
    """Write files (site-relative path -> bytes) into a fresh staging folder for folder; returns
    it and the paths in the order they were staged. The staged files are numbered, not nested:
    no folders to make or remove (on some file systems that is most of the time it takes)."""
    staging = staging_for(folder)
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    order = sorted(files)
    for number, rel in enumerate(order):
        (staging / str(number)).write_bytes(files[rel])
    return staging, order


def commit_staged(staging: Path, folder: Path, files: Iterable[str]) -> None:
    """Move each staged file (numbered in the order of `files`) over its counterpart in folder,
    then drop the staging folder."""
    for number, rel in enumerate(files):
        destination = folder / rel
        try:
            os.replace(staging / str(number), destination)
        except FileNotFoundError:  # a page new to this build: its folder may not exist yet
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / str(number), destination)
    shutil.rmtree(staging, ignore_errors=True)
