"""`briefgen clip` end to end: URL, saved page, text dump and stdin; what it prints; the source
file and the archive it writes (RELIABILITY 47); updates, --new, overrides, robots.txt."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from briefgen.cli import cli
from tests.clip.conftest import FIXTURES, Loopback

ARTICLE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Harbour crane contract signed | Quay Times</title>
<meta property="og:site_name" content="Quay Times">
<meta property="article:published_time" content="2026-06-02T09:30:00+02:00">
<meta name="author" content="Lena Berg">
<script>document.cookie = "stolen=" + location.href</script>
</head><body onload="alert(1)">
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour crane contract signed</h1>
<p>The port authority signed a contract on Tuesday for four new electric cranes at the container
quay, replacing diesel cranes that are more than thirty years old.</p>
<p>The cranes will be delivered in two batches next year, and the first two should be working by
the spring. <a href="javascript:alert(2)" onclick="steal()">Details</a> were not given.</p>
<p>{extra}</p>
</article><footer>© 2026 Quay Times</footer></body></html>"""
FIRST = "The port authority said the cranes would cut the quay's fuel use by a fifth."
SECOND = "The port authority now says the cranes will cut the quay's fuel use by a quarter."


def clip(site: Path, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--site", str(site), "clip", *args], input=stdin)


def sources(site: Path) -> list[Path]:
    return sorted((site / "content" / "sources").glob("*.md"))


def snapshots(site: Path) -> list[Path]:
    return sorted(p for p in (site / ".briefgen-archive").glob("*/*") if p.is_dir())


def test_url_is_fetched_extracted_and_written_with_fetch_time_and_snapshot(
        site: Path, server: Loopback) -> None:
    server.page("/cranes", ARTICLE.format(extra=FIRST))
    result = clip(site, server.url("/cranes"), "--allow-private")
    assert result.exit_code == 0, result.output
    [path] = sources(site)
    assert path.name == "quay-times-2026-06-02-harbour-crane-contract-signed.md"
    text = path.read_text("utf-8")
    assert f"url: {server.url('/cranes')}\n" in text
    assert 'title: "Harbour crane contract signed"' in text
    assert "published: 2026-06-02T09:30:00+02:00" in text
    assert FIRST in text
    [snapshot] = snapshots(site)
    meta = json.loads((snapshot / "meta.json").read_text("utf-8"))
    assert f"accessed: {meta['fetched_at']}\n" in text
    assert meta["requested_url"] == server.url("/cranes")
    assert meta["status"] == 200
    page = (snapshot / "page.html").read_text("utf-8")
    assert FIRST in page and "four new electric cranes" in page


def test_clip_reports_what_it_found_and_what_it_could_not(site: Path) -> None:
    page = FIXTURES / "ru-news.txt"
    result = clip(site, str(page), "--url", "https://vestnik.example.ru/x")
    assert result.exit_code == 0, result.output
    assert "title:     Городской рынок на набережной закроют на реконструкцию" in result.output
    assert "outlet:    Северный вестник" in result.output
    assert "published: 2026-02-04T18:25:00" in result.output
    assert "77 words in 4 paragraphs" in result.output
    assert "not found: author" in result.output


def test_missing_url_is_reported_with_the_flag_to_pass_and_nothing_is_written(
        site: Path) -> None:
    result = clip(site, str(FIXTURES / "en-wire.txt"))
    assert result.exit_code == 1
    assert "not found: url - required (pass --url)" in result.output
    assert sources(site) == []
    assert not (site / ".briefgen-archive").exists()


def test_clipped_html_is_sanitised_before_it_is_stored(site: Path, server: Loopback) -> None:
    server.page("/cranes", ARTICLE.format(extra=FIRST))
    assert clip(site, server.url("/cranes"), "--allow-private").exit_code == 0
    [snapshot] = snapshots(site)
    page = (snapshot / "page.html").read_text("utf-8")
    for unsafe in ("<script", "document.cookie", "onload", "onclick", "javascript:"):
        assert unsafe not in page
    text = sources(site)[0].read_text("utf-8")
    assert "javascript:" not in text
    assert "Details were not given." in text


def test_markup_in_a_text_dump_is_removed_from_the_stored_text(site: Path) -> None:
    dump = (FIXTURES / "en-wire.txt").read_text("utf-8").replace(
        "Restaurants in the old town",
        "Restaurants <script>alert(1)</script>in the <b onclick=x>old</b> town")
    result = clip(site, "-", "--url", "https://courier.example.net/x", stdin=dump)
    assert result.exit_code == 0, result.output
    text = sources(site)[0].read_text("utf-8")
    assert "Restaurants in the old town have started" in text
    assert "<" not in text.split("---\n", 2)[2]


def test_saved_html_is_clipped_offline(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("no network access expected")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    result = clip(site, str(FIXTURES / "news-jsonld.html"))
    assert result.exit_code == 0, result.output
    [path] = sources(site)
    assert "url: https://ledger.example.org/energy/2026/02/04/grid-reserve-plants" in \
        path.read_text("utf-8")
    [snapshot] = snapshots(site)
    meta = json.loads((snapshot / "meta.json").read_text("utf-8"))
    assert meta["read_from_file"].endswith("news-jsonld.html")
    assert meta["json_ld"][0]["@type"] == "NewsArticle"


def test_stdin_text_dump_is_clipped(site: Path) -> None:
    dump = (FIXTURES / "ru-column.txt").read_text("utf-8")
    result = clip(site, "-", "--url", "https://gorod.example.ru/opinion/biblioteki", stdin=dump)
    assert result.exit_code == 0, result.output
    [path] = sources(site)
    assert path.name.startswith("gorodskaia-gazeta-2026-02-04-pochemu-nam-nuzhny")
    [snapshot] = snapshots(site)
    assert (snapshot / "page.txt").read_text("utf-8") == dump


def test_page_without_article_text_is_an_error_and_writes_nothing(
        site: Path, server: Loopback) -> None:
    server.page("/empty", "<html><head><title>Empty | Quay Times</title></head>"
                "<body><nav><a href='/'>Home</a></nav></body></html>")
    result = clip(site, server.url("/empty"), "--allow-private")
    assert result.exit_code == 1
    assert "no article text found" in result.output
    assert sources(site) == []
    assert not (site / ".briefgen-archive").exists()


def test_empty_text_dump_is_an_error(site: Path) -> None:
    result = clip(site, "-", "--url", "https://example.org/x", stdin="Home\nShare\n© 2026 X\n")
    assert result.exit_code == 1
    assert "no article text found" in result.output


def test_http_error_status_is_an_error(site: Path, server: Loopback) -> None:
    result = clip(site, server.url("/missing"), "--allow-private")
    assert result.exit_code == 1
    assert "answered 404" in result.output


def test_private_address_is_refused_by_the_command_without_the_flag(
        site: Path, server: Loopback) -> None:
    server.page("/cranes", ARTICLE.format(extra=FIRST))
    result = clip(site, server.url("/cranes"))
    assert result.exit_code == 1
    assert "loopback address (use --allow-private" in result.output
    assert server.requests == []


def test_dry_run_prints_the_source_and_writes_nothing(site: Path) -> None:
    result = clip(site, str(FIXTURES / "opinion-disclaimer.html"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert 'outlet: "Northgate Post"' in result.stdout
    assert "Would write content/sources/northgate-post-2026-03-11-our-ferries-need-timetables" \
        in result.output
    assert sources(site) == []
    assert not (site / ".briefgen-archive").exists()


def test_override_flags_replace_what_was_found(site: Path) -> None:
    result = clip(site, str(FIXTURES / "cookie-banner.html"), "--url",
                  "https://gazette.example.org/seawall", "--title", "Seawall approved",
                  "--outlet", "The Bay Gazette", "--published", "2026-04-07", "--id", "seawall")
    assert result.exit_code == 0, result.output
    text = (site / "content" / "sources" / "seawall.md").read_text("utf-8")
    assert 'title: "Seawall approved"' in text
    assert 'outlet: "The Bay Gazette"' in text
    assert "published: 2026-04-07\n" in text


def test_bad_published_override_is_an_error(site: Path) -> None:
    result = clip(site, str(FIXTURES / "news-jsonld.html"), "--published", "yesterday")
    assert result.exit_code == 1
    assert "--published must be a date" in result.output


def test_clipping_a_url_again_updates_the_source_and_shows_a_diff_summary(
        site: Path, server: Loopback) -> None:
    server.page("/cranes", ARTICLE.format(extra=FIRST))
    assert clip(site, server.url("/cranes"), "--allow-private").exit_code == 0
    [path] = sources(site)
    path.write_text(path.read_text("utf-8").replace(
        'title: "Harbour crane contract signed"',
        "# checked by the desk\ntitle: Harbour crane contract signed (corrected)\n"
        "publish_text: false"), encoding="utf-8")
    server.page("/cranes", ARTICLE.format(extra=SECOND))
    result = clip(site, server.url("/cranes?utm_source=feed"), "--allow-private")
    assert result.exit_code == 0, result.output
    assert f"Updated content/sources/{path.name}" in result.output
    assert "1 new or changed, 1 gone" in result.output
    assert f"+ {SECOND[:40]}" in result.output
    assert f"- {FIRST[:40]}" in result.output
    assert "title on the page is now 'Harbour crane contract signed'" in result.output
    assert sources(site) == [path]
    text = path.read_text("utf-8")
    assert "# checked by the desk\ntitle: Harbour crane contract signed (corrected)" in text
    assert "publish_text: false" in text
    assert SECOND in text and FIRST not in text
    _old, new = snapshots(site)
    assert FIRST in (new / "previous-source.md").read_text("utf-8")


def test_new_flag_keeps_a_separate_copy(site: Path, server: Loopback) -> None:
    server.page("/cranes", ARTICLE.format(extra=FIRST))
    assert clip(site, server.url("/cranes"), "--allow-private").exit_code == 0
    result = clip(site, server.url("/cranes"), "--allow-private", "--new")
    assert result.exit_code == 0, result.output
    assert [p.name for p in sources(site)] == [
        "quay-times-2026-06-02-harbour-crane-contract-signed-2.md",
        "quay-times-2026-06-02-harbour-crane-contract-signed.md"]


def test_existing_id_is_not_overwritten(site: Path) -> None:
    folder = site / "content" / "sources"
    folder.mkdir(parents=True)
    (folder / "taken.md").write_text("---\ntitle: T\noutlet: O\nurl: https://o.example/t\n"
                                     "---\n", encoding="utf-8")
    result = clip(site, str(FIXTURES / "news-jsonld.html"), "--id", "taken")
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_robots_txt_is_respected_unless_ignored(site: Path, server: Loopback) -> None:
    server.page("/robots.txt", "User-agent: briefgen\nDisallow: /cranes\n", "text/plain")
    server.page("/cranes", ARTICLE.format(extra=FIRST))
    refused = clip(site, server.url("/cranes"), "--allow-private")
    assert refused.exit_code == 1
    assert "disallows" in refused.output and "--ignore-robots" in refused.output
    assert server.paths() == ["/robots.txt"]
    server.requests.clear()
    allowed = clip(site, server.url("/cranes"), "--allow-private", "--ignore-robots")
    assert allowed.exit_code == 0, allowed.output
    assert server.paths() == ["/cranes"]


def test_robots_txt_for_other_agents_does_not_stop_briefgen(
        site: Path, server: Loopback) -> None:
    server.page("/robots.txt", "User-agent: OtherBot\nDisallow: /\n", "text/plain")
    server.page("/cranes", ARTICLE.format(extra=FIRST))
    assert clip(site, server.url("/cranes"), "--allow-private").exit_code == 0
    assert server.paths() == ["/robots.txt", "/cranes"]


def test_archive_folder_comes_from_the_config(site: Path) -> None:
    config = site / "briefgen.yaml"
    config.write_text(config.read_text("utf-8") + "clip:\n  archive: snapshots\n", "utf-8")
    result = clip(site, str(FIXTURES / "russian.html"))
    assert result.exit_code == 0, result.output
    assert list((site / "snapshots").glob("*/*/meta.json"))
    assert not (site / ".briefgen-archive").exists()


def test_archive_folder_inside_the_published_output_is_refused(site: Path) -> None:
    config = site / "briefgen.yaml"
    config.write_text(config.read_text("utf-8") + "clip:\n  archive: site/raw\n", "utf-8")
    result = clip(site, str(FIXTURES / "russian.html"))
    assert result.exit_code == 1
    assert "overlaps" in result.output
    assert sources(site) == []


def test_unknown_clip_config_key_is_an_error_with_its_line(site: Path) -> None:
    config = site / "briefgen.yaml"
    config.write_text(config.read_text("utf-8") + "clip:\n  archiv: x\n", "utf-8")
    result = clip(site, str(FIXTURES / "russian.html"))
    assert result.exit_code == 1
    assert "briefgen.yaml:5:3: error: unknown key 'archiv'" in result.output


def test_clipped_library_builds_with_the_site(site: Path) -> None:
    from tests.sitekit import build_site

    for name in ("news-jsonld.html", "russian.html"):
        assert clip(site, str(FIXTURES / name)).exit_code == 0
    [source_id] = [p.stem for p in sources(site) if p.stem.startswith("harbour")]
    briefing = site / "content" / "briefings" / "b.md"
    briefing.parent.mkdir(parents=True)
    briefing.write_text(f"---\ntitle: B\ndate: 2026-02-05\n---\nReserve plants [@{source_id}].\n",
                        encoding="utf-8")
    result = build_site(site)
    assert result.counts.get("briefings") == 1


def test_reclip_reports_a_flag_value_as_set_only_when_it_changes_the_field(
        site: Path, server: Loopback) -> None:
    server.page("/cranes", ARTICLE.format(extra=FIRST))
    assert clip(site, server.url("/cranes"), "--allow-private").exit_code == 0
    same = clip(site, server.url("/cranes"), "--allow-private", "--title",
                "Harbour crane contract signed", "--outlet", "Quay Times")
    assert same.exit_code == 0, same.output
    assert "set to" not in same.output
    changed = clip(site, server.url("/cranes"), "--allow-private", "--title",
                   "Harbour crane contract signed at last", "--outlet", "Quay Times")
    assert 'title: set to "Harbour crane contract signed at last"' in changed.output
    assert "outlet: set to" not in changed.output


def test_reclip_gone_count_matches_the_paragraphs_listed(site: Path, server: Loopback) -> None:
    old = [f"Paragraph number {n} of the first version says something about cranes." for n in
           range(7)]
    server.page("/cranes", ARTICLE.format(extra="</p><p>".join(old)))
    assert clip(site, server.url("/cranes"), "--allow-private").exit_code == 0
    server.page("/cranes", ARTICLE.format(extra=SECOND))
    result = clip(site, server.url("/cranes"), "--allow-private")
    assert "1 new or changed, 7 gone" in result.output
    listed = [line.strip() for line in result.output.splitlines()
              if line.strip().startswith("- ")]
    assert len(listed) == 6 and listed[-1] == "- ... and 2 more"
    assert all(f"number {n} " in result.output for n in range(5))
