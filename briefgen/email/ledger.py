"""The send ledger: which message went to which address, one fsynced JSON line per step.

Each attempt writes `sending` before the message leaves and `sent` or `unsent` after. A run that
is killed in between leaves `sending` as the last word: the message may have reached the server,
so the next run does not send it again and reports it as uncertain instead.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Literal

from briefgen.diagnostics import BriefgenError

__all__ = ["Ledger", "LedgerError", "State", "check_outside_site", "ledger_path"]

State = Literal["sending", "sent", "unsent"]
_STATES = ("sending", "sent", "unsent")


class LedgerError(BriefgenError):
    """The subscriber list or the ledger is in a refused place, unreadable, or in use."""


def ledger_path(csv_path: Path) -> Path:
    """The ledger of a subscriber list: `<stem>.sent.jsonl` beside it."""
    return csv_path.with_name(f"{csv_path.stem}.sent.jsonl")


def check_outside_site(path: Path, root: Path, output: Path, what: str) -> None:
    """Refuse path inside content/, static/, themes/ or the output folder: all get published."""
    real = path.resolve()
    for folder, why in ((root / "content", "the site's content/ folder"),
                        (root / "static", "the site's static/ folder"),
                        (root / "themes", "the site's themes/ folder"),
                        (output, "the output folder")):
        if real.is_relative_to(folder.resolve()):
            raise LedgerError(f"{what} {path.name} is inside {why}, which is published: keep "
                              "it outside content/, static/, themes/ and the output folder")


class Ledger:
    """The ledger file, read at open, locked against a second run, appended one line at a time."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly  # a dry run: read what is there, create and write nothing
        self._state: dict[tuple[str, str], State] = {}
        self._stream: IO[str] | None = None
        self.damaged_lines: list[int] = []

    def __enter__(self) -> Ledger:
        self.open()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def open(self) -> None:
        """Read what earlier runs recorded and take the file for this run."""
        if self.readonly:
            try:
                self._read(self.path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise LedgerError(f"cannot read the send ledger {self.path}: "
                                  f"{exc.strerror}") from None
            return
        try:
            stream = self.path.open("a+", encoding="utf-8")
        except OSError as exc:
            raise LedgerError(f"cannot open the send ledger {self.path}: {exc.strerror}") from None
        try:
            _lock(stream)
        except OSError:
            stream.close()
            raise LedgerError(f"another 'briefgen send' is using {self.path}; wait for it to "
                              "end") from None
        self._stream = stream
        stream.seek(0)
        text = stream.read()
        self._read(text)
        if text and not text.endswith("\n"):
            stream.write("\n")  # the next record starts on a line of its own

    def _read(self, text: str) -> None:
        for number, line in enumerate(text.splitlines(), start=1):
            try:
                record = json.loads(line)
                key = (str(record["id"]), str(record["to"]).lower())
                state = record["state"]
            except (ValueError, KeyError, TypeError):
                self.damaged_lines.append(number)  # cut short by a kill: the step before it stands
                continue
            if state in _STATES:
                self._state[key] = state

    def close(self) -> None:
        """Release the file."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def state(self, message_id: str, address: str) -> State | None:
        """What the ledger last says about message_id to address, or None if never tried."""
        return self._state.get((message_id, address.lower()))

    def record(self, message_id: str, address: str, state: State) -> None:
        """Append one step and put it on the disk before returning."""
        if self._stream is None:
            raise LedgerError(f"the send ledger {self.path} is not open for writing")
        line = json.dumps({"id": message_id, "to": address, "state": state,
                           "at": datetime.now(UTC).isoformat(timespec="seconds")},
                          ensure_ascii=False)
        self._stream.write(line + "\n")
        self._stream.flush()
        os.fsync(self._stream.fileno())
        self._state[(message_id, address.lower())] = state


def _lock(stream: IO[str]) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: no advisory lock
        return
    fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
