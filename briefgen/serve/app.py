"""`briefgen serve`: bind, build, serve, watch, rebuild; Ctrl-C stops cleanly with exit code 0.

PreviewApp wires the pieces (so tests run the whole preview in-process on an ephemeral port);
run() is the command: it prints the URL, waits for Ctrl-C or SIGTERM and stops everything.
"""

from __future__ import annotations

import errno
import signal
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import FrameType

from watchdog.observers import Observer

from briefgen.diagnostics import BriefgenError
from briefgen.serve.changes import Change, ChangeKind
from briefgen.serve.debounce import Debouncer
from briefgen.serve.epochs import Epochs
from briefgen.serve.http import PreviewServer, escape_controls
from briefgen.serve.livereload import Broker
from briefgen.serve.preview import Preview
from briefgen.serve.rebuild import Rebuilder
from briefgen.serve.watcher import WATCHED_FOLDERS, ObserverLike, Watcher
from briefgen.serve.worker import ProcessRebuilder
from briefgen.theme import bundled_themes_dir

__all__ = ["CACHE_DIR", "DEFAULT_PORT", "PreviewApp", "ServeOptions", "bind", "run"]

CACHE_DIR = Path(".briefgen-cache") / "serve"
DEFAULT_PORT = 8000
_PORTS_TRIED = 20


@dataclass
class ServeOptions:
    """What `briefgen serve` was asked for. port None: 8000, or the next free one."""

    root: Path
    host: str = "127.0.0.1"
    port: int | None = None
    drafts: bool = False
    future: bool = False
    open_browser: bool = False
    quiet: float = 0.05  # seconds without events before a rebuild starts
    settled_quiet: float = 0.005  # the same, after one file was saved completely
    poll_interval: float = 0.5  # when inotify is unavailable
    now: datetime | None = None  # a fixed clock, for tests


def bind(options: ServeOptions, make: Callable[[int], PreviewServer],
         log: Callable[[str], None]) -> PreviewServer:
    """A bound server: the asked-for port, or (when none was asked for) the next free one."""
    first = DEFAULT_PORT if options.port is None else options.port
    ports = range(first, first + _PORTS_TRIED) if options.port is None else [first]
    for port in ports:
        try:
            server = make(port)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE and options.port is None:
                continue
            raise BriefgenError(_bind_error(options.host, port, exc)) from None
        if port != first:
            log(f"Port {first} is in use, so the preview uses port {port} instead.")
        return server
    raise BriefgenError(f"ports {first}-{first + _PORTS_TRIED - 1} on {options.host} are all in "
                        "use; choose one with --port")


def _bind_error(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (f"port {port} on {host} is already in use (another 'briefgen serve'?); stop it, "
                "or choose another port with --port, or leave --port out to take the next free one")
    if exc.errno == errno.EACCES:
        return f"not allowed to listen on port {port}; use a port above 1023"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


class PreviewApp:
    """A running preview: server thread, watcher, rebuild thread. start() then stop()."""

    def __init__(self, options: ServeOptions, log: Callable[[str], None] | None = None, *,
                 rebuilder: Callable[[Path, str], Rebuilder] | None = None,
                 observer_factory: Callable[[], ObserverLike] | None = None) -> None:
        self.options = options
        self.root = options.root.resolve()
        self.log = log or _stderr
        self.broker = Broker()
        self.epochs = Epochs(self.root / CACHE_DIR)
        self.server = bind(options, self._make_server, self.log)
        self.url = self.server.url
        make = rebuilder or (lambda root, base_url: ProcessRebuilder(
            root, base_url, drafts=options.drafts, future=options.future, now=options.now))
        self.rebuilder = make(self.root, self.url)
        self.preview = Preview(self.root, self.rebuilder, self.epochs, self.broker, self.log)
        self.server.views = self.preview
        self.debouncer = Debouncer(self.preview.rebuild, quiet=options.quiet,
                                   settled_quiet=options.settled_quiet,
                                   on_error=lambda exc: self.log(f"Rebuild crashed: {exc!r}"))
        self.watcher = Watcher(self.root, self.debouncer.push, log=self.log,
                               poll_interval=options.poll_interval,
                               observer_factory=observer_factory or Observer,
                               on_settled=lambda changes: self.debouncer.push(changes, True))
        # The server thread notices shutdown() within 50 ms: part of stopping in under 0.5 s.
        self._thread = threading.Thread(target=self.server.serve_forever, name="briefgen-http",
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    def _make_server(self, port: int) -> PreviewServer:
        # Bound first: the port is part of the base URL the preview builds with. It serves
        # nothing until start(), when it has been given the preview as its views.
        return PreviewServer(self.options.host, port, self.broker,
                             snippet_bases=[self.root, bundled_themes_dir().parent], log=self.log)

    def start(self) -> None:
        """Serve at once (a 'building' page until the first build), watch, and build."""
        if isinstance(self.rebuilder, ProcessRebuilder):
            self.rebuilder.start()
        self._thread.start()
        self.debouncer.start()
        self.watcher.start()
        self.debouncer.push([Change(ChangeKind.CONFIG, "briefgen.yaml")])  # the first build

    def wait_first_build(self, timeout: float | None = None) -> bool:
        return self.preview.first_build.wait(timeout)

    def stop(self) -> None:
        """Stop watching, rebuilding and serving. A build in progress is stopped, not waited
        for. The build folders stay (.briefgen-cache/serve/): the next start serves them at once
        when nothing has changed (preview.py)."""
        self.watcher.stop()
        self.preview.stopping.set()
        close = getattr(self.rebuilder, "close", None)
        if close is not None:
            close()
        self.debouncer.stop(timeout=60)
        self.broker.close()
        self.server.shutdown()
        self.server.close_connections()
        self.server.server_close()
        self._thread.join(5)


def _stderr(message: str) -> None:
    lines = (escape_controls(line) for line in message.split("\n"))
    print("\n".join(lines), file=sys.stderr, flush=True)


def _watched(root: Path) -> str:
    names = [f"{n}/" for n in WATCHED_FOLDERS if (root / n).is_dir()]
    return ", ".join([*names, "briefgen.yaml"])


def run(options: ServeOptions) -> int:
    """The serve command: returns the exit code (0 after Ctrl-C)."""
    app = PreviewApp(options)

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        # SIGTERM stops the preview as Ctrl-C does, wherever the main thread waits (for the
        # first build too), not at its next look at a flag.
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_signal)
    try:
        app.start()
        shown = ", drafts" if options.drafts else ""
        shown += ", future briefings" if options.future else ""
        print(f"Serving the preview{shown} at {app.url}", flush=True)
        if options.host not in ("127.0.0.1", "localhost", "::1"):
            app.log(f"Warning: listening on {options.host}, not only on this computer: others on "
                    "the network can read the preview, drafts included.")
        app.log(f"Watching {_watched(app.root)}. Press Ctrl-C to stop.")
        app.wait_first_build()
        if options.open_browser:
            webbrowser.open(app.url)
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        app.log("Stopping the preview.")
        app.stop()
    return 0
