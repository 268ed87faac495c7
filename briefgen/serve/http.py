"""The preview's HTTP server: the last complete build, clean URLs, and nothing else.

Security model (docs/serve.md): loopback by default; every request's Host must be one of
localhost, 127.0.0.1, [::1] or the bound host, with the port (DNS rebinding); the request-target is
checked and decoded once by paths.py and must resolve inside the current build folder; no listings;
no request text in any response; control characters escaped in the log; the event stream refuses
foreign origins and sends no CORS headers. Each connection has its own thread, so open event
streams never hold up a page.
"""

from __future__ import annotations

import ipaddress
import mimetypes
import queue
import re
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs

from briefgen.serve.livereload import EVENTS_PATH, Broker, inject, is_close, script_tag
from briefgen.serve.overlay import overlay_html
from briefgen.serve.paths import (
    MAX_TARGET,
    BadTarget,
    Found,
    Redirect,
    Target,
    locate,
    parse_target,
    read_file,
)
from briefgen.serve.preview import View

__all__ = ["PreviewHandler", "PreviewServer", "Views", "escape_controls", "url_host"]

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
}
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}
_CONTROL[ord("\\")] = "\\\\"
_PING_SECONDS = 15.0
_Response = tuple[int, str, bytes, dict[str, str]]  # status, content type, body, headers


class Views(Protocol):
    """Where the server gets what to show (Preview, or a fixed folder in tests)."""

    def view(self) -> AbstractContextManager[View]: ...

    @property
    def generation(self) -> int: ...


def escape_controls(text: str) -> str:
    """text with control characters and backslashes escaped, safe to print on a terminal."""
    return text.translate(_CONTROL)


def url_host(host: str) -> str:
    """host as written in a URL: IPv6 literals in brackets, wildcards as loopback."""
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def _is_wildcard(host: str) -> bool:
    return host in ("", "0.0.0.0", "::")


def _ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


