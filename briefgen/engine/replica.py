"""A replica of the kept build in a second process, which renders part of large in-place rebuilds.

Forked from the build process right after a full build (and its warm-up), it holds the same model.
Every in-place edit the build process applies is sent to it, with the files' bytes, so it applies
exactly the same edit to its copy; when the edit has many jobs it also renders the share it is
given and sends the bytes back. After rendering, it is told to keep the edit or undo it, as the
build process does. Commands and answers are pickled over a socket pair, one at a time, in order.

Anything unexpected (the replica dies, fails to apply an edit the build process applied, or the
pipe breaks) ends it: the build process renders everything itself until the next full build.
A full build ends it first, so two models are never copied into a third process.
"""

from __future__ import annotations

import contextlib
import os
from datetime import datetime
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from briefgen.engine.edits import Applied, apply_edits
from briefgen.engine.kept import Session
from briefgen.engine.rerender import Done, render_job

__all__ = ["Replica"]


class Replica:
    """The build process's end of a replica (a Helper for render_jobs)."""

    def __init__(self, session: Session) -> None:
        mine, theirs = Pipe(duplex=True)
        self._pid = os.fork()
        if self._pid == 0:  # the replica: serve commands until told to stop or orphaned
            code = 0
            try:
                mine.close()
                _serve(session, theirs)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        self._conn: Connection | None = mine
        self._unread = 0  # answers not read yet (edits it had nothing to render for)

    @property
    def alive(self) -> bool:
        return self._conn is not None

    def _send(self, message: tuple[Any, ...], drain: bool = False) -> bool:
        if self._conn is None:
            return False
        try:
            while drain and self._unread:  # long done: answers to edits it rendered nothing for
                self._unread -= 1
                if self._conn.recv() is None:
                    raise EOFError("the replica could not apply an edit")
            self._conn.send(message)
        except (OSError, EOFError):
            self.close()
            return False
        return True

    def begin(self, raws: dict[str, bytes], now: datetime, positions: list[int],
              against: Path) -> bool:
        if not self._send(("edit", raws, now, positions, str(against)), drain=True):
            return False
        self._unread += 1
        return True

    def results(self) -> list[Done] | None:
        if self._conn is None:
            return None
        try:
            self._unread -= 1
            found: list[Done] | None = self._conn.recv()
        except (OSError, EOFError):
            found = None
        if found is None:
            self.close()
        return found

    def end(self, keep: bool) -> None:
        self._send(("end", keep))

    def close(self) -> None:
        """Stop the replica (it exits when its end of the pipe closes) and reap it."""
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.close()
        if self._pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = 0


def _serve(session: Session, conn: Connection) -> None:
    applied: Applied | None = None
    while True:
        try:
            message = conn.recv()
        except EOFError:  # the build process closed it, or is gone
            return
        if message[0] == "edit":
            _kind, raws, now, positions, against = message
            outcome = apply_edits(session, raws, now)
            if not isinstance(outcome, Applied):  # the build process applied it: we differ
                conn.send(None)
                return
            applied = outcome
            conn.send([render_job(session, position, Path(against)) for position in positions])
        elif message[0] == "end":
            if applied is not None and not message[1]:
                applied.undo()
            applied = None
