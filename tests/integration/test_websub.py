"""WebSub: every feed names the hub, and `briefgen ping` tells a real (local) hub exactly which
feeds changed since the last accepted ping."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.urls import FEED_FILES
from tests.sitekit import CONFIG, build_errors, build_site, write_site


class Hub:
    """A hub on loopback that records each publish ping and answers with `status`."""

    def __init__(self) -> None:
        self.pinged: list[str] = []
        self.status = 204
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = parse_qs(self.rfile.read(length).decode())
                assert form["hub.mode"] == ["publish"]
                hub.pinged += form["hub.url"]
                self.send_response(hub.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def hub() -> Iterator[Hub]:
    found = Hub()
    yield found
    found.server.shutdown()
    found.server.server_close()


def site_with(tmp_path: Path, hub: Hub) -> Path:
    return write_site(tmp_path / "desk", CONFIG + f"""
websub:
  hub: {hub.url}
-- content/categories.yaml --
analysis:
  name: Analysis
opinion:
  name: Opinion
-- content/briefings/alpha.md --
---
title: Alpha
date: 2026-11-20T09:00:00Z
category: analysis
---
Alpha.
-- content/briefings/beta.md --
---
title: Beta
date: 2026-11-21T09:00:00Z
category: opinion
---
Beta.
""")


def ping(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--site", str(root), "ping", "--allow-private"])
    return result.exit_code, result.output


def feeds(root: Path) -> dict[str, str]:
    """Every published feed's URL and a digest of its bytes."""
    out = root / "site"
    return {"https://example.org/" + p.relative_to(out).as_posix():
            hashlib.sha256(p.read_bytes()).hexdigest()
            for p in out.rglob("*") if p.name in FEED_FILES}


def test_every_feed_names_the_hub(tmp_path: Path, hub: Hub) -> None:
    root = site_with(tmp_path, hub)
    build_site(root, jobs=1)
    rss = (root / "site/feed.xml").read_text()
    assert f'<atom:link href="{hub.url}" rel="hub"/>' in rss
    assert "<link>https://example.org/</link>" in rss  # the channel's own link is kept
    assert f'<link href="{hub.url}" rel="hub"/>' in (root / "site/atom.xml").read_text()
    listed = json.loads((root / "site/categories/analysis/feed.json").read_text())
    assert listed["hubs"] == [{"type": "WebSub", "url": hub.url}]


def test_a_ping_announces_exactly_the_feeds_that_changed(tmp_path: Path, hub: Hub) -> None:
    root = site_with(tmp_path, hub)
    build_site(root, jobs=1)
    first = feeds(root)
    code, output = ping(root)
    assert code == 0, output
    assert sorted(hub.pinged) == sorted(first)  # the first ping: every feed
    hub.pinged.clear()
    assert ping(root)[0] == 0 and hub.pinged == []  # nothing changed: nothing sent
    beta = root / "content/briefings/beta.md"
    beta.write_text(beta.read_text().replace("title: Beta", "title: Beta, revised"))
    build_site(root, jobs=1)
    now = feeds(root)
    changed = {url for url in now if first.get(url) != now[url]}
    assert changed and any("/categories/opinion/" in url for url in changed)
    assert not any("/categories/analysis/" in url for url in changed)
    code, output = ping(root)
    assert code == 0 and sorted(hub.pinged) == sorted(changed), output
    assert f"for {len(changed)} changed feeds" in output


def test_a_hub_that_refuses_fails_the_ping_and_the_feeds_are_tried_again(
        tmp_path: Path, hub: Hub) -> None:
    root = site_with(tmp_path, hub)
    build_site(root, jobs=1)
    hub.status = 503
    code, output = ping(root)
    assert code == 1
    assert "the hub answered 503" in output
    hub.status, hub.pinged = 204, []
    assert ping(root)[0] == 0
    assert sorted(hub.pinged) == sorted(feeds(root))  # none was remembered as pinged


def test_a_hub_on_a_private_address_is_refused_unless_allowed(tmp_path: Path, hub: Hub) -> None:
    root = site_with(tmp_path, hub)
    build_site(root, jobs=1)
    result = CliRunner().invoke(cli, ["--site", str(root), "ping"])
    assert result.exit_code == 1 and hub.pinged == []
    assert "private" in result.output or "loopback" in result.output, result.output


def test_ping_without_a_hub_says_what_to_set(tmp_path: Path) -> None:
    root = write_site(tmp_path / "desk", CONFIG)
    result = CliRunner().invoke(cli, ["--site", str(root), "ping"])
    assert result.exit_code == 2 and "websub:" in result.output


def test_a_hub_that_is_not_a_url_is_an_error_at_its_line(tmp_path: Path) -> None:
    root = write_site(tmp_path / "desk", CONFIG + "websub:\n  hub: not a url\n")
    assert any(e.startswith("briefgen.yaml:6:8: error") for e in build_errors(root))


def test_a_ping_out_of_time_sends_nothing_more_and_leaves_the_rest_for_next_time(
        tmp_path: Path, hub: Hub) -> None:
    from briefgen.clip.fetch import Fetcher
    from briefgen.websub import ping as ping_feeds

    root = site_with(tmp_path, hub)
    build_site(root, jobs=1)
    report = ping_feeds(root, root / "site", "https://example.org/", hub.url,
                        Fetcher(allow_private=True), budget=0)
    assert hub.pinged == [] and report.sent == []
    assert len(report.failed) == len(feeds(root))
    assert all("ran out of its 0 s" in why for _url, why in report.failed)
    assert ping(root)[0] == 0 and sorted(hub.pinged) == sorted(feeds(root))
