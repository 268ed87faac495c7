"""Change classification: a changed path -> its kind; a batch of changes -> what must be rebuilt.

Pure functions, no file system access: the watcher calls `classify` for every event and drops
IGNORED ones, so writes by briefgen itself (output, caches, archives) and editor temp files never
trigger a rebuild. `plan` turns a batch into a RebuildPlan for the rebuilder; the full rebuild only
looks at `empty`, an incremental one (issue 5) can use the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path, PurePosixPath

__all__ = ["FULL", "Change", "ChangeKind", "RebuildPlan", "classify", "is_editor_temp", "plan"]


class ChangeKind(Enum):
    """What kind of input a changed path is."""

    BRIEFING = "briefing"  # content/briefings/**.md
    PAGE = "page"  # content/pages/**.md
    SOURCE = "source"  # content/sources/**.md
    REGISTRY = "registry"  # content/authors.yaml, categories.yaml, outlets.yaml, tags.yaml
    TEMPLATE = "template"  # themes/<name>/templates/**, themes/<name>/locales/**
    STATIC = "static"  # static/**, themes/<name>/static/**
    CONFIG = "config"  # briefgen.yaml
    LAYOUT = "layout"  # content/, themes/ or static/ itself appeared, vanished or moved
    IGNORED = "ignored"  # anything briefgen does not read, or writes itself


@dataclass(frozen=True)
class Change:
    """One changed input: its kind and its site-relative path (forward slashes)."""

    kind: ChangeKind
    path: str


_CONTENT_KINDS = {"briefings": ChangeKind.BRIEFING, "pages": ChangeKind.PAGE,
                  "sources": ChangeKind.SOURCE}
_REGISTRIES = {"authors.yaml", "categories.yaml", "outlets.yaml", "tags.yaml"}
_INPUT_FOLDERS = {"content", "themes", "static"}
_STATIC_DOTFILES = {".well-known", ".nojekyll"}  # static/ publishes these (see discover.py)

# Editor and OS temp files: vim (4913 probe, swap files, backup~), emacs (.#lock, #autosave#),
# JetBrains safe write, gedit/GTK, Kate, LibreOffice locks, Chrome's File System Access swap,
# macOS/Windows metadata.
_EDITOR_TEMP = re.compile(
    r"""
      \d{4,}                              # vim's write probe: 4913, 5036, ...
    | .*\.sw[a-p] | .*\.sw[a-p]\.tmp      # vim swap files
    | .*~ | .*\.~\d+~                     # backups
    | \.\#.* | \#.*\#                     # emacs
    | .*___jb_(?:tmp|old|bak)___          # JetBrains safe write
    | \.goutputstream-.* | .*\.kate-swp   # gedit, Kate
    | \.~lock\..*\# | .*\.crswap          # LibreOffice, Chrome
    | \.DS_Store | Thumbs\.db | desktop\.ini
    """,
    re.VERBOSE,
)


def is_editor_temp(name: str) -> bool:
    """True for a file name that an editor or the OS writes for itself, not a site input."""
    return _EDITOR_TEMP.fullmatch(name) is not None


def _relative(root: Path, path: str | Path) -> PurePosixPath | None:
    try:
        rel = Path(path).relative_to(root)
    except ValueError:
        return None
    return PurePosixPath(rel.as_posix())


def classify(root: Path, path: str | Path, is_directory: bool = False) -> Change:
    """The kind of a changed path (absolute, or relative to root) for the site at root."""
    rel = _relative(root, path) if Path(path).is_absolute() else PurePosixPath(path)
    ignored = Change(ChangeKind.IGNORED, rel.as_posix() if rel is not None else str(path))
    if rel is None or not rel.parts or ".." in rel.parts:
        return ignored
    parts, name = rel.parts, rel.name
    if not is_directory and is_editor_temp(name):
        return ignored
    top = parts[0]
    if len(parts) == 1:
        if top == "briefgen.yaml" and not is_directory:
            return Change(ChangeKind.CONFIG, top)
        if top in _INPUT_FOLDERS:
            return Change(ChangeKind.LAYOUT, top)
        return ignored  # output folder, .briefgen-cache, .briefgen-archive, .git, README, ...
    hidden = any(p.startswith(".") for p in parts[1:])
    if top == "static":
        if hidden and not any(p in _STATIC_DOTFILES for p in parts[1:]):
            return ignored
        return Change(ChangeKind.STATIC, rel.as_posix())
    if hidden:
        return ignored
    if top == "content":
        return _classify_content(rel, is_directory) or ignored
    if top == "themes" and len(parts) >= 3:
        # interface-string catalogues (locales/) feed every page, as templates do
        if parts[2] in ("templates", "locales") and (len(parts) > 3 or is_directory):
            return Change(ChangeKind.TEMPLATE, rel.as_posix())
        if parts[2] == "static" and (len(parts) > 3 or is_directory):
            return Change(ChangeKind.STATIC, rel.as_posix())
    return ignored


def _classify_content(rel: PurePosixPath, is_directory: bool) -> Change | None:
    parts = rel.parts
    if len(parts) == 2:
        if parts[1] in _REGISTRIES and not is_directory:
            return Change(ChangeKind.REGISTRY, rel.as_posix())
        if parts[1] in _CONTENT_KINDS and is_directory:
            return Change(_CONTENT_KINDS[parts[1]], rel.as_posix())
        return None
    kind = _CONTENT_KINDS.get(parts[1])
    if kind is None:
        return None
    if is_directory or rel.suffix == ".md":  # a folder of briefings moved or removed
        return Change(kind, rel.as_posix())
    return None


@dataclass(frozen=True)
class RebuildPlan:
    """What a batch of changes requires.

    full:       rebuild everything (config, authors/categories/outlets, folders appearing).
    briefings:  re-render these briefings and the lists, feeds and source pages they appear on.
    pages:      re-render these standalone pages.
    sources:    re-render these source pages and every briefing that cites them.
    templates:  re-render the pages that use these templates (directly, or by extends/include).
    static:     copy these static files again (no page changes).
    """

    full: bool = False
    briefings: frozenset[str] = field(default_factory=frozenset)
    pages: frozenset[str] = field(default_factory=frozenset)
    sources: frozenset[str] = field(default_factory=frozenset)
    templates: frozenset[str] = field(default_factory=frozenset)
    static: frozenset[str] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return not (self.full or self.briefings or self.pages or self.sources or self.templates
                    or self.static)

    @property
    def content_only(self) -> bool:
        """Only content changed: a page whose HTML is unchanged needs no reload."""
        return not (self.full or self.templates or self.static)


_FULL_KINDS = {ChangeKind.CONFIG, ChangeKind.REGISTRY, ChangeKind.LAYOUT}


def plan(changes: Iterable[Change]) -> RebuildPlan:
    """What must be rebuilt for a batch of changes (IGNORED ones count for nothing)."""
    by_kind: dict[ChangeKind, set[str]] = {}
    for change in changes:
        by_kind.setdefault(change.kind, set()).add(change.path)
    return RebuildPlan(
        full=any(kind in by_kind for kind in _FULL_KINDS),
        briefings=frozenset(by_kind.get(ChangeKind.BRIEFING, ())),
        pages=frozenset(by_kind.get(ChangeKind.PAGE, ())),
        sources=frozenset(by_kind.get(ChangeKind.SOURCE, ())),
        templates=frozenset(by_kind.get(ChangeKind.TEMPLATE, ())),
        static=frozenset(by_kind.get(ChangeKind.STATIC, ())),
    )


FULL = RebuildPlan(full=True)
