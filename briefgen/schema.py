"""Declared schemas for YAML data: typed fields converted from nodes, every problem with its line.

PyYAML resolves scalars by YAML 1.1 rules (`NO` -> False, `0777` -> 511). We never let it: the
schema converts each scalar's source text by the type the field declares, so a string field keeps
`NO`, a boolean accepts only true/false, and anything else is a diagnostic naming the line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone, tzinfo
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from briefgen.diagnostics import Diagnostics

__all__ = [
    "INVALID",
    "Bool",
    "Ctx",
    "DateTime",
    "DictOf",
    "Field",
    "Int",
    "LDict",
    "LList",
    "ListOf",
    "Record",
    "Str",
    "Type",
    "Url",
    "did_you_mean",
    "parse_datetime",
]

MAX_NODES = 20_000
_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_NULL_VALUES = {"", "~", "null", "Null", "NULL"}
_COLLECTION_TAGS = {_STD + "seq", _STD + "map"}
# Characters XML and HTML cannot carry; a YAML escape such as "\x01" can still produce them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# what a URL cannot hold: whitespace (regex \s is exactly str.isspace) and C0 controls
_URL_BREAK = re.compile(r"[\s\x00-\x1f]")


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


class LDict(dict[str, Any]):
    """A converted mapping that remembers the 1-based (line, col) of each key and of itself."""

    pos: dict[str, tuple[int, int]]
    where: tuple[int, int]


class LList(list[Any]):
    """A converted sequence that remembers the 1-based (line, col) of each item."""

    pos: list[tuple[int, int]]


@dataclass
class Ctx:
    """Where converted values come from: file, line offset of the YAML block, site timezone."""

    path: str
    diags: Diagnostics
    line_offset: int = 0
    tz: tzinfo | None = None
    budget: list[int] = field(default_factory=lambda: [MAX_NODES])

    def at(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    def error(self, node: yaml.Node | None, message: str) -> Any:
        line, col = self.at(node) if node is not None else (self.line_offset or 1, 1)
        self.diags.error(self.path, line, col, message)
        return INVALID


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _foreign_tag(node: yaml.Node, ctx: Ctx, label: str) -> bool:
    """Report a tag such as !!python/object on a node; True when there was one."""
    if node.tag in _SCALAR_TAGS or node.tag in _COLLECTION_TAGS:
        return False
    ctx.error(node, f"{label}: YAML tag '{node.tag}' is not allowed")
    return True


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return repr(node.value)


class Type:
    """A field type: converts one node to a Python value, or reports and returns INVALID."""

    label = "a value"

    def convert(self, node: yaml.Node, ctx: Ctx, key: str) -> Any:
        raise NotImplementedError

    def scalar(self, node: yaml.Node, ctx: Ctx, key: str) -> str | Any:
        ctx.budget[0] -= 1
        if ctx.budget[0] < 0:
            return ctx.error(node, "YAML is too deeply nested or aliased; refusing to expand it")
        if _foreign_tag(node, ctx, f"'{key}'"):
            return INVALID
        if not isinstance(node, yaml.ScalarNode):
            return ctx.error(node, f"'{key}' must be {self.label}, got {_describe(node)}")
        if node.tag not in _SCALAR_TAGS:
            return ctx.error(node, f"'{key}': YAML tag '{node.tag}' is not allowed")
        return str(node.value)


class Str(Type):
    """Text; the scalar's source text whatever YAML 1.1 would have made of it."""

    label = "text"

    def __init__(self, pattern: str | None = None, hint: str = "") -> None:
        self.pattern = re.compile(pattern) if pattern else None
        self.hint = hint

    def convert(self, node: yaml.Node, ctx: Ctx, key: str) -> Any:
        value = self.scalar(node, ctx, key)
        if value is INVALID:
            return value
        value = value.strip() if not getattr(node, "style", None) else value
        if _CONTROL.search(value):
            line, col = ctx.at(node)
            for char in dict.fromkeys(_CONTROL.findall(value)):
                ctx.diags.warning(ctx.path, line, col,
                                  f"control character U+{ord(char):04X} removed from '{key}'")
            value = _CONTROL.sub("", value)
        if self.pattern and not self.pattern.fullmatch(value):
            return ctx.error(node, f"'{key}' must be {self.hint}, got {value!r}")
        return value


