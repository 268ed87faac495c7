"""`briefgen check --external` (RELIABILITY 56): every source URL fetched with the clipper's safe
rules, one request at a time per host; dead and moved links are warnings at the `url:` value,
naming the archived copy; robots.txt is obeyed; a plain build or check never goes on the network."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from briefgen.build import BuildOptions, BuildResult, build
from briefgen.cli import cli
from briefgen.clip.fetch import Fetcher
from briefgen.external import ExternalOptions
from tests.sitekit import CONFIG, NOW, write_site


@dataclass
class Route:
    """How the test server answers a path."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"<p>Still here.</p>"
    head: bool = True  # False: HEAD is answered 405 Method Not Allowed
    wait: float = 0.0  # seconds before answering


@dataclass
class Server:
    """A loopback HTTP server that records each request and the most it served at once."""

    port: int = 0
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    busy: int = 0
    most_at_once: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def asked(self, path: str) -> list[str]:
        return [method for method, asked in self.requests if asked == path]


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def _answer(self, head: bool) -> None:
        record: Server = self.server.record
        with record.lock:
            record.requests.append((self.command, self.path))
            record.busy += 1
            record.most_at_once = max(record.most_at_once, record.busy)
        route = record.routes.get(self.path, Route(404, body=b"no such page"))
        time.sleep(route.wait)
        with record.lock:  # before a byte of the answer goes out: the next request may follow
            record.busy -= 1
        status = 405 if head and not route.head else route.status
        self.send_response(status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        if not head:
            self.wfile.write(route.body)

    def log_message(self, format: str, *args: Any) -> None:
        return


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # a client that gave up on a slow answer closes its socket: not a test failure


@pytest.fixture
def server() -> Iterator[Server]:
    record = Server()
    httpd = _Quiet(("127.0.0.1", 0), _Handler)
    httpd.record = record  # type: ignore[attr-defined]
    record.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield record
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def library_source(source_id: str, url: str) -> str:
    """A library source file whose url: value is on line 4, column 6."""
    return (f"-- content/sources/{source_id}.md --\n---\ntitle: Report {source_id}\n"
            f"outlet: The Courier\nurl: {url}\n---\n")


def make_site(root: Path, urls: dict[str, str], extra: str = "") -> Path:
    """A site whose library holds a source per (id, url), all cited by one briefing."""
    spec = CONFIG + "".join(library_source(sid, url) for sid, url in urls.items())
    cites = " ".join(f"[@{sid}]" for sid in urls)
    spec += ("-- content/briefings/b.md --\n---\ntitle: Harbour week\ndate: 2026-02-04\n---\n"
             f"The harbour reopened {cites}.\n" + extra)
    return write_site(root, spec)


def options(**given: Any) -> ExternalOptions:
    given.setdefault("allow_private", True)
    given.setdefault("timeout", 2.0)
    given.setdefault("delay", 0.0)
    return ExternalOptions(**given)


def check_external(root: Path, **given: Any) -> BuildResult:
    return build(BuildOptions(root, write=False, check_links=True, now=NOW,
                              external=options(**given)))


def external_lines(result: BuildResult) -> list[str]:
    return [d.format() for d in result.diagnostics
            if "link" in d.message or d.message.startswith("not checked")]


def test_live_link_gives_no_warning_and_is_counted(tmp_path: Path, server: Server) -> None:
    server.routes["/live"] = Route()
    result = check_external(make_site(tmp_path, {"live": server.url("/live")}))
    assert external_lines(result) == []
    assert result.counts["external_urls"] == 1
    assert result.counts["external_warnings"] == 0
    assert server.asked("/live") == ["HEAD"]


@pytest.mark.parametrize(("status", "reason"), [(404, "Not Found"), (410, "Gone"),
                                                 (500, "Internal Server Error")])
def test_client_and_server_errors_are_dead_links_at_the_url_value(
        tmp_path: Path, server: Server, status: int, reason: str) -> None:
    server.routes["/x"] = Route(status)
    result = check_external(make_site(tmp_path, {"gone": server.url("/x")}))
    assert external_lines(result) == [
        f"content/sources/gone.md:4:6: warning: dead link {server.url('/x')}: answered "
        f"{status} {reason}; no archived copy of it is kept"]
    assert result.counts["external_dead"] == 1
    assert not result.diagnostics.has_errors()


def test_server_that_does_not_answer_in_time_is_a_dead_link(
        tmp_path: Path, server: Server) -> None:
    server.routes["/slow"] = Route(wait=3.0)
    started = time.monotonic()
    result = check_external(make_site(tmp_path, {"slow": server.url("/slow")}), timeout=0.3)
    assert time.monotonic() - started < 2.5
    [line] = external_lines(result)
    assert line.endswith(f"dead link {server.url('/slow')}: did not answer within 0.3 s; "
                         "no archived copy of it is kept")


@pytest.mark.parametrize("status", [301, 308])
def test_permanent_redirect_is_a_moved_link_naming_the_new_address(
        tmp_path: Path, server: Server, status: int) -> None:
    server.routes["/old"] = Route(status, {"Location": "/new"})
    server.routes["/new"] = Route()
    result = check_external(make_site(tmp_path, {"moved": server.url("/old")}))
    assert external_lines(result) == [
        f"content/sources/moved.md:4:6: warning: moved link {server.url('/old')}: it redirects "
        f"permanently ({status}) to {server.url('/new')}; update the url"]
    assert result.counts["external_moved"] == 1


def test_temporary_redirect_to_a_live_page_is_no_warning(tmp_path: Path, server: Server) -> None:
    server.routes["/today"] = Route(302, {"Location": "/live"})
    server.routes["/live"] = Route()
    assert external_lines(check_external(make_site(tmp_path, {"t": server.url("/today")}))) == []


def test_page_robots_txt_disallows_is_not_checked_and_not_called_dead(
        tmp_path: Path, server: Server) -> None:
    server.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /members/\n")
    server.routes["/members/report"] = Route(404)
    result = check_external(make_site(tmp_path, {"kept": server.url("/members/report")}))
    [line] = external_lines(result)
    assert line.startswith(f"content/sources/kept.md:4:6: info: not checked: "
                           f"{server.url('/members/report')}: robots.txt forbids it")
    assert server.asked("/members/report") == []
    assert result.counts["external_skipped"] == 1
    assert result.counts["external_warnings"] == 0


def test_one_host_gets_one_request_at_a_time(tmp_path: Path, server: Server) -> None:
    urls = {}
    for number in range(6):
        server.routes[f"/p{number}"] = Route(wait=0.1)
        urls[f"p{number}"] = server.url(f"/p{number}")
    result = check_external(make_site(tmp_path, urls), workers=6)
    assert external_lines(result) == []
    assert len(server.requests) == 7  # robots.txt once, then each page
    assert server.most_at_once == 1


def test_pause_between_requests_to_one_host_is_kept(tmp_path: Path, server: Server) -> None:
    for name in ("a", "b", "c"):
        server.routes[f"/{name}"] = Route()
    started = time.monotonic()
    check_external(make_site(tmp_path, {n: server.url(f"/{n}") for n in "abc"}), delay=0.2)
    assert time.monotonic() - started >= 0.6  # robots.txt, then three pages: three pauses


def test_url_cited_by_two_sources_is_fetched_once_and_reported_at_both(
        tmp_path: Path, server: Server) -> None:
    url = server.url("/shared")
    inline = ("sources:\n  - id: wire-copy\n    title: The same report\n    outlet: Wire\n"
              f"    url: {url}#para-2\n")
    spec = CONFIG + library_source("first", url) + (
        "-- content/briefings/b.md --\n---\ntitle: Harbour week\ndate: 2026-02-04\n"
        f"{inline}---\nTwice [@first] [@wire-copy].\n")
    result = check_external(write_site(tmp_path, spec))
    assert server.asked("/shared") == ["HEAD"]
    assert [line.split(": warning:")[0] for line in external_lines(result)] == [
        "content/briefings/b.md:8:10", "content/sources/first.md:4:6"]
    assert result.counts["external_urls"] == 1
    assert result.counts["external_warnings"] == 2


def test_head_refused_is_asked_again_with_get(tmp_path: Path, server: Server) -> None:
    server.routes["/no-head"] = Route(head=False)
    result = check_external(make_site(tmp_path, {"g": server.url("/no-head")}))
    assert external_lines(result) == []
    assert server.asked("/no-head") == ["HEAD", "GET"]


def test_url_with_cyrillic_path_is_sent_percent_encoded(tmp_path: Path, server: Server) -> None:
    encoded = "/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/%D0%BF%D0%BE%D1%80%D1%82"
    server.routes[encoded] = Route()
    result = check_external(make_site(tmp_path, {"port": server.url("/новости/порт")}))
    assert external_lines(result) == []
    assert server.asked(encoded) == ["HEAD"]


def test_dead_link_names_the_snapshot_clip_kept(tmp_path: Path, server: Server) -> None:
    root = make_site(tmp_path, {"gone": server.url("/gone")})
    older = root / ".briefgen-archive" / "gone" / "20260101T090000Z"
    newer = root / ".briefgen-archive" / "gone" / "20260204T081500Z"
    for folder in (older, newer):
        folder.mkdir(parents=True)
        (folder / "page.html").write_text("<p>The harbour reopened.</p>", encoding="utf-8")
    [line] = external_lines(check_external(root))
    assert line.endswith("answered 404 Not Found; cite the archived copy "
                         ".briefgen-archive/gone/20260204T081500Z/page.html (clipped 4 February "
                         "2026) instead")


def test_dead_link_names_the_archive_url_of_the_source(tmp_path: Path, server: Server) -> None:
    root = make_site(tmp_path, {"gone": server.url("/gone")})
    path = root / "content" / "sources" / "gone.md"
    path.write_text(path.read_text("utf-8").replace(
        "url: ", "archive_url: https://archive.example.org/gone\nurl: ", 1), encoding="utf-8")
    [line] = external_lines(check_external(root))
    assert line.endswith("cite the archived copy https://archive.example.org/gone instead")


def test_unknown_host_is_a_dead_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(host: str, *args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    result = check_external(make_site(tmp_path, {"lost": "https://lost.example.org/story"}))
    [line] = external_lines(result)
    assert line.startswith("content/sources/lost.md:4:6: warning: dead link "
                           "https://lost.example.org/story: cannot resolve host "
                           "'lost.example.org'")


def test_loopback_host_is_not_checked_without_allow_private(
        tmp_path: Path, server: Server) -> None:
    server.routes["/live"] = Route()
    result = check_external(make_site(tmp_path, {"here": server.url("/live")}),
                            allow_private=False)
    [line] = external_lines(result)
    assert ": info: not checked: " in line and "loopback address" in line
    assert server.requests == []


def test_urls_left_when_the_time_limit_runs_out_are_named(
        tmp_path: Path, server: Server) -> None:
    server.routes["/late"] = Route()
    result = check_external(make_site(tmp_path, {"late": server.url("/late")}), time_limit=0)
    [line] = external_lines(result)
    assert line.endswith("not checked: " + server.url("/late") + ": the 0 s time limit of "
                         "check --external ran out before it")
    assert server.requests == []


# -- the command -------------------------------------------------------------------------------


def run_check(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--site", str(root), "check", "--external",
                                    "--allow-private", "--timeout", "2", *args])


def test_command_with_dead_links_exits_0_and_counts_them(tmp_path: Path, server: Server) -> None:
    server.routes["/live"] = Route()
    root = make_site(tmp_path, {"live": server.url("/live"), "dead": server.url("/dead")})
    result = run_check(root)
    assert result.exit_code == 0, result.output
    assert f"content/sources/dead.md:4:6: warning: dead link {server.url('/dead')}" \
        in result.stderr
    assert "external links: 2 URLs checked, 1 warning (1 dead, 0 moved)" in result.stderr
    assert "0 errors, 1 warning" in result.stderr


def test_command_with_strict_fails_on_a_dead_link(tmp_path: Path, server: Server) -> None:
    root = make_site(tmp_path, {"dead": server.url("/dead")})
    result = run_check(root, "--strict")
    assert result.exit_code == 1
    assert "dead link" in result.stderr


def test_command_reports_dead_links_as_json(tmp_path: Path, server: Server) -> None:
    root = make_site(tmp_path, {"dead": server.url("/dead")})
    result = run_check(root, "--format", "json")
    assert result.exit_code == 0
    rows = [row for row in json.loads(result.stdout) if "link" in row["message"]]
    assert [(r["path"], r["line"], r["col"], r["severity"]) for r in rows] == [
        ("content/sources/dead.md", 4, 6, "warning")]


@pytest.mark.parametrize("option", [["--timeout", "3"], ["--allow-private"]])
def test_external_options_without_external_are_a_usage_error(
        tmp_path: Path, option: list[str]) -> None:
    root = make_site(tmp_path, {"far": "https://far.example.org/story"})
    result = CliRunner().invoke(cli, ["--site", str(root), "check", *option])
    assert result.exit_code == 2
    assert "only applies to --external" in result.stderr


# -- RELIABILITY 56: nothing else goes on the network ------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every attempt to resolve a name, connect or fetch, recorded and refused."""
    tried: list[str] = []

    def refuse(what: str) -> Any:
        def refused(*args: Any, **kwargs: Any) -> Any:
            tried.append(what)
            raise OSError(f"the test forbids {what}")
        return refused

    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(Fetcher, "get", refuse("Fetcher.get"))
    monkeypatch.setattr(Fetcher, "probe", refuse("Fetcher.probe"))
    return tried


def test_plain_build_and_check_make_no_network_connection(
        tmp_path: Path, no_network: list[str]) -> None:
    root = make_site(tmp_path, {"far": "https://far.example.org/story"})
    snapshot = root / ".briefgen-archive" / "far" / "20260204T081500Z"
    snapshot.mkdir(parents=True)
    (snapshot / "page.html").write_text("<p>Far away.</p>", encoding="utf-8")
    runner = CliRunner()
    built = runner.invoke(cli, ["--site", str(root), "build", "-j", "1"])
    assert built.exit_code == 0, built.output
    checked = runner.invoke(cli, ["--site", str(root), "check"])
    assert checked.exit_code == 0, checked.output
    assert "external links" not in checked.stderr
    assert no_network == []
