"""Starting the preview again: the pages the last one left are served at once when a build with
the same options made them, brought up to date by the first build, and live edits work once the
kept build is made beside them."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefgen.serve.app import CACHE_DIR, PreviewApp, ServeOptions
from briefgen.serve.changes import RebuildPlan
from briefgen.serve.live import LiveRebuilder
from briefgen.serve.rebuild import BuildOutcome
from tests.serve.kit import BRIEFING, SITE, get, wait_until
from tests.sitekit import NOW

BRIEFING_FILE = "content/briefings/2026/02/harbour.md"
RESUMED = "Serving the last preview's pages"


class GatedRebuilder(LiveRebuilder):
    """The preview's live rebuilder, whose rebuilds wait until the gate opens."""

    gate: threading.Event

    def rebuild(self, plan: RebuildPlan, previous: Path | None, target: Path) -> BuildOutcome:
        assert self.gate.wait(60)
        return super().rebuild(plan, previous, target)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


Start = Callable[..., PreviewApp]


@pytest.fixture
def preview(make_site: Callable[..., Path]) -> Iterator[tuple[Path, Start]]:
    """A site, and start(gate=None) -> a preview of it, always on the same port (the preview
    builds for its own address)."""
    root = make_site(SITE)
    port = _free_port()
    apps: list[PreviewApp] = []

    def start(gate: threading.Event | None = None, drafts: bool = False) -> PreviewApp:
        opened = gate or threading.Event()
        if gate is None:
            opened.set()

        def rebuilder(site: Path, base_url: str) -> GatedRebuilder:
            made = GatedRebuilder(site, base_url, drafts=drafts, now=NOW, jobs=1)
            made.gate = opened
            return made

        logs: list[str] = []
        app = PreviewApp(ServeOptions(root, port=port, now=NOW, drafts=drafts), log=logs.append,
                         rebuilder=rebuilder)
        app.logs = logs  # type: ignore[attr-defined]
        apps.append(app)
        app.start()
        return app

    yield root, start
    for app in apps:
        app.stop()


def _page(app: PreviewApp) -> str:
    return get(app.server.port, BRIEFING).text


def _first_run(start: Start) -> None:
    app = start()
    assert app.wait_first_build(60)
    app.stop()


def test_an_unchanged_site_is_served_before_the_first_build_finishes(
        preview: tuple[Path, Start]) -> None:
    root, start = preview
    _first_run(start)
    gate = threading.Event()
    app = start(gate)
    # the build is held at the gate: the page comes from the last preview's folder
    wait_until(lambda: "The harbour reopened on Monday." in _page(app), what="the page")
    assert any(RESUMED in line for line in app.logs)  # type: ignore[attr-defined]
    assert not app.wait_first_build(0.2)
    gate.set()
    assert app.wait_first_build(60)
    assert app.preview.last is not None and app.preview.last.counts["written"] == 0
    # the kept build made beside it edits in place
    path = root / BRIEFING_FILE
    path.write_text(path.read_text().replace("on Monday", "on Tuesday"))
    wait_until(lambda: "reopened on Tuesday" in _page(app), what="the edit")
    assert app.preview.last.staged is not None or app.preview.last.counts.get("rendered")


def test_a_file_changed_since_the_last_preview_is_shown_once_the_first_build_is_done(
        preview: tuple[Path, Start]) -> None:
    root, start = preview
    _first_run(start)
    path = root / BRIEFING_FILE
    path.write_text(path.read_text().replace("on Monday", "on Wednesday"))
    gate = threading.Event()
    app = start(gate)
    wait_until(lambda: "reopened on Monday" in _page(app), what="the last preview's page")
    logs: list[str] = app.logs  # type: ignore[attr-defined]
    assert any("while the first build brings them up to date" in line for line in logs)
    gate.set()
    assert app.wait_first_build(60)
    assert "reopened on Wednesday" in _page(app)
    assert app.preview.last is not None and 0 < app.preview.last.counts["written"] < 10


def test_a_page_removed_from_the_preview_folder_by_hand_comes_back_with_the_first_build(
        preview: tuple[Path, Start]) -> None:
    root, start = preview
    _first_run(start)
    removed = [page for page in (root / CACHE_DIR).glob("*/briefings/2026/02/harbour/index.html")]
    assert removed
    for page in removed:
        page.unlink()
    app = start()
    assert app.wait_first_build(60)
    assert "The harbour reopened on Monday." in _page(app)


def test_pages_made_with_other_options_are_not_served(preview: tuple[Path, Start]) -> None:
    _root, start = preview
    _first_run(start)
    gate = threading.Event()
    app = start(gate, drafts=True)
    assert "reopened" not in _page(app)  # the "building" page, not the last preview's
    assert not any(RESUMED in line for line in app.logs)  # type: ignore[attr-defined]
    gate.set()
    assert app.wait_first_build(60)
    assert "reopened on Monday" in _page(app)
