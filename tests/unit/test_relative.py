"""relative_urls: root-relative links in a page rewritten relative to the page's own file."""

from __future__ import annotations

import pytest

from briefgen.relative import page_file, relativize


@pytest.mark.parametrize(("site_path", "file"), [
    ("/", "index.html"),
    ("/briefings/2026/02/x/", "briefings/2026/02/x/index.html"),
    ("/404.html", "404.html"),
])
def test_page_file_is_where_the_page_is_written(site_path: str, file: str) -> None:
    assert page_file(site_path) == file


@pytest.mark.parametrize(("page", "link", "expected"), [
    ("/", '<a href="/">', '<a href="index.html">'),
    ("/", '<a href="/about/">', '<a href="about/index.html">'),
    ("/briefings/2026/02/x/", '<a href="/">', '<a href="../../../../index.html">'),
    ("/briefings/2026/02/x/", '<a href="/briefings/2026/02/x/#s1">', '<a href="index.html#s1">'),
    ("/tags/t/page/2/", '<a href="/tags/t/">', '<a href="../../index.html">'),
    ("/ru/", '<link rel="stylesheet" href="/assets/style.css">',
     '<link rel="stylesheet" href="../assets/style.css">'),
    ("/search/", '<form action="/search/">', '<form action="index.html">'),
    ("/", "<a href='/archive/?y=2026&amp;m=2'>", "<a href='archive/index.html?y=2026&amp;m=2'>"),
    ("/a/", '<img src="/img/a.png" srcset="/img/a.png 1x, /img/b.png 2x">',
     '<img src="../img/a.png" srcset="../img/a.png 1x, ../img/b.png 2x">'),
    # an asset prefix stays a folder: search.js appends file names to it
    ("/ru/search/", '<script data-bundle="/pagefind/" data-base="/">',
     '<script data-bundle="../../pagefind/" data-base="../../">'),
])
def test_root_relative_links_become_relative_to_the_page(page: str, link: str,
                                                         expected: str) -> None:
    assert relativize(link, page, "/") == expected


@pytest.mark.parametrize("link", [
    '<link rel="canonical" href="https://example.org/x/">',
    '<meta property="og:url" content="https://example.org/x/">',
    '<a href="//cdn.example.org/x.js">',
    '<a href="#sources">',
    '<a href="mailto:desk@example.org">',
    '<a href="../already/relative/">',
])
def test_absolute_fragment_and_relative_links_are_left_alone(link: str) -> None:
    assert relativize(link, "/briefings/2026/02/x/", "/") == link


def test_text_that_looks_like_a_link_is_not_rewritten() -> None:
    # escaped quotes (how Markdown and Jinja write text) never match an attribute
    text = "<p>Write href=&quot;/about/&quot; in the template.</p><code>src=&#39;/x&#39;</code>"
    assert relativize(text, "/a/", "/") == text


def test_a_sub_path_deploy_strips_its_base_path_and_leaves_other_paths() -> None:
    html = '<a href="/brief/about/">A</a><a href="/elsewhere/">E</a>'
    assert relativize(html, "/briefings/x/", "/brief/") == (
        '<a href="../../about/index.html">A</a><a href="/elsewhere/">E</a>')
