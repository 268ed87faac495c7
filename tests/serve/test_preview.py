"""The running preview over HTTP: rebuilds, the error overlay and its recovery, requests during a
rebuild, drafts, and the live-reload script kept out of the files on disk."""

from __future__ import annotations

import contextlib
import socket
import threading
from pathlib import Path
from typing import Any

from briefgen.output import MARKER
from briefgen.serve.app import CACHE_DIR, PreviewApp
from briefgen.serve.changes import RebuildPlan
from briefgen.serve.livereload import EVENTS_PATH
from briefgen.serve.overlay import OVERLAY_ID
from briefgen.serve.rebuild import BuildOutcome, FullRebuilder
from tests.serve.conftest import StartPreview
from tests.serve.kit import BRIEFING, get, wait_until

BRIEFING_FILE = "content/briefings/2026/02/harbour.md"


def page(app: PreviewApp, target: str = BRIEFING) -> str:
    return get(app.server.port, target).text


def wait_page(app: PreviewApp, target: str, test: Any, what: str) -> str:
    """The page's HTML once test(html) holds."""
    def ready() -> str | None:
        html = page(app, target)
        return html if test(html) else None
    result: str = wait_until(ready, what=what)
    return result


def edit(app: PreviewApp, rel: str, old: str, new: str) -> None:
    path = app.root / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_an_edit_is_served_after_the_rebuild(start_preview: StartPreview) -> None:
    app = start_preview()
    assert "The harbour reopened on Monday." in page(app)
    edit(app, BRIEFING_FILE, "on Monday", "on Tuesday")
    wait_until(lambda: "reopened on Tuesday" in page(app), what="the edit")


def test_a_broken_front_matter_shows_the_overlay_over_the_last_good_page_until_fixed(
        start_preview: StartPreview) -> None:
    app = start_preview()
    edit(app, BRIEFING_FILE, "title: Harbour reopens", "title: [Harbour <reopens")
    html = wait_page(app, BRIEFING, lambda t: OVERLAY_ID in t, "the overlay")
    # the unclosed [ itself: path:line:col, and the lines around it
    assert f"{BRIEFING_FILE}:2:8" in html and "malformed YAML" in html
    assert "&gt; 2 | title: [Harbour &lt;reopens" in html  # escaped
    assert "  3 | date: 2026-02-04T10:00:00Z" in html
    assert "The harbour reopened on Monday." in html  # the last good page underneath
    assert OVERLAY_ID in page(app, "/")  # on every HTML page
    assert OVERLAY_ID in page(app, "/nowhere/")  # the 404 page too
    assert OVERLAY_ID not in page(app, "/assets/pygments.css")  # not in other files
    edit(app, BRIEFING_FILE, "title: [Harbour <reopens", "title: Harbour reopens again")
    fixed = wait_page(app, BRIEFING, lambda t: OVERLAY_ID not in t, "the overlay to go")
    assert "Harbour reopens again" in fixed


def test_a_template_error_is_shown_with_the_template_line(start_preview: StartPreview) -> None:
    app = start_preview()
    template = app.root / "themes/default/templates/briefing.html"
    template.parent.mkdir(parents=True)
    template.write_text('{% extends "base.html" %}\n{% block main %}\n{{ briefing.title \n'
                        '{% endblock %}\n')
    html = wait_page(app, BRIEFING, lambda t: OVERLAY_ID in t, "the overlay")
    assert "themes/default/templates/briefing.html:" in html
    template.unlink()
    wait_until(lambda: OVERLAY_ID not in page(app), what="the overlay to go")


def test_a_config_error_keeps_the_server_up(start_preview: StartPreview) -> None:
    app = start_preview()
    config = app.root / "briefgen.yaml"
    good = config.read_text()
    config.write_text(good + "pagination: many\n")
    html = wait_page(app, "/", lambda t: OVERLAY_ID in t, "the overlay")
    assert "briefgen.yaml:" in html
    config.write_text(good)
    wait_until(lambda: OVERLAY_ID not in page(app, "/"), what="the overlay to go")


class GatedRebuilder:
    """A full rebuild that, from the second build on, stops half-way until released: it has
    written a partial file into its target folder, as a real build does while writing."""

    def __init__(self, root: Path, base_url: str) -> None:
        self.inner = FullRebuilder(root, base_url)
        self.calls = 0
        self.midway = threading.Event()
        self.release = threading.Event()

    def rebuild(self, plan: RebuildPlan, previous: Path | None, target: Path) -> BuildOutcome:
        self.calls += 1
        if self.calls > 1:
            partial = target / BRIEFING.strip("/") / "index.html"
            partial.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text("<html><body>HALF-WRITTEN")
            (target / MARKER).write_text("a build folder, being written")
            self.midway.set()
            assert self.release.wait(60)
        return self.inner.rebuild(plan, previous, target)


