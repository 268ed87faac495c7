"""Serve test kit: raw HTTP over a socket, a server over a fixed folder, a running preview."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.diagnostics import Diagnostic
from briefgen.serve.http import PreviewServer
from briefgen.serve.livereload import Broker
from briefgen.serve.preview import View

__all__ = ["BRIEFING", "SITE", "FixedViews", "Response", "get", "raw", "serving", "wait_until"]

BRIEFING = "/briefings/2026/02/harbour/"
SITE = """
-- content/briefings/2026/02/harbour.md --
---
title: Harbour reopens
date: 2026-02-04T10:00:00Z
---
The harbour reopened on Monday.
-- content/briefings/2026/02/ferry-plan.md --
---
title: Ferry plan drafted
date: 2026-02-05T10:00:00Z
draft: true
---
The ferry plan is still a draft.
"""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def raw(port: int, request: bytes, timeout: float = 10.0) -> Response:
    """Send request bytes as they are; read the answer until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    data = b"".join(chunks)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines[0].startswith("HTTP/") else 0
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Response(status, headers, body)


def get(port: int, target: str, host: str | None = None, headers: dict[str, str] | None = None,
        method: str = "GET") -> Response:
    """A request with the target exactly as given (never normalised), Connection: close."""
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host or f'127.0.0.1:{port}'}",
             "Connection: close", *(f"{k}: {v}" for k, v in (headers or {}).items())]
    return raw(port, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))


@dataclass
class FixedViews:
    """Views over a fixed folder, optionally with a failure shown over it."""

    root: Path | None
    failure: tuple[Diagnostic, ...] | None = None
    generation: int = 0
    building: bool = False

    @contextmanager
    def view(self) -> Iterator[View]:
        yield View(self.root, self.failure, self.generation, self.building)


@dataclass
class Serving:
    server: PreviewServer
    logs: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.server.port


@contextmanager
def serving(views: Any, host: str = "127.0.0.1", bases: list[Path] | None = None,
            broker: Broker | None = None) -> Iterator[Serving]:
    """A PreviewServer in a thread on an ephemeral port."""
    logs: list[str] = []
    server = PreviewServer(host, 0, broker if broker is not None else Broker(), views,
                           snippet_bases=bases or [],
                           log=logs.append)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield Serving(server, logs)
    finally:
        server.broker.close()
        server.shutdown()
        server.close_connections()
        server.server_close()
        thread.join(5)


def wait_until(predicate: Callable[[], Any], timeout: float = 30.0, what: str = "") -> Any:
    """Poll predicate until it returns something true; fail after a generous timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")
        time.sleep(0.02)
