"""RELIABILITY.md, Preview server 1-14: raw requests against a real server in a thread."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.diagnostics import Diagnostic
from briefgen.serve.app import ServeOptions
from briefgen.serve.livereload import EVENTS_PATH, Broker
from tests.serve.kit import FixedViews, Serving, get, raw, serving

SECRET = "TOP-SECRET-OUTSIDE"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder `site/` next to `site-leak/`, with links out, dotfiles and a bare folder."""
    site = tmp_path / "site"
    for rel, text in {
        "index.html": "<!doctype html><html><body><h1>Home</h1></body></html>",
        "404.html": "<!doctype html><html><body><h1>Not here</h1></body></html>",
        "about/index.html": "<html><body>About</body></html>",
        "assets/style.css": "body{}",
        "bare/file.txt": "a folder without index.html",
        ".git/config": SECRET, ".env": SECRET, ".briefgen-output": "marker",
    }.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    leak = tmp_path / "site-leak"
    leak.mkdir()
    (leak / "secret.txt").write_text(SECRET)
    (tmp_path / "outside.txt").write_text(SECRET)
    os.symlink(tmp_path / "outside.txt", site / "link.txt")
    os.symlink(leak, site / "linked-folder")
    return site


@pytest.fixture
def srv(out: Path) -> Iterator[Serving]:
    with serving(FixedViews(out)) as s:
        yield s


def assert_refused(response_status: int, body: bytes) -> None:
    assert 400 <= response_status < 500
    assert SECRET.encode() not in body and b"root:x:" not in body


def test_the_default_bind_address_is_loopback() -> None:
    assert ServeOptions(Path(".")).host == "127.0.0.1"


@pytest.mark.parametrize("target", [
    "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/.%2e/.%2e/etc/passwd",
    "/..%2f..%2fetc%2fpasswd", "/%252e%252e/etc/passwd", "/..%2fsite-leak/secret.txt",
    "/%2e%2e%2fsite-leak%2fsecret.txt", "/..%5c..%5cx", "/C:/x", "/c%3a/x", "/%5c%5chost%5cshare",
    "/index.html::$DATA", "/index.html%3a%3a$DATA", "/link.txt", "/linked-folder/secret.txt",
    "/.git/config", "/.env", "/.briefgen-output", "/bare/", "/bare",
])
def test_path_escapes_in_any_encoding_are_refused(srv: Serving, target: str) -> None:
    response = get(srv.port, target)
    assert_refused(response.status, response.body)


@pytest.mark.parametrize("target", ["/%", "/%00", "/%ff%fe", "/a%2", "/" + "a" * 16384,
                                    "/x%0d%0aSet-Cookie:%20a=b", "/%7f"])
def test_malformed_targets_are_4xx_and_the_next_request_is_fine(srv: Serving,
                                                                target: str) -> None:
    response = get(srv.port, target)
    assert 400 <= response.status < 500
    assert "set-cookie" not in response.headers
    assert get(srv.port, "/").status == 200


@pytest.mark.parametrize("line", [b"\x00\x01\x02 garbage\r\n\r\n", b"GARBAGE\r\n\r\n",
                                  b"\r\n\r\n\r\n",
                                  b"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n"])
def test_a_garbage_request_line_is_4xx_and_the_next_request_is_fine(srv: Serving,
                                                                     line: bytes) -> None:
    response = raw(srv.port, line)
    assert response.status == 0 or 400 <= response.status < 500  # 0: closed without a reply
    assert get(srv.port, "/").status == 200


def test_an_unknown_http_version_is_refused_and_the_next_request_is_fine(srv: Serving) -> None:
    assert raw(srv.port, b"GET / HTTP/9.9\r\n\r\n").status == 505
    assert get(srv.port, "/").status == 200


def test_no_directory_listing_and_no_filesystem_path_in_error_pages(srv: Serving,
                                                                     out: Path) -> None:
    for target in ("/bare/", "/assets/", "/nope", "/%00"):
        response = get(srv.port, target)
        assert response.status in (400, 404)
        assert b"file.txt" not in response.body and b"style.css" not in response.body
        assert str(out.parent).encode() not in response.body


def test_a_miss_in_a_language_folder_gets_that_languages_404_page(
        srv: Serving, out: Path, tmp_path: Path) -> None:
    (out / "ru").mkdir()
    (out / "ru" / "404.html").write_text("<html><body>Нет такой страницы</body></html>")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "404.html").write_text(SECRET)
    os.symlink(tmp_path / "elsewhere", out / "xx")  # a language-like folder linked outside
    missing = get(srv.port, "/ru/nowhere/")
    assert missing.status == 404 and "Нет такой страницы".encode() in missing.body
    assert b"Not here" in get(srv.port, "/de/nowhere/").body  # no German 404: the site's
    assert SECRET.encode() not in get(srv.port, "/xx/nowhere/").body
    assert SECRET.encode() not in get(srv.port, "/..%2felsewhere/x").body


def test_clean_urls_serve_index_html_and_misses_get_404_html(srv: Serving) -> None:
    assert b"About" in get(srv.port, "/about/").body
    missing = get(srv.port, "/nowhere/")
    assert missing.status == 404 and b"Not here" in missing.body
    assert get(srv.port, "/assets/style.css").headers["content-type"].startswith("text/css")
    head = get(srv.port, "/about/", method="HEAD")
    assert head.status == 200 and head.body == b""