def test_requests_during_a_rebuild_get_the_last_complete_build(
        start_preview: StartPreview) -> None:
    gates: list[GatedRebuilder] = []

    def make(root: Path, base_url: str) -> GatedRebuilder:
        gates.append(GatedRebuilder(root, base_url))
        return gates[-1]

    app = start_preview(rebuilder=make)
    gate = gates[0]
    edit(app, BRIEFING_FILE, "on Monday", "on Wednesday")
    assert gate.midway.wait(60)
    for _ in range(20):  # the half-written folder is never served
        html = page(app)
        assert "HALF-WRITTEN" not in html and "reopened on Monday" in html
    gate.release.set()
    wait_until(lambda: "reopened on Wednesday" in page(app), what="the new build")


def test_drafts_are_served_and_marked_only_when_asked_for(start_preview: StartPreview) -> None:
    plain = start_preview()
    assert get(plain.server.port, "/briefings/2026/02/ferry-plan/").status == 404
    drafts = start_preview(drafts=True)
    html = page(drafts, "/briefings/2026/02/ferry-plan/")
    assert "The ferry plan is still a draft." in html
    assert '<p class="flag">Draft</p>' in html


def test_the_preview_builds_outside_site_and_injects_its_script_only_into_responses(
        start_preview: StartPreview) -> None:
    app = start_preview()
    assert not (app.root / "site").exists()
    assert "data-briefgen-livereload" in page(app)
    built = list((app.root / CACHE_DIR).glob("*/briefings/2026/02/harbour/index.html"))
    assert built
    for file in built:
        assert "briefgen-livereload" not in file.read_text()
        assert "__briefgen" not in file.read_text()


def open_stream(app: PreviewApp, page_path: str, token: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", app.server.port), timeout=60)
    sock.sendall(f"GET {EVENTS_PATH}?token={token}&path={page_path} HTTP/1.1\r\n"
                 f"Host: 127.0.0.1:{app.server.port}\r\n\r\n".encode())
    return sock


def read_message(sock: socket.socket) -> str:
    data = b""
    while b"data: " not in data or not data.endswith(b"\n\n"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b"data: ")[-1].strip().decode() if b"data: " in data else ""


def test_pages_reload_after_a_rebuild_that_changed_them_and_at_once_when_stale(
        start_preview: StartPreview) -> None:
    app = start_preview()
    generation = app.preview.generation
    other = "/briefings/2026/02/nowhere/"  # a page whose HTML (the 404 page) will not change
    with open_stream(app, BRIEFING, generation) as mine, \
            open_stream(app, other, generation) as theirs:
        wait_until(lambda: len(app.broker) == 2, what="two subscribers")
        edit(app, BRIEFING_FILE, "on Monday", "on Friday")
        assert read_message(mine) == "reload"
        theirs.settimeout(1.0)
        with contextlib.suppress(TimeoutError):
            assert theirs.recv(4096).count(b"data:") == 0
    with open_stream(app, BRIEFING, generation) as stale:  # a page served before that build
        assert read_message(stale) == "reload"


def test_a_failed_build_sends_error_to_every_open_page(start_preview: StartPreview) -> None:
    app = start_preview()
    with open_stream(app, "/", app.preview.generation) as sock:
        wait_until(lambda: len(app.broker) == 1, what="a subscriber")
        edit(app, BRIEFING_FILE, "title: Harbour reopens", "title: [broken")
        assert read_message(sock) == "error"


def test_the_preview_logs_each_change_and_build(start_preview: StartPreview) -> None:
    app = start_preview()
    edit(app, BRIEFING_FILE, "on Monday", "on Sunday")
    wait_until(lambda: "reopened on Sunday" in page(app), what="the edit")
    logs: list[Any] = app.logs  # type: ignore[attr-defined]
    assert any(line.startswith("Built in") for line in logs)
    assert any(f"Changed: {BRIEFING_FILE}; rebuilding." == line for line in logs)


def test_only_the_build_is_served_never_the_site_sources(start_preview: StartPreview) -> None:
    app = start_preview()
    for target in ("/briefgen.yaml", f"/{BRIEFING_FILE}", "/content/", "/.briefgen-cache/",
                   "/themes/", "/a/index.html", "/.git/config"):
        response = get(app.server.port, target)
        assert response.status in (400, 404), target
        assert b"title: Harbour reopens" not in response.body
