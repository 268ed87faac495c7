"""Fetching one URL safely: http(s) only, vetted addresses, pinned connections, caps on size,
time and redirects, certificate checks that are never switched off.

Each hop of a redirect chain is resolved and vetted (briefgen.clip.addresses) before anything is
sent, and the connection goes to the vetted address itself, with the URL's host name in the Host
header and as the TLS server name, so a DNS answer that changes between the check and the
connection cannot redirect the request. No proxy from the environment is used.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from typing import Any
from urllib.parse import quote, urlencode, urljoin, urlsplit, urlunsplit

from briefgen import __version__
from briefgen.clip.addresses import resolve
from briefgen.clip.errors import (
    CertificateError,
    FetchError,
    FetchTimeout,
    TooLarge,
    TooManyRedirects,
)

__all__ = ["USER_AGENT", "Fetcher", "Response"]

USER_AGENT = (f"briefgen/{__version__} (clips one article an editor asked for, to cite it; "
              "respects robots.txt)")
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass
class Response:
    """A final (non-redirect) answer: status, headers and at most max_bytes of body."""

    url: str
    status: int
    reason: str
    headers: Message
    body: bytes
    fetched_at: datetime
    redirects: list[str] = field(default_factory=list)
    redirect_statuses: list[int] = field(default_factory=list)  # the status of each redirect

    @property
    def content_type(self) -> str:
        return self.headers.get_content_type() if self.headers.get("Content-Type") else ""

    @property
    def charset(self) -> str | None:
        value = self.headers.get_content_charset()
        return str(value) if value else None


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a fixed address, whatever the host name resolves to now."""

    def __init__(self, host: str, *, address: str, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self.pinned_address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.pinned_address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to a fixed address; the certificate is checked for the host name."""

    def __init__(self, host: str, *, address: str, tls: ssl.SSLContext, **kwargs: Any) -> None:
        super().__init__(host, context=tls, **kwargs)
        self.pinned_address = address
        self.tls = tls

    def connect(self) -> None:
        sock = socket.create_connection((self.pinned_address, self.port), self.timeout)
        try:
            self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


class _PinnedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        def connection(host: str, **kwargs: Any) -> http.client.HTTPConnection:
            return _PinnedHTTPConnection(host, address=self.address, **kwargs)
        return self.do_open(connection, req)


class _PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, address: str, tls: ssl.SSLContext) -> None:
        super().__init__(context=tls)
        self.address, self.tls = address, tls

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        def connection(host: str, **kwargs: Any) -> http.client.HTTPConnection:
            kwargs.pop("context", None)
            return _PinnedHTTPSConnection(host, address=self.address, tls=self.tls, **kwargs)
        return self.do_open(connection, req)


def _tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    return context


@dataclass
class Fetcher:
    """GET (or a probe of a URL's status) with every safety check; one instance per clip or
    per link check."""

    allow_private: bool = False
    timeout: float = 15.0  # seconds per connect and per read
    total_timeout: float = 60.0  # seconds for one whole response
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    tls: ssl.SSLContext = field(default_factory=_tls_context)

    def get(self, url: str, accept: str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
            ) -> Response:
        """The final answer for url after at most max_redirects redirects, any status."""
        current, response, chain, statuses = self._follow(url, accept, "GET")
        result = self._read(current, response)
        result.redirects, result.redirect_statuses = chain, statuses
        return result

    def post(self, url: str, form: dict[str, str]) -> Response:
        """POST a form to url (no redirect followed): the answer, any status."""
        body = urlencode(form).encode("ascii")
        response = self._open(url, "*/*", "POST", body)
        return self._read(url, response)

    def probe(self, url: str, method: str = "HEAD") -> Response:
        """The final status and headers for url (HEAD, or GET without reading the body), after
        at most max_redirects redirects, each vetted as get() vets them; the body is empty."""
        current, response, chain, statuses = self._follow(url, "*/*", method)
        response.close()
        return Response(current, response.status, response.reason, response.headers, b"",
                        datetime.now(UTC).replace(microsecond=0), chain, statuses)

    def _follow(self, url: str, accept: str, method: str
                ) -> tuple[str, http.client.HTTPResponse, list[str], list[int]]:
        """The first answer that is not a redirect: its URL and the open response, the URLs
        redirected from and their statuses."""
        chain: list[str] = []
        statuses: list[int] = []
        current = url
        for _ in range(self.max_redirects + 1):
            response = self._open(current, accept, method)
            location = response.headers.get("Location") if response.status in _REDIRECTS \
                else None
            if location is None:
                return current, response, chain, statuses
            response.close()
            chain.append(current)
            statuses.append(response.status)
            current = urljoin(current, location.strip())
        raise TooManyRedirects(f"more than {self.max_redirects} redirects, starting at {url} "
                               f"(last: {current})")

    def _open(self, url: str, accept: str, method: str = "GET",
              body: bytes | None = None) -> http.client.HTTPResponse:
        url = as_uri(url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"only http and https URLs can be clipped, not {scheme or 'a'}: "
                             f"URL {url!r}")
        if not parts.hostname:
            raise FetchError(f"URL has no host: {url!r}")
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            raise FetchError(f"URL has a bad port: {url!r}") from None
        address = str(resolve(parts.hostname, port, self.allow_private))
        opener = urllib.request.OpenerDirector()  # no proxies, no redirects, no cookies
        opener.add_handler(_PinnedHTTPSHandler(address, self.tls) if scheme == "https"
                           else _PinnedHTTPHandler(address))
        headers = {"User-Agent": self.user_agent, "Accept": accept,
                   "Accept-Encoding": "gzip, deflate", "Accept-Language": "*"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            response = opener.open(request, timeout=self.timeout)
        except urllib.error.URLError as exc:
            raise _network_error(url, exc.reason) from None
        except (OSError, http.client.HTTPException) as exc:
            raise _network_error(url, exc) from None
        if response is None:
            raise FetchError(f"no handler could open {url!r}")
        return response  # type: ignore[no-any-return]

    def _read(self, url: str, response: http.client.HTTPResponse) -> Response:
        fetched_at = datetime.now(UTC).replace(microsecond=0)
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            response.close()
            raise TooLarge(f"{url} is {int(length):,} bytes, over the {self.max_bytes:,}-byte cap")
        encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
        decoder = None
        if encoding in ("gzip", "x-gzip", "deflate"):
            decoder = zlib.decompressobj(47)  # gzip or zlib header, detected
        elif encoding != "identity":
            response.close()
            raise FetchError(f"{url} was sent with an encoding briefgen cannot read: {encoding}")
        deadline = time.monotonic() + self.total_timeout
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                if time.monotonic() > deadline:
                    raise FetchTimeout(f"{url} took longer than {self.total_timeout:g} s to send")
                chunk = response.read(65536)
                if not chunk:
                    break
                if decoder is not None:
                    chunk = decoder.decompress(chunk, self.max_bytes + 1 - size)
                size += len(chunk)
                if size > self.max_bytes:
                    raise TooLarge(f"{url} is over the {self.max_bytes:,}-byte cap")
                chunks.append(chunk)
        except TimeoutError:
            raise FetchTimeout(f"{url} did not answer within {self.timeout:g} s") from None
        except zlib.error as exc:
            raise FetchError(f"{url} sent a broken compressed body: {exc}") from None
        except (OSError, http.client.HTTPException) as exc:
            raise _network_error(url, exc) from None
        finally:
            response.close()
        return Response(url, response.status, response.reason, response.headers,
                        b"".join(chunks), fetched_at)


def as_uri(url: str) -> str:
    """url as HTTP sends it: a host in IDNA (punycode), other non-ASCII characters
    percent-encoded as UTF-8 (an IRI such as https://пример.рф/новости is a valid source URL)."""
    if url.isascii():
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    host = parts.hostname or ""
    if host and not host.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise FetchError(f"URL has a host name that cannot be encoded: {url!r}") from None
        user, at, place = netloc.rpartition("@")
        netloc = user + at + place.lower().replace(host, ascii_host)
    safe = "/%:@!$&'()*+,;=-._~?#[]"
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe=safe),
                       quote(parts.query, safe=safe), quote(parts.fragment, safe=safe)))


def _network_error(url: str, reason: object) -> FetchError:
    if isinstance(reason, ssl.SSLCertVerificationError):
        return CertificateError(
            f"the TLS certificate of {urlsplit(url).hostname} failed verification "
            f"({reason.verify_message or reason}); briefgen never retries without certificate "
            "checks: save the page from your browser and clip the file instead")
    if isinstance(reason, ssl.SSLError):
        return CertificateError(f"TLS failed for {urlsplit(url).hostname}: {reason}; "
                                "briefgen never retries without certificate checks")
    if isinstance(reason, TimeoutError):
        return FetchTimeout(f"{url} did not answer in time")
    if isinstance(reason, FetchError):
        return reason
    return FetchError(f"cannot fetch {url}: {reason}")