class Zone(Str):
    """An IANA timezone name such as Europe/Kyiv."""

    def convert(self, node: yaml.Node, ctx: Ctx, key: str) -> Any:
        value = super().convert(node, ctx, key)
        if value is not INVALID and zone(value) is None:
            return ctx.error(node, f"unknown timezone {value!r} (use an IANA name like "
                             "'Europe/Berlin')")
        return value


def zone(name: str) -> ZoneInfo | None:
    """The timezone of an IANA name, or None when there is none of that name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


class Bool(Type):
    """true or false, nothing else (no yes/no/on/off)."""

    label = "true or false"

    def convert(self, node: yaml.Node, ctx: Ctx, key: str) -> Any:
        value = self.scalar(node, ctx, key)
        if value is INVALID:
            return value
        plain = not getattr(node, "style", None)
        if plain and value in ("true", "True", "TRUE", "false", "False", "FALSE"):
            return value.lower() == "true"
        return ctx.error(node, f"'{key}' must be true or false, got {value!r}")


class Int(Type):
    """A whole number within bounds."""

    label = "a whole number"

    def __init__(self, minimum: int | None = None, maximum: int | None = None) -> None:
        self.minimum, self.maximum = minimum, maximum

    def convert(self, node: yaml.Node, ctx: Ctx, key: str) -> Any:
        value = self.scalar(node, ctx, key)
        if value is INVALID:
            return value
        if bool(getattr(node, "style", None)) or not re.fullmatch(r"[+-]?\d+", value):
            return ctx.error(node, f"'{key}' must be a whole number, got {value!r}")
        number = int(value)
        if self.minimum is not None and number < self.minimum:
            return ctx.error(node, f"'{key}' must be at least {self.minimum}, got {number}")
        if self.maximum is not None and number > self.maximum:
            return ctx.error(node, f"'{key}' must be at most {self.maximum}, got {number}")
        return number


_DT_RE = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[Tt ]+(?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)"
    r"\s*(?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?"
)


def parse_datetime(text: str, tz: tzinfo | None) -> datetime | None:
    """A timezone-aware datetime from ISO-like text; a bare date or naive time gets `tz`."""
    match = _DT_RE.fullmatch(text.strip())
    if not match:
        return None
    try:
        day = date.fromisoformat(match["date"])
        clock = time.fromisoformat(match["time"].zfill(5)) if match["time"] else time()
    except ValueError:
        return None
    zone = match["tz"]
    if zone:
        zone = "+00:00" if zone in "Zz" else zone
        if len(zone) == 3:
            zone += ":00"
        elif ":" not in zone:
            zone = zone[:3] + ":" + zone[3:]
        try:
            return datetime.fromisoformat(f"{day.isoformat()}T{clock.isoformat()}{zone}")
        except ValueError:
            return None
    result = datetime.combine(day, clock)
    if tz is None:
        return result
    # A fixed offset (the zone's at that moment): the same instant and text, and a plain value
    # that caches and compares without the zone database.
    local = result.replace(tzinfo=tz)
    offset = local.utcoffset()
    return local.replace(tzinfo=timezone(offset)) if offset is not None else local


class DateTime(Type):
    """A date or date-time; naive values are read in the site timezone."""

    label = "a date like 2026-02-04 or 2026-02-04T18:25:00+04:00"

    def convert(self, node: yaml.Node, ctx: Ctx, key: str) -> Any:
        value = self.scalar(node, ctx, key)
        if value is INVALID:
            return value
        result = parse_datetime(value, ctx.tz)
        if result is None:
            return ctx.error(node, f"'{key}' must be {self.label}, got {value!r}")
        return result


class Url(Type):
    """A URL with an allowed scheme, or a relative one where allowed."""

    label = "a URL"

    def __init__(
        self, schemes: tuple[str, ...] = ("http", "https", "mailto"), relative: bool = True
    ) -> None:
        self.schemes, self.relative = schemes, relative

    def convert(self, node: yaml.Node, ctx: Ctx, key: str) -> Any:
        value = self.scalar(node, ctx, key)
        if value is INVALID:
            return value
        value = value.strip()
        allowed = ", ".join(self.schemes) + (" or a relative path" if self.relative else "")
        if not value or _URL_BREAK.search(value):
            return ctx.error(node, f"'{key}' must be a URL ({allowed}), got {value!r}")
        try:
            parts = urlsplit(value)
        except ValueError:
            return ctx.error(node, f"'{key}' is not a valid URL: {value!r}")
        if parts.scheme:
            if parts.scheme.lower() not in self.schemes:
                return ctx.error(node, f"'{key}' must use {allowed}; scheme "
                                 f"'{parts.scheme}:' is not allowed")
            if parts.scheme.lower() in ("http", "https") and not parts.netloc:
                return ctx.error(node, f"'{key}' has no host: {value!r}")
        elif not self.relative or value.startswith("//") or value.startswith("\\"):
            return ctx.error(node, f"'{key}' must be an absolute URL ({allowed}), got {value!r}")
        return value


class ListOf(Type):
    """A list of items of one type; a single scalar is taken as a list of one."""

    def __init__(self, item: Type) -> None:
        self.item = item
        self.label = "a list"

    def convert(self, node: yaml.Node, ctx: Ctx, key: str) -> Any:
        if _foreign_tag(node, ctx, f"'{key}'"):
            return INVALID
        nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
        if isinstance(node, yaml.MappingNode) and not isinstance(self.item, Record):
            return ctx.error(node, f"'{key}' must be a list, got a mapping")
        result = LList()
        result.pos = []
        ok = True
        for child in nodes:
            value = self.item.convert(child, ctx, key)
            if value is INVALID:
                ok = False
                if ctx.budget[0] < 0:
                    break  # out of budget: one error is enough, not one per remaining item
                continue
            result.append(value)
            result.pos.append(ctx.at(child))
        return result if ok else INVALID


@dataclass(frozen=True)
class Field:
    """A declared key: its type, whether it is required, and what it means."""

    type: Type
    required: bool = False
    doc: str = ""


def _mapping_items(
    node: yaml.MappingNode, ctx: Ctx, what: str
) -> list[tuple[str, yaml.Node, yaml.Node]]:
    seen: dict[str, int] = {}
    items: list[tuple[str, yaml.Node, yaml.Node]] = []
    for key_node, value_node in node.value:
        ctx.budget[0] -= 1
        if ctx.budget[0] < 0:
            ctx.error(key_node, "YAML is too deeply nested or aliased; refusing to expand it")
            return []
        if not isinstance(key_node, yaml.ScalarNode):
            ctx.error(key_node, f"keys in {what} must be plain text")
            continue
        key = str(key_node.value)
        line = ctx.at(key_node)[0]
        if key in seen:
            ctx.error(key_node, f"duplicate key '{key}' in {what} (first at line {seen[key]}, "
                      f"again at line {line})")
            continue
        seen[key] = line
        items.append((key, key_node, value_node))
    return items


class Record(Type):
    """A mapping with declared keys: unknown keys, missing keys and bad values all reported."""

    label = "a mapping"

    def __init__(self, what: str, fields: dict[str, Field],
                 check: Callable[[LDict, yaml.Node, Ctx], None] | None = None) -> None:
        self.what, self.fields, self.check = what, fields, check

    def convert(self, node: yaml.Node, ctx: Ctx, key: str = "") -> Any:
        result, ok = self.convert_partial(node, ctx, key)
        return result if ok else INVALID

    def convert_partial(self, node: yaml.Node, ctx: Ctx,
                        key: str = "") -> tuple[LDict | None, bool]:
        """The fields that converted, and whether all did (every problem reported either way);
        None when the node is not a mapping at all. For checks that can still be made on the
        good fields of a bad record."""
        label = f"'{key}'" if key else self.what
        if _foreign_tag(node, ctx, label):
            return None, False
        if not isinstance(node, yaml.MappingNode):
            ctx.error(node, f"{label} must be a mapping of keys to values, got {_describe(node)}")
            return None, False
        result = LDict()
        result.pos, result.where = {}, ctx.at(node)
        errors_before = len(ctx.diags.errors)
        items = _mapping_items(node, ctx, self.what)
        ok = len(ctx.diags.errors) == errors_before  # no duplicate or non-text keys
        present: set[str] = set()
        for name, key_node, value_node in items:
            spec = self.fields.get(name)
            if spec is None:
                ctx.error(key_node, f"unknown key '{name}' in {self.what}"
                          f"{did_you_mean(name, list(self.fields))}")
                ok = False
                continue
            if _is_null(value_node):
                if spec.required:
                    ctx.error(value_node, f"'{name}' must not be empty")
                    ok = False
                present.add(name)
                continue
            present.add(name)
            value = spec.type.convert(value_node, ctx, name)
            if value is INVALID:
                ok = False
                if ctx.budget[0] < 0:
                    break  # out of budget: one error is enough, not one per remaining item
                continue
            result[name] = value
            result.pos[name] = ctx.at(value_node)
        for name, spec in self.fields.items():
            if spec.required and name not in present:
                ctx.error(node, f"missing required key '{name}' in {self.what}")
                ok = False
        if self.check is not None:
            # Checks see the fields that converted, so their problems show in the same pass.
            errors_before = len(ctx.diags.errors)
            self.check(result, node, ctx)
            ok = ok and len(ctx.diags.errors) == errors_before
        return result, ok


class DictOf(Type):
    """A mapping of free keys (ids) to values of one type."""

    label = "a mapping"

    def __init__(self, what: str, value: Type, key_pattern: str | None = None,
                 key_hint: str = "") -> None:
        self.what, self.value = what, value
        self.key_pattern = re.compile(key_pattern) if key_pattern else None
        self.key_hint = key_hint

    def convert(self, node: yaml.Node, ctx: Ctx, key: str = "") -> Any:
        if _foreign_tag(node, ctx, key or self.what):
            return INVALID
        if not isinstance(node, yaml.MappingNode):
            return ctx.error(node, f"{key or self.what} must be a mapping, got {_describe(node)}")
        result = LDict()
        result.pos, result.where = {}, ctx.at(node)
        errors_before = len(ctx.diags.errors)
        items = _mapping_items(node, ctx, self.what)
        ok = len(ctx.diags.errors) == errors_before  # no duplicate or non-text keys
        for name, key_node, value_node in items:
            if self.key_pattern and not self.key_pattern.fullmatch(name):
                ctx.error(key_node, f"'{name}' in {self.what} must be {self.key_hint}")
                ok = False
                continue
            value = self.value.convert(value_node, ctx, name)
            if value is INVALID:
                ok = False
                if ctx.budget[0] < 0:
                    break  # out of budget: one error is enough, not one per remaining item
                continue
            result[name] = value
            result.pos[name] = ctx.at(key_node)
        return result if ok else INVALID


def _is_null(node: yaml.Node) -> bool:
    return (
        isinstance(node, yaml.ScalarNode)
        and not getattr(node, "style", None)
        and node.tag == _STD + "null"
        and node.value in _NULL_VALUES
    )
