"""Safe fetching (RELIABILITY 45-46): refused addresses with no connection made, redirects
checked again, caps on size, time and redirects, TLS failures never retried insecurely."""

from __future__ import annotations

import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgen.clip import addresses
from briefgen.clip.errors import (
    AddressRefused,
    CertificateError,
    FetchError,
    FetchTimeout,
    TooLarge,
    TooManyRedirects,
)
from briefgen.clip.extract_html import safe_config
from briefgen.clip.fetch import USER_AGENT, Fetcher, as_uri
from tests.clip.conftest import Handler, Loopback

PAGE = "<html><body><p>Hello from the loopback server.</p></body></html>"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "2130706433", "0x7f.1", "127.1",
                                  "[::1]", "0.0.0.0"])
def test_loopback_address_in_any_form_is_refused_before_connecting(
        host: str, server: Loopback, connections: list[tuple[str, int]]) -> None:
    server.page("/", PAGE)
    with pytest.raises(AddressRefused, match="--allow-private"):
        Fetcher().get(server.url("/", host=host))
    assert connections == []
    assert server.requests == []


def test_name_resolving_to_cloud_metadata_address_is_refused(
        monkeypatch: pytest.MonkeyPatch, connections: list[tuple[str, int]]) -> None:
    def fake_getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        assert host == "metadata.example.org"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    with pytest.raises(AddressRefused, match=r"169\.254\.169\.254, a link-local address"):
        Fetcher().get("http://metadata.example.org/latest/meta-data/")
    assert connections == []


def test_name_with_one_private_address_among_public_ones_is_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    with pytest.raises(AddressRefused, match=r"10\.0\.0\.5"):
        addresses.resolve("mixed.example.org", 80, allow_private=False)


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
    "224.0.0.1", "240.0.0.1", "255.255.255.255", "100.64.0.1", "::1", "::", "fe80::1",
    "fc00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "2002:7f00:1::",
    "64:ff9b::a9fe:a9fe"])
def test_non_public_addresses_are_not_public(address: str) -> None:
    assert not addresses.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111"])
def test_public_addresses_are_public(address: str) -> None:
    assert addresses.is_public(ipaddress.ip_address(address))


