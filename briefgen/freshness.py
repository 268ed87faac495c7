"""Is the published site already what a build would make? A digest of every input, by stat.

The digest covers briefgen's version, the build options, the configuration, the registries, and
the path, size and modification time of every content, theme and static file. When it matches the
last build's, every published file is still as that build left it, and no future-dated briefing
has come due, the build has nothing to do. Any doubt (no cache, a file touched, a file missing from
the output) means a normal build, which is itself incremental.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from briefgen import __version__

__all__ = ["due", "input_digest", "outputs_intact"]


def _stat_lines(paths: Iterable[str]) -> Iterable[str]:
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            yield f"{path}\0missing"
            continue
        yield f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}"


def _tree(folder: Path) -> list[str]:
    found: list[str] = []
    for current, dirs, files in os.walk(folder):
        dirs.sort()
        found.extend(os.path.join(current, name) for name in sorted(files))
    return found


def input_digest(root: Path, options: str, content: Iterable[str], theme_dirs: list[Path],
                 config_fingerprint: str) -> str:
    """One digest of everything a build reads."""
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{__version__}\0{options}\0{config_fingerprint}\n".encode())
    base = str(root)
    files = [os.path.join(base, "briefgen.yaml")]
    files += [os.path.join(base, "content", name) for name in ("authors.yaml", "categories.yaml",
                                                               "outlets.yaml", "tags.yaml")]
    files += [os.path.join(base, rel) for rel in content]
    for folder in [*theme_dirs, root / "static"]:
        files += _tree(folder)
    for line in _stat_lines(files):
        h.update(line.encode("utf-8", "surrogateescape"))
        h.update(b"\n")
    return h.hexdigest()


def outputs_intact(out: Path, manifest: dict[str, str]) -> bool:
    """True when the published folder holds exactly the manifest's files, each with the size and
    time it recorded (a stray file dropped into it needs a build to remove it)."""
    seen = 0
    pending = [("", str(out))]
    while pending:  # scandir, not os.walk: under half the time on a large site
        prefix, folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return False
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append((f"{prefix}{entry.name}/", entry.path))
                continue
            stamp = manifest.get(prefix + entry.name)
            if stamp is None:
                return False
            try:
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                return False
            _key, size, mtime = stamp.rsplit(" ", 2)
            if stat.st_size != int(size) or stat.st_mtime_ns != int(mtime):
                return False
            seen += 1
    return seen == len(manifest)


def due(next_change: str | None, now: datetime) -> bool:
    """True when a future-dated briefing recorded by the last build has come due."""
    return bool(next_change) and datetime.fromisoformat(str(next_change)) <= now