@pytest.mark.parametrize("target", ["/about", "//about", "//evil.example/about",
                                    "//evil.example/..%2f..%2fabout", "/\\evil.example/%2e%2e%2f",
                                    "/\\\\evil.example/about", "///evil.example//about"])
def test_any_redirect_location_is_a_same_origin_path(srv: Serving, target: str) -> None:
    response = get(srv.port, target)
    location = response.headers.get("location")
    if location is not None:
        assert location.startswith("/") and not location.startswith(("//", "/\\"))
        assert "evil" not in location
    assert get(srv.port, "/about").headers["location"] == "/about/"


@pytest.mark.parametrize("host", ["attacker.example:{port}", "attacker.example", "127.0.0.1",
                                  "localhost:1", "127.0.0.1.nip.io:{port}", "[::2]:{port}",
                                  "localhost:{port}@evil"])
def test_a_foreign_host_header_is_refused(srv: Serving, host: str) -> None:
    response = get(srv.port, "/", host=host.format(port=srv.port))
    assert response.status in (403, 421)
    assert b"Home" not in response.body


@pytest.mark.parametrize("host", ["localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}",
                                  "LOCALHOST:{port}"])
def test_loopback_host_headers_with_the_port_are_served(srv: Serving, host: str) -> None:
    assert get(srv.port, "/", host=host.format(port=srv.port)).status == 200


def test_a_request_without_a_host_header_is_refused(srv: Serving) -> None:
    assert raw(srv.port, b"GET / HTTP/1.0\r\n\r\n").status == 400


def test_the_event_stream_refuses_foreign_origins_and_cross_site_fetches(srv: Serving) -> None:
    evil = get(srv.port, EVENTS_PATH, headers={"Origin": "http://attacker.example"})
    assert evil.status == 403
    null = get(srv.port, EVENTS_PATH, headers={"Origin": "null"})
    assert null.status == 403
    cross = get(srv.port, EVENTS_PATH, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status == 403
    assert get(srv.port, EVENTS_PATH, method="POST").status == 405


def test_no_response_allows_any_origin(srv: Serving) -> None:
    for target in ("/", "/nope", "/%00", "/assets/style.css"):
        response = get(srv.port, target, headers={"Origin": "http://attacker.example"})
        assert "access-control-allow-origin" not in response.headers


def test_the_event_stream_only_sends_reload_or_error_and_reads_no_commands(out: Path) -> None:
    broker = Broker()
    with serving(FixedViews(out), broker=broker) as s, \
            socket.create_connection(("127.0.0.1", s.port), timeout=10) as sock:
        sock.sendall(f"GET {EVENTS_PATH}?token=0&path=/ HTTP/1.1\r\nHost: 127.0.0.1:{s.port}\r\n"
                     f"Origin: http://127.0.0.1:{s.port}\r\n\r\n".encode())
        head = sock.recv(4096)
        assert head.startswith(b"HTTP/1.1 200") and b"text/event-stream" in head
        assert b"access-control-allow-origin" not in head.lower()
        sock.sendall(b"data: reload\n\nPOST /shutdown HTTP/1.1\r\n\r\n")  # ignored
        deadline = time.monotonic() + 10
        while len(broker) == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        broker.publish("reload", 1)
        rest = b""
        while b"data:" not in rest:
            chunk = sock.recv(4096)
            if not chunk:
                break
            rest += chunk
    messages = [line for line in (head + rest).split(b"\n") if line.startswith(b"data:")]
    assert messages == [b"data: reload"]


def test_nothing_from_the_request_is_reflected(out: Path) -> None:
    failure = (Diagnostic("content/briefings/x.md", 2, 1, "error", "title <b>x</b>"),)
    payload = '"><script>x</script>'
    with serving(FixedViews(out, failure)) as s:
        for target in (f"/?{payload}", f"/nope{payload}", f"/%00{payload}", f"/about/?{payload}"):
            response = get(s.port, target)
            assert b"<script>x</script>" not in response.body
            assert b"&lt;script&gt;x" not in response.body  # not even escaped: not echoed at all
        overlay = get(s.port, "/").text
        assert "title &lt;b&gt;x&lt;/b&gt;" in overlay and "<b>x</b>" not in overlay


def test_control_characters_in_requests_are_escaped_in_the_log(srv: Serving) -> None:
    raw(srv.port, b"GET /\x1b[31mred\x07 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    raw(srv.port, b"\x1b]0;owned\x07 x\r\n\r\n")
    deadline = time.monotonic() + 5
    while len(srv.logs) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert srv.logs
    for entry in srv.logs:
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in entry)
    assert any("\\x1b" in entry for entry in srv.logs)


def test_fifty_open_event_streams_do_not_delay_a_page(srv: Serving) -> None:
    streams = []
    try:
        for _ in range(50):
            sock = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
            sock.sendall(f"GET {EVENTS_PATH}?token=0 HTTP/1.1\r\nHost: 127.0.0.1:{srv.port}"
                         "\r\n\r\n".encode())
            streams.append(sock)
        for sock in streams:
            assert sock.recv(64).startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        response = get(srv.port, "/")
        assert response.status == 200
        assert time.monotonic() - started < 2.0
        assert len(srv.server.broker) == 50
    finally:
        for sock in streams:
            sock.close()


def test_a_wildcard_bind_also_accepts_ip_literal_hosts_but_not_names(out: Path) -> None:
    with serving(FixedViews(out), host="0.0.0.0") as s:
        assert get(s.port, "/", host=f"192.168.1.20:{s.port}").status == 200
        assert get(s.port, "/", host=f"attacker.example:{s.port}").status == 403