@pytest.fixture
def loopback_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Treat exactly 127.0.0.1 (the test server) as a public address, everything else as usual,
    so a redirect from an allowed server can be tested without leaving this machine."""
    real = addresses.is_public
    monkeypatch.setattr(addresses, "is_public",
                        lambda ip: ip == ipaddress.ip_address("127.0.0.1") or real(ip))


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/",
                                    "http://127.0.0.2:{port}/admin", "http://[::1]:{port}/",
                                    "http://10.0.0.1/"])
@pytest.mark.usefixtures("loopback_is_public")
def test_redirect_from_allowed_server_to_private_address_is_refused_without_connecting(
        target: str, server: Loopback, connections: list[tuple[str, int]]) -> None:
    server.page("/start", "", status=302, Location=target.format(port=server.port))
    with pytest.raises(AddressRefused):
        Fetcher().get(server.url("/start"))
    assert server.paths() == ["/start"]
    assert {host for host, _ in connections} == {"127.0.0.1"}


@pytest.mark.usefixtures("loopback_is_public")
def test_redirect_between_allowed_addresses_is_followed(server: Loopback) -> None:
    server.page("/old", "", status=301, Location="/new")
    server.page("/new", PAGE)
    response = Fetcher().get(server.url("/old"))
    assert response.status == 200
    assert response.url == server.url("/new")
    assert response.redirects == [server.url("/old")]


def test_allow_private_lets_a_loopback_server_be_fetched(server: Loopback) -> None:
    server.page("/", PAGE)
    response = Fetcher(allow_private=True).get(server.url("/"))
    assert response.body == PAGE.encode()
    assert response.fetched_at.tzinfo is not None


def test_requests_carry_an_honest_user_agent(server: Loopback) -> None:
    server.page("/", PAGE)
    Fetcher(allow_private=True).get(server.url("/"))
    _path, headers = server.requests[0]
    assert headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("briefgen/")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x",
                                 "gopher://127.0.0.1/", "data:text/html,<p>x</p>"])
def test_only_http_and_https_are_fetched(url: str, connections: list[tuple[str, int]]) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        Fetcher(allow_private=True).get(url)
    assert connections == []


def test_redirect_to_a_file_url_is_refused(server: Loopback) -> None:
    server.page("/", "", status=302, Location="file:///etc/passwd")
    with pytest.raises(FetchError, match="only http and https"):
        Fetcher(allow_private=True).get(server.url("/"))


def test_response_over_the_size_cap_is_an_error(server: Loopback) -> None:
    server.page("/big", "x" * 5000)
    with pytest.raises(TooLarge, match="1,000-byte cap"):
        Fetcher(allow_private=True, max_bytes=1000).get(server.url("/big"))


def test_response_over_the_size_cap_without_content_length_is_an_error(
        server: Loopback) -> None:
    def stream(handler: Handler) -> None:
        handler.protocol_version = "HTTP/1.0"
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        for _ in range(50):
            handler.wfile.write(b"y" * 1000)

    server.routes["/stream"] = stream
    with pytest.raises(TooLarge):
        Fetcher(allow_private=True, max_bytes=10_000).get(server.url("/stream"))


def test_compressed_response_is_capped_after_decompression(server: Loopback) -> None:
    import gzip

    server.page("/bomb", gzip.compress(b"z" * 200_000), **{"Content-Encoding": "gzip"})
    with pytest.raises(TooLarge):
        Fetcher(allow_private=True, max_bytes=50_000).get(server.url("/bomb"))


def test_server_that_never_answers_times_out(server: Loopback) -> None:
    def hang(handler: Handler) -> None:
        server.release.wait(30)

    server.routes["/slow"] = hang
    with pytest.raises(FetchTimeout):
        Fetcher(allow_private=True, timeout=0.3).get(server.url("/slow"))


def test_too_many_redirects_is_an_error(server: Loopback) -> None:
    server.page("/loop", "", status=302, Location="/loop")
    with pytest.raises(TooManyRedirects, match="more than 3 redirects"):
        Fetcher(allow_private=True, max_redirects=3).get(server.url("/loop"))
    assert len(server.requests) == 4


def test_trafilatura_never_falls_back_to_unverified_tls() -> None:
    assert safe_config().getboolean("DEFAULT", "INSECURE_SSL_FALLBACK") is False


def test_tls_verification_is_on() -> None:
    tls = Fetcher().tls
    assert tls.verify_mode == ssl.CERT_REQUIRED
    assert tls.check_hostname


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[int, list[int]]]:
    """An HTTPS server on loopback with a self-signed certificate; yields (port, handshakes)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    handshakes: list[int] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            handshakes.append(1)
            conn.settimeout(5)
            try:
                with context.wrap_socket(conn, server_side=True) as tls:
                    tls.recv(1024)
            except (ssl.SSLError, OSError):
                pass
            finally:
                conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], handshakes
    stop.set()
    thread.join()
    listener.close()


def test_bad_certificate_is_a_clear_error_and_never_retried(
        tls_server: tuple[int, list[int]]) -> None:
    port, handshakes = tls_server
    with pytest.raises(CertificateError, match="never retries without certificate checks"):
        Fetcher(allow_private=True).get(f"https://127.0.0.1:{port}/")
    assert len(handshakes) == 1


def test_certificate_failure_reported_by_ssl_is_a_certificate_error(
        monkeypatch: pytest.MonkeyPatch, server: Loopback) -> None:
    calls: list[str] = []

    def failing_wrap(self: ssl.SSLContext, sock: socket.socket, **kwargs: Any) -> Any:
        calls.append(kwargs.get("server_hostname", ""))
        error = ssl.SSLCertVerificationError(1, "certificate verify failed")
        error.verify_message = "self-signed certificate"
        raise error

    monkeypatch.setattr(ssl.SSLContext, "wrap_socket", failing_wrap)
    with pytest.raises(CertificateError, match="self-signed certificate"):
        Fetcher(allow_private=True).get(f"https://localhost:{server.port}/")
    assert calls == ["localhost"]  # the host name is the TLS server name, tried once


def test_international_url_is_sent_as_idna_host_and_percent_encoded_path() -> None:
    assert as_uri("https://пример.рф/новости?тема=порт") == (
        "https://xn--e1afmkfd.xn--p1ai/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8"
        "?%D1%82%D0%B5%D0%BC%D0%B0=%D0%BF%D0%BE%D1%80%D1%82")
    assert as_uri("https://example.org/a%20b?x=1") == "https://example.org/a%20b?x=1"
