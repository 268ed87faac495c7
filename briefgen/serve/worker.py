"""The build process: the preview's builds run in a child process that does nothing else.

build() forks worker processes to use every CPU (parallel.py). Forking a process that has other
threads (the HTTP server, watchdog, the rebuild thread) can deadlock the child on a lock one of
those threads held, so the preview never builds in its own process: ProcessRebuilder sends each
rebuild to `python -m briefgen.serve.worker`, which is single-threaded and may fork freely. A crash
or a runaway build there cannot take the server down; the next change starts a new process.

Protocol: one JSON object per line: a request on the child's stdin, its outcome on its stdout
(anything a build prints goes to stderr). Closing stdin ends the child.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import briefgen
from briefgen.diagnostics import Diagnostic
from briefgen.serve.changes import RebuildPlan
from briefgen.serve.live import LiveRebuilder
from briefgen.serve.rebuild import BuildOutcome

__all__ = ["ProcessRebuilder", "main"]


def _plan_to_json(plan: RebuildPlan) -> dict[str, Any]:
    return {k: sorted(v) if isinstance(v, frozenset) else v for k, v in asdict(plan).items()}


def _plan_from_json(data: dict[str, Any]) -> RebuildPlan:
    return RebuildPlan(full=bool(data["full"]), **{
        k: frozenset(data[k]) for k in ("briefings", "pages", "sources", "templates", "static")})


def _outcome_to_json(outcome: BuildOutcome) -> dict[str, Any]:
    diags = [{k: v for k, v in asdict(d).items() if k != "context"} for d in outcome.diagnostics]
    return {"ok": outcome.ok, "diagnostics": diags, "seconds": outcome.seconds,
            "counts": outcome.counts, "files": outcome.files,
            "staged": str(outcome.staged) if outcome.staged else None, "note": outcome.note}


def _outcome_from_json(data: dict[str, Any]) -> BuildOutcome:
    diags = [Diagnostic(d["path"], d["line"], d["col"], d["severity"], d["message"])
             for d in data["diagnostics"]]
    return BuildOutcome(bool(data["ok"]), diags, float(data["seconds"]), dict(data["counts"]),
                        Path(data["staged"]) if data["staged"] else None, list(data["files"]),
                        str(data["note"]))


@dataclass
class ProcessRebuilder:
    """A Rebuilder that runs each build in the build process (started on first use)."""

    root: Path
    base_url: str
    drafts: bool = False
    future: bool = False
    now: datetime | None = None
    jobs: int | None = None  # None: every CPU
    _proc: subprocess.Popen[str] | None = field(default=None, init=False, repr=False)
    _forget: bool = field(default=False, init=False, repr=False)
    _closed: bool = field(default=False, init=False, repr=False)  # no new build process
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def start(self) -> None:
        """Start the build process now (it imports briefgen while the server starts)."""
        with self._lock:
            self._ensure()

    def _ensure(self) -> subprocess.Popen[str]:
        if self._proc is None or self._proc.poll() is not None:
            env = dict(os.environ)
            package_parent = str(Path(briefgen.__file__).resolve().parent.parent)
            env["PYTHONPATH"] = os.pathsep.join(
                p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "briefgen.serve.worker"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, text=True, encoding="utf-8", env=env,
                start_new_session=True)  # a group of its own, stopped whole by close()
        return self._proc

    def forget(self) -> None:
        """The build process drops its kept build before the next rebuild (a full one)."""
        self._forget = True

    def rebuild(self, plan: RebuildPlan, previous: Path | None, target: Path) -> BuildOutcome:
        request = {"root": str(self.root), "base_url": self.base_url, "drafts": self.drafts,
                   "future": self.future, "jobs": self.jobs,
                   "now": self.now.isoformat() if self.now else None,
                   "plan": _plan_to_json(plan), "target": str(target),
                   "previous": str(previous) if previous else None, "forget": self._forget}
        self._forget = False
        with self._lock:
            if self._closed:
                return BuildOutcome(False, [Diagnostic("build", 0, 0, "error",
                                                       "the preview is stopping")])
            proc = self._ensure()
            assert proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(json.dumps(request) + "\n")
                proc.stdin.flush()
                line = proc.stdout.readline()
            except OSError:
                line = ""
            if line:
                return _outcome_from_json(json.loads(line))
            try:
                code: int | None = proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = proc.wait()
            self._proc = None
        return BuildOutcome(False, [Diagnostic(
            "build", 0, 0, "error", f"the build process stopped unexpectedly (exit code {code}); "
            "the preview starts a new one with the next change")])

    def close(self) -> None:
        """End the build process now. An idle one exits as its stdin closes; one in the middle
        of a build is stopped with its workers and replica (the preview is stopping: that build
        would be thrown away with its folder)."""
        self._closed = True
        proc, self._proc = self._proc, None  # not under the lock: a rebuild may hold it
        if proc is None:
            return
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        try:
            proc.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)  # its own group: the workers go too
            proc.wait()
        # a rebuild reading the answer sees its end and lets go of the lock at once
        if proc.stdout is not None and self._lock.acquire(timeout=5):
            try:
                proc.stdout.close()
            finally:
                self._lock.release()


def _serve_requests(requests: IO[str], replies: IO[str]) -> None:
    rebuilder: LiveRebuilder | None = None  # kept between requests: it holds the last build
    for line in requests:
        req = json.loads(line)
        settings = (Path(req["root"]), req["base_url"], req["drafts"], req["future"], req["jobs"])
        if rebuilder is None or settings != (rebuilder.root, rebuilder.base_url,
                                             rebuilder.drafts, rebuilder.future, rebuilder.jobs):
            if rebuilder is not None:
                rebuilder.close()
            rebuilder = LiveRebuilder(*settings)
        rebuilder.now = datetime.fromisoformat(req["now"]) if req["now"] else None
        if req.get("forget"):
            rebuilder.forget()
        previous = Path(req["previous"]) if req["previous"] else None
        outcome = rebuilder.rebuild(_plan_from_json(req["plan"]), previous, Path(req["target"]))
        replies.write(json.dumps(_outcome_to_json(outcome)) + "\n")
        replies.flush()
        rebuilder.settle()  # while the preview serves what was just built
    if rebuilder is not None:
        rebuilder.close()


def main() -> None:
    """The child's entry point: answer requests until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which stops us
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not break the protocol
    _serve_requests(sys.stdin, replies)


if __name__ == "__main__":
    main()
