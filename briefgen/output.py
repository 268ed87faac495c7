"""Publishing: build into a staging folder, then swap it in; refuse folders that are not ours.

A failed build removes its staging folder and leaves the published folder exactly as it was. The
swap is two renames on the same file system (old out of the way, new in), so the published path is
missing for at most the instant between them and never holds a mix of two builds.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

from briefgen.diagnostics import BriefgenError

__all__ = ["MARKER", "Output", "check_output_dir"]

# Written into every build: a folder that has files but not this was not made by briefgen, and
# replacing it whole could destroy someone's work.
MARKER = ".briefgen-output"
MARKER_TEXT = "This folder is written by 'briefgen build' and replaced whole on every build.\n"


def check_output_dir(root: Path, out: Path) -> None:
    """Raise BriefgenError when replacing `out` could destroy something that is not a build."""
    root, out = root.resolve(), out.resolve()
    home = Path.home().resolve()
    reason = None
    if out == Path(out.anchor):
        reason = "it is the root of the file system"
    elif root.is_relative_to(out):
        reason = "it is the site folder or contains it"
    elif home.is_relative_to(out):
        reason = "it is your home folder or contains it"
    elif any(out.is_relative_to(root / name) for name in ("content", "themes", "static")):
        reason = "it is inside the site's content/, themes/ or static/"
    elif out.exists() and not out.is_dir():
        reason = "it exists and is not a folder"
    elif out.is_dir() and any((out / name).exists() for name in ("briefgen.yaml", "content",
                                                                  ".git")):
        reason = "it holds a site or a git repository, not a build"
    elif out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        reason = (f"it has files but no {MARKER}, so briefgen did not write it and replacing "
                  "it could lose them (empty or remove the folder if it is really a build)")
    if reason:
        raise BriefgenError(f"refusing to publish into {out}: {reason}; choose another output "
                            "folder ('output:' in briefgen.yaml or --output)")


class Output:
    """One build's files: written to staging, published all at once by commit()."""

    def __init__(self, root: Path, out: Path) -> None:
        check_output_dir(root, out)
        self.out = out.resolve()
        self.staging = self.out.with_name(self.out.name + ".briefgen-staging")
        self.old = self.out.with_name(self.out.name + ".briefgen-old")

    def begin(self) -> None:
        """Start a fresh staging folder (removing one a crashed build left behind)."""
        self._folders: set[Path] = set()
        for leftover in (self.staging, self.old):
            if leftover.exists():
                shutil.rmtree(leftover)
        self.staging.mkdir(parents=True)

    def is_ours(self) -> bool:
        """True when the published folder exists and was written by briefgen."""
        return (self.out / MARKER).is_file()

    def target(self, rel: str) -> Path:
        """The staging path for an output file, its folder created; never outside staging."""
        parts = PurePosixPath(rel).parts
        if not parts or rel.startswith("/") or any(p in ("..", ".", "") for p in parts):
            raise BriefgenError(f"refusing to write {rel!r}: it would leave the output folder")
        target = self.staging.joinpath(*parts)
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        return target

    def commit(self, changed: set[str] | None = None,
               removed: set[str] | frozenset[str] = frozenset()) -> None:
        """Publish: swap the whole staging folder in (changed=None), or, when the published
        folder is ours, move each changed file into place atomically and delete removed ones."""
        if changed is None or not self.is_ours():
            if self.out.exists():
                os.replace(self.out, self.old)
            os.replace(self.staging, self.out)
            if self.old.exists():
                shutil.rmtree(self.old)
            return
        for rel in sorted(changed):
            destination = self.out / rel
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.staging / rel, destination)
        for rel in sorted(removed):
            path = self.out / rel
            path.unlink(missing_ok=True)
            parent = path.parent
            while parent != self.out and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
        shutil.rmtree(self.staging)

    def abort(self) -> None:
        """Throw the staging folder away; the published folder is untouched."""
        if self.staging.exists():
            shutil.rmtree(self.staging)
