"""Fixtures for clipping: a real loopback HTTP server in a thread, a site, a connection spy."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"

Route = tuple[int, dict[str, str], bytes] | Callable[["Handler"], None]


@dataclass
class Loopback:
    """A local HTTP server: routes map a path to (status, headers, body) or a handler function;
    every request is recorded. robots.txt is absent (404) unless a route gives one."""

    port: int = 0
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def page(self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8",
             status: int = 200, **headers: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = (status, {"Content-Type": content_type, **headers}, data)

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


class Handler(BaseHTTPRequestHandler):
    server: Any

    def do_GET(self) -> None:
        loopback: Loopback = self.server.loopback
        loopback.requests.append((self.path, dict(self.headers.items())))
        route = loopback.routes.get(self.path.split("?", 1)[0])
        if route is None:
            route = (404, {"Content-Type": "text/plain"}, b"not found")
        if callable(route):
            route(self)
            return
        status, headers, body = route
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        return


@pytest.fixture
def server() -> Iterator[Loopback]:
    loopback = Loopback()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.loopback = loopback  # type: ignore[attr-defined]
    loopback.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield loopback
    loopback.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    (root / "briefgen.yaml").write_text("title: Test Desk\nbase_url: https://example.org/\n"
                                        "timezone: UTC\n", encoding="utf-8")
    return root


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every address socket.create_connection is asked to connect to."""
    made: list[tuple[str, int]] = []
    real = socket.create_connection

    def spy(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        made.append((address[0], address[1]))
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", spy)
    return made