class PreviewServer(ThreadingHTTPServer):
    """A threading HTTP server for one preview; `views` says what to show."""

    daemon_threads = True
    request_queue_size = 64

    def __init__(self, host: str, port: int, broker: Broker, views: Views | None = None, *,
                 snippet_bases: Sequence[Path] = (),
                 log: Callable[[str], None] = print) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.views: Views = views if views is not None else _Starting()
        self.broker = broker
        self.snippet_bases = list(snippet_bases)
        self.log = log
        self.bound_host = host
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__((host, port), PreviewHandler)
        self.port: int = self.server_address[1]
        names = {"localhost", "127.0.0.1", "[::1]", url_host(host).lower()}
        self.allowed_hosts = {f"{name}:{self.port}" for name in names}
        self.allowed_origins = {f"http://{h}" for h in self.allowed_hosts}
        self.any_ip_host = _is_wildcard(host)  # bound to every interface: LAN addresses too

    @property
    def url(self) -> str:
        return f"http://{url_host(self.bound_host)}:{self.port}/"

    def host_allowed(self, value: str) -> bool:
        value = value.strip().lower()
        if value in self.allowed_hosts:
            return True
        name, _, port = value.rpartition(":")
        return self.any_ip_host and port == str(self.port) and _ip_literal(name)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Cut every open connection (event streams, keep-alive): used when stopping."""
        with self._open_lock:
            conns = list(self._open)
        for conn in conns:
            with suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class PreviewHandler(BaseHTTPRequestHandler):
    """Serves one connection: GET and HEAD of the build, and the event stream."""

    server: PreviewServer
    protocol_version = "HTTP/1.1"
    server_version = "briefgen-preview"
    sys_version = ""
    timeout = 30  # seconds a connection may sit idle between requests

    def version_string(self) -> str:
        return self.server_version

    # --- methods ---------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._handle(head=False)

    def do_HEAD(self) -> None:
        self._handle(head=True)

    def _refuse_method(self) -> None:
        self._plain(405, "Only GET and HEAD are served here.", {"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _refuse_method

    # --- requests --------------------------------------------------------------------------

    def _handle(self, head: bool) -> None:
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1:
            self._plain(400, "A request needs exactly one Host header.")
            return
        if not self.server.host_allowed(hosts[0]):
            self._plain(403, "This preview only answers to localhost, 127.0.0.1 and [::1] "
                             "(with its port): a request for another host name is refused.")
            return
        try:
            target = parse_target(self.path)
        except BadTarget as bad:
            self._plain(bad.status, "This address is not served.")
            return
        if target.segments[:1] == ("__briefgen",):
            if "/" + "/".join(target.segments) == EVENTS_PATH and not head:
                self._events(target)
            else:
                self._plain(404, "Not found.")
            return
        with self.server.views.view() as view:  # the build folder is kept while we read
            response = self._respond(view, target)
        if response is None:
            self._plain(404, "Not found.")
        else:
            self._send(*response, head=head)

    def _respond(self, view: View, target: Target) -> _Response | None:
        if view.root is None:
            text = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<title>briefgen preview</title></head><body><p>"
                    + ("The site has not built yet." if view.failure
                       else "Building the site; this page reloads when it is ready.")
                    + "</p></body></html>")
            return (500 if view.failure else 503, _TYPES[".html"],
                    self._decorate(text.encode(), view), {"Retry-After": "1"})
        where = locate(view.root, target)
        if isinstance(where, Redirect):
            return 301, "text/plain; charset=utf-8", b"Moved.\n", {"Location": where.location}
        status = 200
        if not isinstance(where, Found):
            status, where = 404, Found(_not_found_page(view.root, target))
        try:
            body = read_file(where)
        except OSError:
            return None
        ctype = _content_type(where.file)
        if ctype.startswith("text/html"):
            body = self._decorate(body, view)
        return status, ctype, body, {}

    def _decorate(self, body: bytes, view: View) -> bytes:
        addition = script_tag(view.generation)
        if view.failure:
            addition = overlay_html(view.failure, self.server.snippet_bases,
                                    view.root is not None) + addition
        return inject(body, addition)

    # --- the live-reload stream -----------------------------------------------------------

    def _events(self, target: Target) -> None:
        origin = self.headers.get("Origin")
        site = self.headers.get("Sec-Fetch-Site", "same-origin")
        if (origin is not None and origin.lower() not in self.server.allowed_origins) or \
                site not in ("same-origin", "none"):
            self._plain(403, "The live-reload stream is for this preview's own pages.")
            return
        query = parse_qs(target.query, max_num_fields=4)
        page = (query.get("path") or ["/"])[0]
        if not page.startswith("/") or len(page) > MAX_TARGET:
            page = "/"
        try:
            token = int((query.get("token") or ["-1"])[0])
        except ValueError:
            token = -1
        sub = self.server.broker.subscribe(page, token)
        if sub is None:
            self._plain(503, "Too many open live-reload streams.")
            return
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            if token != self.server.views.generation:
                sub.send("reload")  # a rebuild finished between the page load and now
            self._stream(sub.messages)
        except OSError:
            pass  # the page went away
        finally:
            self.server.broker.unsubscribe(sub)

    def _stream(self, messages: queue.Queue[str]) -> None:
        while True:
            try:
                message = messages.get(timeout=_PING_SECONDS)
            except queue.Empty:
                self.wfile.write(b": ping\n\n")  # notices a closed page
                self.wfile.flush()
                continue
            if is_close(message):
                return
            self.wfile.write(f"data: {message}\n\n".encode())
            self.wfile.flush()
            return  # the page reloads; its next load opens a new stream

    # --- responses -------------------------------------------------------------------------

    def _send(self, status: int, ctype: str, body: bytes,
              headers: dict[str, str] | None = None, *, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _plain(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
        """A small fixed page: text is ours, never the request's. Closes the connection."""
        self.close_connection = True
        phrase = HTTPStatus(status).phrase
        body = (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                f"{status} {phrase}</title></head><body><h1>{status} {phrase}</h1><p>"
                f"{escape(text)}</p></body></html>\n").encode()
        self._send(status, _TYPES[".html"], body, headers, head=self.command == "HEAD")

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        """Errors from http.server's own parsing (bad request line, long lines, ...)."""
        self.log_error("code %d, %s", code, message or HTTPStatus(code).phrase)
        if self.request_version == "HTTP/0.9":  # a garbage request line: answer in HTTP/1.x
            self.request_version = "HTTP/1.0"
        self.close_connection = True
        if code == 501:  # an unknown method
            code = 405
        self._plain(code if code >= 400 else 400, "The request could not be read.")

    # --- logging ---------------------------------------------------------------------------

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        value = code.value if isinstance(code, HTTPStatus) else code
        # Refusals and failures; not 404 (favicon.ico on every page) or 503 (still building).
        if isinstance(value, int) and value >= 400 and value not in (404, 503):
            self.log_message('"%s" %s', self.requestline[:200], str(value))

    def log_message(self, format: str, *args: Any) -> None:
        self.server.log(f"{self.address_string()} {escape_controls(format % args)}")


class _Starting:
    """Views before the preview exists: nothing built yet."""

    generation = 0

    @contextmanager
    def view(self) -> Iterator[View]:
        yield View(None, None, 0, True)


def _content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _TYPES:
        return _TYPES[suffix]
    guessed = mimetypes.guess_type(path.name)[0]
    return guessed or "application/octet-stream"


_LANGUAGE_FOLDER = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def _not_found_page(root: Path, target: Target) -> Path:
    """The 404 page of the language whose folder the missing path is in (/ru/...: /ru/404.html),
    else the site's."""
    first = target.segments[0] if target.segments else ""
    if _LANGUAGE_FOLDER.fullmatch(first):
        own = root / first / "404.html"
        if own.is_file() and not own.is_symlink() and not own.parent.is_symlink():
            return own
    return root / "404.html"
