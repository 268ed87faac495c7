"""Reading a content file: decode, normalise, split front matter from body, compose its YAML.

Documented behaviour (docs/content.md): a UTF-8 BOM is dropped; CRLF and CR become LF; the front
matter opens with a first line of exactly `---` (trailing spaces allowed) and closes with `---` or
`...`; a file that starts with anything else (`-----BEGIN`, `Topic: x`) has no front matter; control
characters are removed with a warning at their position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from briefgen.diagnostics import Diagnostics
from briefgen.yamlnodes import YamlSyntaxError, compose

__all__ = ["Document", "decode", "split"]

_OPEN = re.compile(r"---[ \t]*")
_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# the same characters one by one: `in` finds one a few times faster than the regex's search
_CONTROL_CHARS = tuple(c for c in [*map(chr, range(0x80)), "\ufffe", "\uffff"]
                       if _CONTROL.fullmatch(c))


def _has_control(text: str) -> bool:
    """Whether text holds a character _CONTROL matches."""
    return any(char in text for char in _CONTROL_CHARS)


@dataclass
class Document:
    """A content file split in two: the front matter's YAML node and the Markdown body."""

    path: str
    front: yaml.Node | None
    front_offset: int  # file line (1-based) of the opening `---`; YAML line 0 is the next one
    body: str
    body_offset: int  # number of file lines before the body's first line
    has_front_matter: bool


def decode(path: str, raw: bytes, diags: Diagnostics) -> str | None:
    """Text of a file: UTF-8 without BOM, LF line ends, control characters removed (warned)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        diags.error(path, line, col, f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})")
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _has_control(text):
        for match in _CONTROL.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            diags.warning(path, line, col,
                          f"control character U+{ord(match.group()):04X} removed")
        text = _CONTROL.sub("", text)
    return text


def split(path: str, text: str, diags: Diagnostics) -> Document:
    """Split front matter from body and compose the YAML; syntax errors become diagnostics."""
    lines = text.split("\n")
    if not lines or not _OPEN.fullmatch(lines[0]):
        return Document(path, None, 0, text, 0, has_front_matter=False)
    for index in range(1, len(lines)):
        if _CLOSE.fullmatch(lines[index]):
            break
    else:
        diags.error(path, 1, 1, "front matter opened with '---' is never closed "
                    "(add a line '---' after it)")
        return Document(path, None, 1, "", len(lines), has_front_matter=True)
    yaml_text = "\n".join(lines[1:index]) + "\n"
    body = "\n".join(lines[index + 1:])
    front: yaml.Node | None = None
    try:
        front = compose(yaml_text)
    except YamlSyntaxError as exc:
        diags.error(path, exc.line + 2, exc.col + 1, exc.message)
        return Document(path, None, 1, body, index + 1, has_front_matter=True)
    return Document(path, front, 1, body, index + 1, has_front_matter=True)
