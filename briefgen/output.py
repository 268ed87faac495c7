"""Publishing: build into a staging folder, then swap it in; refuse folders that are not ours.

A failed build removes its staging folder and leaves the published folder exactly as it was. The
new site is made complete in a folder beside the published one and exchanged with it in one step,
so the published path holds the old build or the new one, whole, whenever the build is stopped.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from briefgen.diagnostics import BriefgenError
from briefgen.swap import clone_tree, exchange, link_or_copy, recover, remove_file

__all__ = ["MARKER", "SPARE_SUFFIX", "Output", "check_output_dir", "write_file"]

# The previous build, kept beside the published folder: the next incremental build is made
# complete in it and then exchanged with the published folder.
SPARE_SUFFIX = ".briefgen-spare"

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


def write_file(path: str, data: bytes) -> None:
    """Write data into the file at path, made or emptied first (os.open and os.write: no file
    object for a file written once)."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
    finally:
        os.close(handle)


def _make_folder(folder: str) -> None:
    """os.mkdir, content when the folder is there already: the build's processes share staging
    and the spare, and a briefing's page and card, made by two of them, share a folder."""
    try:
        os.mkdir(folder)
    except FileExistsError:
        if not os.path.isdir(folder):
            raise


def _same_file(a: Path, b: Path) -> bool:
    """Both paths name one file (hard links): the spare is still the one briefgen keeps."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


class Output:
    """One build's files: written to staging, then published all at once.

    A whole build publishes its staging folder. An incremental one moves its changed files into
    the spare folder (the previous build, kept beside the published one and brought up to date
    first), which then holds the complete new site; either way the folder is exchanged with the
    published one in a single step (swap.py), so the published path always holds one build whole.
    The spare shares every unchanged file with the published folder through hard links.
    """

    def __init__(self, root: Path, out: Path, keep_spare: bool = True) -> None:
        check_output_dir(root, out)
        self.keep_spare = keep_spare  # False: a folder never built incrementally (the preview)
        self.mirroring = False
        self.out = out.resolve()
        self.staging = self.out.with_name(self.out.name + ".briefgen-staging")
        self.spare = self.out.with_name(self.out.name + SPARE_SUFFIX)
        self.ready: Path | None = None  # the complete new site, once prepared

    def begin(self) -> None:
        """Start a fresh staging folder (removing one a crashed build left behind)."""
        self._folders: set[str] = set()  # folders made in staging and the spare
        self.ready = None
        self.mirroring = False
        recover(self.out)
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)

    def mirror_whole(self) -> None:
        """A whole build: make the spare anew beside staging, each file a hard link to its
        staged copy (mirror()), so that after publishing it is already what was published."""
        if not self.keep_spare:
            return
        if self.spare.exists():
            shutil.rmtree(self.spare)
        self.spare.mkdir(parents=True)
        self.mirroring = True

    def mirror(self, source: str) -> None:
        """Link the staged file at source (a path target() gave) into the spare (while
        mirroring a whole build)."""
        target = self._made(f"{self.spare}{source[len(str(self.staging)):]}")
        try:
            os.link(source, target)
        except OSError:  # no hard links here: copy, times kept
            shutil.copy2(source, target)

    def write(self, rel: str, data: bytes) -> str:
        """Write an output file into staging (and the spare, when mirroring); its path.
        (O_TRUNC, yet never an existing file: staging starts empty and run_jobs writes each
        file once. A staged file may be a hard link to a card cache entry, see link().)"""
        path = self.target(rel)
        write_file(path, data)
        if self.mirroring:
            self.mirror(path)
        return path

    def link(self, rel: str, source: str) -> str:
        """Put the file at source into staging as rel (and the spare, when mirroring): a hard
        link, a copy where links are refused (another file system); its path. Raises
        FileNotFoundError when there is no file at source.

        The staged, spare and published files then share their bytes with source (a card
        cache entry): sound because no one writes any of them in place. briefgen only makes
        new files and renames: the card cache (cards._keep), staging (a fresh folder), the
        spare and published folders (prepare, publish: renames, hard links), the preview's
        in-place edits (serve/folders.py: staged files renamed over) and the search index
        (a new folder renamed in). The spare's hard links rely on the same rule."""
        path = self.target(rel)
        try:
            os.link(source, path)
        except FileNotFoundError:
            raise
        except OSError:  # no hard links from there: a copy of its own
            shutil.copyfile(source, path)
        if self.mirroring:
            self.mirror(path)
        return path

    def is_ours(self) -> bool:
        """True when the published folder exists and was written by briefgen."""
        return (self.out / MARKER).is_file()

    def target(self, rel: str) -> str:
        """The staging path for an output file, its folder created; never outside staging.
        (Strings, not Paths: a cold build makes 26,000 of them at 10,000 briefings.)"""
        if not rel or rel[0] in "/." or rel[-1] == "/" or "//" in rel or "/." in rel:
            # a name that needs a closer look: "..", ".", an empty part, or just unusual
            parts = PurePosixPath(rel).parts
            if not parts or rel.startswith("/") or any(p in ("..", ".", "") for p in parts):
                raise BriefgenError(f"refusing to write {rel!r}: it would leave the output "
                                    "folder")
            rel = "/".join(parts)
        return self._made(f"{self.staging}/{rel}")

    def _made(self, path: str) -> str:
        """path, once its folder exists."""
        folder = path.rpartition("/")[0]
        if folder not in self._folders:
            self._mkdir(folder)
        return path

    def _mkdir(self, folder: str) -> None:
        """Make folder, and the folders above it missing: one mkdir call when its parent is
        there (os.makedirs asks whether the parent exists first, in Python: a cold build
        makes 17,000 folders in staging and as many in the spare)."""
        try:
            _make_folder(folder)
        except FileNotFoundError:
            parent = folder.rpartition("/")[0]
            if not parent or parent == folder:
                raise
            self._mkdir(parent)
            _make_folder(folder)
        self._folders.add(folder)

    def prepare(self, changed: set[str] | None = None,
                removed: Iterable[str] = (), spare_differs: Iterable[str] | None = None) -> Path:
        """Make the folder that publish() puts in place, and return it: the staging folder of a
        whole build (changed=None), or, when the published folder is ours, the spare brought up
        to date with it and then given this build's changed and removed files. spare_differs
        names what the spare may differ in from the published folder (files, and folders as
        'name/'); None when that is unknown, and the spare is cloned anew."""
        if changed is None or not self.is_ours():
            self.ready = self.staging  # (the spare, if mirroring, is made already)
            return self.ready
        spare = self.spare
        if spare_differs is None or not _same_file(spare / MARKER, self.out / MARKER):
            if spare.exists():
                shutil.rmtree(spare)
            clone_tree(self.out, spare)
        else:
            for rel in sorted(spare_differs):
                self._sync_spare(rel)
        made: set[Path] = set()
        for rel in sorted(changed):
            destination = spare / rel
            if destination.parent not in made:
                destination.parent.mkdir(parents=True, exist_ok=True)
                made.add(destination.parent)
            os.replace(self.staging / rel, destination)
        for rel in sorted(removed):
            remove_file(spare, rel)
        shutil.rmtree(self.staging)
        self.ready = spare
        return spare

    def _sync_spare(self, rel: str) -> None:
        """Make spare/rel what out/rel is (a file, or with a trailing '/', a folder)."""
        source, target = self.out / rel, self.spare / rel
        if rel.endswith("/"):
            if target.exists():
                shutil.rmtree(target)
            if source.is_dir():
                clone_tree(source, target)
        elif source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(str(source), str(target))
        else:
            remove_file(self.spare, rel)

    def publish(self) -> None:
        """Put the prepared folder in place of the published one, in one step."""
        ready = self.ready
        assert ready is not None, "prepare() first"
        self.ready = None
        if not self.out.exists():
            os.replace(ready, self.out)
            return
        exchange(ready, self.out)
        if ready == self.staging:  # the staging folder now holds the old site
            shutil.rmtree(self.staging)

    def abort(self) -> None:
        """Throw the staging folder away; the published folder is untouched. (A prepared spare
        is left as it is: its differences are unknown, and it is cloned anew next time.)"""
        self.ready = None
        if self.staging.exists():
            shutil.rmtree(self.staging)
