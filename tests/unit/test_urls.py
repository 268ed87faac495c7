"""Site paths to links, absolute URLs and output files, at the domain root and under a sub-path."""

from __future__ import annotations

import pytest

from briefgen.config import DEFAULT_PERMALINKS
from briefgen.urls import Urls

ROOT = Urls("https://example.org/", DEFAULT_PERMALINKS)
SUB = Urls("https://example.org/brief", DEFAULT_PERMALINKS)


def test_base_url_gets_a_trailing_slash_and_is_split_into_origin_and_path() -> None:
    assert (SUB.base_url, SUB.origin, SUB.base_path) == (
        "https://example.org/brief/", "https://example.org", "/brief/")
    assert (ROOT.origin, ROOT.base_path) == ("https://example.org", "/")


def test_origin_keeps_the_port() -> None:
    urls = Urls("http://localhost:8000/preview/", DEFAULT_PERMALINKS)
    assert urls.abs("/x/") == "http://localhost:8000/preview/x/"


def test_permalinks_fill_their_placeholders() -> None:
    assert ROOT.permalink("briefing", year="2026", month="02", slug="truce") == (
        "/briefings/2026/02/truce/")
    assert ROOT.permalink("tag", id="energy") == "/tags/energy/"
    custom = Urls("https://example.org/", {"briefing": "/{category}/{year}-{day}/{slug}/"})
    assert custom.permalink("briefing", category="opinion", year="2026", day="04",
                            slug="x") == "/opinion/2026-04/x/"


@pytest.mark.parametrize(("path", "at_root", "under_sub"), [
    ("/", "/", "/brief/"),
    ("/tags/x/", "/tags/x/", "/brief/tags/x/"),
    ("/feed.xml", "/feed.xml", "/brief/feed.xml"),
    ("/a b/?q=1#f", "/a%20b/?q=1#f", "/brief/a%20b/?q=1#f"),
])
def test_rel_puts_site_paths_under_the_base_path(path: str, at_root: str, under_sub: str) -> None:
    assert ROOT.rel(path) == at_root
    assert SUB.rel(path) == under_sub


def test_rel_percent_encodes_non_ascii_paths_as_utf8() -> None:
    assert SUB.rel("/tags/привет-мир/") == (
        "/brief/tags/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82-%D0%BC%D0%B8%D1%80/")
    assert ROOT.rel("/tags/café/") == "/tags/caf%C3%A9/"


@pytest.mark.parametrize("link", ["https://other.example/a", "mailto:desk@example.org", "#top"])
def test_rel_leaves_absolute_mail_and_fragment_links_alone(link: str) -> None:
    assert SUB.rel(link) == link


def test_abs_gives_full_urls_under_the_base() -> None:
    assert SUB.abs("/") == "https://example.org/brief/"
    assert SUB.abs("/briefings/2026/02/truce/") == "https://example.org/brief/briefings/2026/02/truce/"
    assert ROOT.abs("/tags/café/") == "https://example.org/tags/caf%C3%A9/"
    assert SUB.abs("https://other.example/x") == "https://other.example/x"
    assert SUB.abs("mailto:a@example.org") == "mailto:a@example.org"


@pytest.mark.parametrize(("path", "file"), [
    ("/", "index.html"),
    ("", "index.html"),
    ("/tags/x/", "tags/x/index.html"),
    ("/briefings/2026/02/привет/", "briefings/2026/02/привет/index.html"),
    ("/feed.xml", "feed.xml"),
    ("/404.html", "404.html"),
])
def test_output_file_maps_site_paths_to_files(path: str, file: str) -> None:
    assert Urls.output_file(path) == file


def test_paginated_adds_page_numbers_after_the_first() -> None:
    assert Urls.paginated("/tags/x/", 1) == "/tags/x/"
    assert Urls.paginated("/tags/x/", 2) == "/tags/x/page/2/"
    assert Urls.paginated("/", 3) == "/page/3/"
    assert SUB.rel(Urls.paginated("/", 2)) == "/brief/page/2/"
