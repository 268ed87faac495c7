"""Scheduled publishing: a briefing dated ahead appears on the first build after its moment,
`expires:` takes a briefing out of the lists and feeds (its page stays, with a note), and every
build writes when the site next changes by the clock alone to .briefgen/next-change."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from briefgen.schedule import NEXT_CHANGE
from tests.sitekit import CONFIG, NOW, build_errors, build_site, cold_tree, tree, write_site

AHEAD = NOW + timedelta(minutes=1)
EXPIRES = NOW + timedelta(hours=1)

SITE = CONFIG + f"""
-- content/categories.yaml --
analysis:
  name: Analysis
-- content/briefings/alpha.md --
---
title: Alpha
date: 2026-11-20T09:00:00Z
category: analysis
---
Alpha is published.
-- content/briefings/beta.md --
---
title: Beta
date: {AHEAD.isoformat()}
category: analysis
---
Beta is scheduled a minute ahead.
-- content/briefings/gamma.md --
---
title: Gamma
date: 2026-11-21T09:00:00Z
expires: {EXPIRES.isoformat()}
category: analysis
---
Gamma is on the site for an hour more.
"""

LISTS = ("index.html", "feed.xml", "atom.xml", "feed.json", "sitemap.xml",
         "categories/analysis/index.html", "archive/2026/index.html")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return write_site(tmp_path / "desk", SITE)


def text(root: Path, rel: str) -> str:
    return (root / "site" / rel).read_text(encoding="utf-8")


def test_a_briefing_dated_a_minute_ahead_appears_on_the_first_build_after_that_minute(
        site: Path) -> None:
    first = build_site(site, jobs=1)
    assert "Beta" not in text(site, "index.html")
    assert first.next_change == AHEAD
    assert (site / NEXT_CHANGE).read_text() == AHEAD.isoformat() + "\n"
    # before its minute, nothing changed: a build with nothing to do
    early = build_site(site, jobs=1, now=AHEAD - timedelta(seconds=1))
    assert early.counts["parsed"] == 0 and "Beta" not in text(site, "index.html")
    assert early.next_change == AHEAD
    # the first build after it publishes it, and names the next change: Gamma's expiry
    late = build_site(site, jobs=1, now=AHEAD + timedelta(seconds=1))
    for rel in ("index.html", "feed.xml", "categories/analysis/index.html", "sitemap.xml"):
        assert "Beta" in text(site, rel) or "/beta/" in text(site, rel), rel
    assert late.next_change == EXPIRES
    assert (site / NEXT_CHANGE).read_text() == EXPIRES.isoformat() + "\n"


def test_an_expired_briefing_leaves_every_list_and_feed_and_keeps_its_page_with_a_note(
        site: Path, tmp_path: Path) -> None:
    build_site(site, jobs=1)
    page = "briefings/2026/11/gamma/index.html"
    assert all("Gamma" in text(site, rel) or "/gamma/" in text(site, rel) for rel in LISTS)
    assert "expired" not in text(site, page)
    after = EXPIRES + timedelta(minutes=5)
    result = build_site(site, jobs=1, now=after)  # nothing edited: the expiry alone rebuilds
    for rel in LISTS:
        assert "Gamma" not in text(site, rel) and "/gamma/" not in text(site, rel), rel
    assert "This briefing expired on 26 November 2026" in text(site, page)
    assert result.next_change is None and not (site / NEXT_CHANGE).exists()
    assert tree(site / "site") == cold_tree(site, tmp_path, now=after)  # as a cold build


def test_an_expiry_not_after_the_briefings_date_is_an_error_at_its_line(site: Path) -> None:
    (site / "content/briefings/alpha.md").write_text(
        "---\ntitle: Alpha\ndate: 2026-11-20T09:00:00Z\nexpires: 2026-11-19\n---\nText.\n")
    errors = build_errors(site)
    assert any(e.startswith("content/briefings/alpha.md:4:10: error: expires") for e in errors), \
        errors


def test_drafts_do_not_count_as_a_scheduled_change(site: Path) -> None:
    beta = site / "content/briefings/beta.md"
    beta.write_text(beta.read_text().replace("category: analysis", "category: analysis\n"
                                             "draft: true"))
    assert build_site(site, jobs=1).next_change == EXPIRES


def test_the_next_change_file_stays_out_of_the_site_and_the_content(site: Path) -> None:
    build_site(site, jobs=1)
    assert (site / NEXT_CHANGE).is_file()
    assert not any(".briefgen" in p.parts for p in (site / "site").rglob("*")
                   if p.relative_to(site / "site").parts[0] != ".briefgen-output")


def test_the_expiry_note_is_in_the_sites_language(site: Path) -> None:
    config = site / "briefgen.yaml"
    config.write_text(config.read_text() + "language: ru\n")
    build_site(site, jobs=1, now=EXPIRES + timedelta(minutes=5))
    assert "Срок этого брифинга истёк 26 ноября 2026" in text(
        site, "briefings/2026/11/gamma/index.html")


def test_an_expired_briefings_page_follows_an_edit_made_in_place(site: Path,
                                                                 tmp_path: Path) -> None:
    after = EXPIRES + timedelta(minutes=5)
    build_site(site, jobs=1, now=after)
    gamma = site / "content/briefings/gamma.md"
    gamma.write_text(gamma.read_text().replace("for an hour more", "no longer listed"))
    result = build_site(site, jobs=1, now=after)
    assert "parse" not in [name for name, _ in result.timings]  # made in place
    assert "no longer listed" in text(site, "briefings/2026/11/gamma/index.html")
    assert tree(site / "site") == cold_tree(site, tmp_path, now=after)


def test_build_verbose_prints_the_next_scheduled_change(site: Path) -> None:
    from click.testing import CliRunner

    from briefgen.cli import cli

    # the command runs on the real clock: a briefing far ahead of it is the next change
    (site / "content/briefings/far.md").write_text(
        "---\ntitle: Far\ndate: 2099-01-01T00:00:00Z\n---\nLater.\n")
    result = CliRunner().invoke(cli, ["--site", str(site), "build", "-v"])
    assert result.exit_code == 0, result.output
    assert "next scheduled change: 2099-01-01T00:00:00+00:00" in result.output
    assert (site / NEXT_CHANGE).read_text() == "2099-01-01T00:00:00+00:00\n"
