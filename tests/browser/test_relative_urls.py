"""relative_urls: true in Chromium: the demo opened from the disk (file://) is styled, and every
link on its pages leads to a page file that exists."""

from __future__ import annotations

import functools
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import expect

from briefgen.build import BuildOptions, build
from tests.theme.kit import NOW, PAGES, REPO, chromium, new_page

__all__ = ["chromium"]  # the fixture used by the tests below

LIGHT_BACKGROUND = "rgb(253, 252, 249)"  # the theme's paper colour: style.css was applied
OPENED = [PAGES["home"], PAGES["briefing"], PAGES["category"], PAGES["tag"], PAGES["source"],
          "/page/2/", "/archive/", "/sources/", "/ru/", "/about/"]


@functools.cache
def _demo_on_disk() -> Path:
    scratch = Path(tempfile.mkdtemp(prefix="briefgen-relative-"))
    root = scratch / "demo"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    config = (REPO / "briefgen.yaml").read_text(encoding="utf-8")
    (root / "briefgen.yaml").write_text(config + "\nrelative_urls: true\n", encoding="utf-8")
    result = build(BuildOptions(root, now=NOW, cache=False, strict=True))
    assert not result.diagnostics.errors
    return root / "site"


@pytest.fixture(scope="module")
def on_disk() -> Path:
    """The demo built with relative_urls: true, to be opened with file:// URLs."""
    return _demo_on_disk()


def file_url(out: Path, site_path: str) -> str:
    return (out / site_path.lstrip("/") / "index.html").as_uri()


def local_targets(page: Any) -> list[str]:
    """Every file:// URL the page links to or loads a stylesheet, icon or script from."""
    urls: list[str] = page.evaluate("""() => [
        ...Array.from(document.querySelectorAll('a[href], link[href]'), el => el.href),
        ...Array.from(document.querySelectorAll('script[src]'), el => el.src),
        ...Array.from(document.querySelectorAll('form[action]'), el => el.action)]""")
    return [url for url in urls if url.startswith("file://")]


@pytest.mark.parametrize("site_path", OPENED)
def test_a_page_opened_from_disk_is_styled_and_every_link_reaches_a_file(
        chromium: Any, on_disk: Path, site_path: str) -> None:
    page = new_page(chromium)
    page.goto(file_url(on_disk, site_path))
    expect(page.locator("main")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == LIGHT_BACKGROUND
    targets = local_targets(page)
    assert len(targets) > 10
    for url in targets:
        path = Path(unquote(urlsplit(url).path))
        assert path.is_file(), f"{site_path}: {url} is not a file"
        assert on_disk.resolve() in path.resolve().parents, f"{site_path}: {url} leaves the site"
    page.context.close()


def test_following_links_from_disk_lands_on_styled_pages(chromium: Any, on_disk: Path) -> None:
    page = new_page(chromium, width=390)
    page.goto(file_url(on_disk, "/"))
    page.locator("article h2 a").first.click()
    expect(page).to_have_url(re.compile(r"^file://.*/briefings/.+/index\.html$"))
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == LIGHT_BACKGROUND
    page.locator("a.brand").click()
    expect(page).to_have_url(file_url(on_disk, "/"))
    page.context.close()
