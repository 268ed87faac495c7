"""The subscriber list: a CSV with `email` and optional `name`, `language`, checked row by row."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address
from pathlib import Path
from typing import TextIO

from briefgen.diagnostics import Diagnostics
from briefgen.email.headers import one_line

__all__ = ["COLUMNS", "Recipient", "check_address", "read_recipients"]

COLUMNS = ("email", "name", "language")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")  # a dot-atom: no quoted local parts
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


@dataclass(frozen=True)
class Recipient:
    """One subscriber: an address (`local@domain`, checked), a display name, a language code."""

    address: str
    name: str = ""
    language: str = ""
    line: int = 0


def check_address(text: str) -> str:
    """The address `local@domain` made plain (IDN domain in ASCII); ValueError says why not."""
    if "\r" in text or "\n" in text:
        raise ValueError("a line break in an address")
    text = text.strip()
    if not text:
        raise ValueError("no address")
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        raise ValueError("an address needs the form name@example.org")
    if not _LOCAL.fullmatch(local) or local.startswith(".") or local.endswith(".") \
            or ".." in local:
        raise ValueError("the part before '@' has characters an address cannot have")
    try:
        domain = domain.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise ValueError(f"'{domain}' is not a domain name") from None
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        raise ValueError(f"'{domain}' is not a domain name")
    plain = f"{local}@{domain}"
    try:  # the standard library must read it back as the same single address
        parsed = Address(addr_spec=plain)
    except (ValueError, HeaderParseError, IndexError):
        raise ValueError("the email package cannot read it as an address") from None
    if parsed.addr_spec != plain:
        raise ValueError("the email package reads it as another address")
    return plain


def _columns(header: list[str], where: str, diags: Diagnostics) -> dict[str, int] | None:
    names = [cell.strip().lower() for cell in header]
    if "email" not in names:
        diags.error(where, 1, 1, "the subscriber list needs an 'email' column in its first row "
                    f"(columns: {', '.join(COLUMNS)})")
        return None
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in columns:
            diags.error(where, 1, 1, f"column '{name}' appears twice")
            return None
        if name not in COLUMNS:
            diags.warning(where, 1, 1, f"column '{name}' is not used (columns: "
                          f"{', '.join(COLUMNS)})")
        columns[name] = index
    return columns


def read_recipients(path: Path, diags: Diagnostics) -> list[Recipient]:
    """Every good row of the CSV at path; bad rows and repeated addresses are reported, skipped."""
    where = str(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            rows = list(_rows(stream))
    except UnicodeDecodeError as exc:
        diags.error(where, 0, 0, f"the subscriber list is not UTF-8 text ({exc.reason})")
        return []
    except csv.Error as exc:
        diags.error(where, 0, 0, f"the subscriber list is not a readable CSV file ({exc})")
        return []
    except OSError as exc:
        diags.error(where, 0, 0, f"cannot read the subscriber list: {exc.strerror}")
        return []
    if not rows:
        diags.error(where, 0, 0, "the subscriber list is empty: it needs an 'email' column")
        return []
    columns = _columns(rows[0][1], where, diags)
    if columns is None:
        return []
    found: list[Recipient] = []
    first_line: dict[str, int] = {}
    repeats: dict[str, list[int]] = {}
    for line, cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(rows[0][1]):
            diags.error(where, line, 1, f"{len(cells)} fields, but the first row names "
                        f"{len(rows[0][1])} columns; row skipped")
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else ""

        try:
            address = check_address(cell("email"))
        except ValueError as why:
            diags.error(where, line, 1, f"not a usable address: {why}; row skipped")
            continue
        language = cell("language").strip()
        if language and not _LANGUAGE.fullmatch(language):
            diags.warning(where, line, 1, f"'{one_line(language)[:20]}' is not a language code "
                          "like 'en' or 'pt-BR'; the site's language is used")
            language = ""
        key = address.lower()
        if key in first_line:
            repeats.setdefault(key, []).append(line)
            continue
        first_line[key] = line
        found.append(Recipient(address, one_line(cell("name")), language, line))
    for key, lines in repeats.items():
        again = ", ".join(str(n) for n in lines)
        diags.warning(where, lines[0], 1, f"address of line {first_line[key]} listed again "
                      f"(line{'s' if len(lines) > 1 else ''} {again}); it gets one message")
    return found


def _rows(stream: TextIO) -> list[tuple[int, list[str]]]:
    """(first line number, cells) of every row, a quoted field across lines counted once."""
    reader = csv.reader(stream)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    for cells in reader:
        rows.append((start, cells))
        start = reader.line_num + 1
    return rows
