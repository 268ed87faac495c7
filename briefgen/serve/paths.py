"""Request-target -> file of the build: decoded exactly once, contained, no escapes.

`parse_target` validates and decodes the raw request-target once (never again: `%252e` stays the
literal name `%2e`), and refuses anything that could name something outside the output folder in
any encoding or on any OS: `..`, backslashes, `:` (drive letters, NTFS `::$DATA` streams), NUL and
control characters, bad percent-encoding, non-UTF-8 bytes. Hidden names (`.git`, `.env`, the
output marker) are not served, except `.well-known`.

`locate` maps the segments to a file under the build folder: clean URLs (a folder serves its
index.html, and `/x` redirects to `/x/` with a Location built from the checked segments only, so it
is always a same-origin path), no listings, and the resolved path must lie inside the resolved root
(compared with a trailing separator, so `site-leak/` is not inside `site/`): a symbolic link that
points out of the build is not followed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes

__all__ = ["MAX_TARGET", "BadTarget", "Found", "Missing", "Redirect", "Target", "locate",
           "parse_target", "read_file"]

MAX_TARGET = 2048
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ALLOWED_HIDDEN = {".well-known"}


class BadTarget(Exception):
    """The request-target is refused with this HTTP status."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Target:
    """A checked request path: its decoded segments, whether it ended in '/', and the query."""

    segments: tuple[str, ...]
    trailing_slash: bool
    query: str = ""

    @property
    def path(self) -> str:
        """The canonical path, percent-encoded again (safe to put in a Location header)."""
        if not self.segments:
            return "/"
        return "/" + "/".join(quote(s, safe="") for s in self.segments) + (
            "/" if self.trailing_slash else "")


def parse_target(raw: str) -> Target:
    """Check and decode a raw origin-form request-target such as '/briefings/x/?a=b'."""
    if len(raw) > MAX_TARGET:
        raise BadTarget(414, "request-target too long")
    if not raw.startswith("/"):
        raise BadTarget(400, "request-target must be an absolute path")
    path, _, query = raw.partition("?")
    path = path.partition("#")[0]
    if any(not 0x21 <= ord(c) <= 0x7E for c in path) or "\\" in path:
        raise BadTarget(400, "invalid character in path")
    if _BAD_PERCENT.search(path):
        raise BadTarget(400, "bad percent-encoding")
    try:
        decoded = unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise BadTarget(400, "path is not UTF-8") from None
    if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in decoded):
        raise BadTarget(400, "control character in path")
    if "\\" in decoded or ":" in decoded:
        raise BadTarget(400, "backslash or colon in path")
    segments = tuple(s for s in decoded.split("/") if s)  # '//' collapses: never a host
    for segment in segments:
        if segment in (".", ".."):
            raise BadTarget(400, "dot segment in path")
        if segment.startswith(".") and segment not in _ALLOWED_HIDDEN:
            raise BadTarget(404, "hidden file")
    return Target(segments, decoded.endswith("/") and bool(segments), query)


@dataclass(frozen=True)
class Found:
    """A file to serve."""

    file: Path


@dataclass(frozen=True)
class Redirect:
    """A folder asked for without its trailing slash: a same-origin path to redirect to."""

    location: str


@dataclass(frozen=True)
class Missing:
    """Nothing to serve (absent, a folder without index.html, or outside the build)."""


def _inside(path: Path, root: Path) -> bool:
    text, base = str(path), str(root)
    return text == base or text.startswith(base.rstrip(os.sep) + os.sep)


def locate(root: Path, target: Target) -> Found | Redirect | Missing:
    """The file of the build at root that target names, with clean URLs."""
    base = root.resolve()
    try:
        real = base.joinpath(*target.segments).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, a link loop, a name too long
        return Missing()
    if not _inside(real, base):
        return Missing()
    if real.is_dir():
        try:
            index = (real / "index.html").resolve(strict=True)
        except (OSError, RuntimeError):
            return Missing()  # a folder without index.html: no listing
        if not _inside(index, base) or not index.is_file():
            return Missing()
        if target.segments and not target.trailing_slash:
            return Redirect(Target(target.segments, True).path)
        return Found(index)
    if real.is_file() and not target.trailing_slash:
        return Found(real)
    return Missing()


def read_file(found: Found) -> bytes:
    """The bytes of a located file, refusing a symbolic link swapped in since locate()."""
    fd = os.open(found.file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        return handle.read()
