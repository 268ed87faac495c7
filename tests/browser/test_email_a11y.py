"""The HTML part of an email in Chromium: axe finds nothing at 375 and 600 px, light and dark,
and the 600 px frame fills a phone's width."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from briefgen.email.compose import Selection
from tests.email.kit import composed, desk, html_of, parsed
from tests.theme.kit import chromium, new_page

__all__ = ["chromium"]  # the fixture used by the tests below

AXE = Axe()
WIDTHS = (375, 600)
SELECTIONS = {
    "briefing": Selection(("content/briefings/grid.md",)),
    "digest": Selection(digest="weekly", day=dt.date(2026, 3, 4)),
}


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The HTML part of each kind of email, composed from the inline desk."""
    root = desk(tmp_path_factory.mktemp("email"))
    return {kind: html_of(parsed(composed(root, selection).messages[0]))
            for kind, selection in SELECTIONS.items()}


def _open(browser: Any, html: str, width: int, dark: bool) -> Any:
    page = new_page(browser, width=width, dark=dark)
    page.set_content(html, wait_until="domcontentloaded")
    return page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("kind", list(SELECTIONS))
def test_the_html_part_has_no_axe_violations(chromium: Any, parts: dict[str, str], kind: str,
                                             dark: bool, width: int) -> None:
    page = _open(chromium, parts[kind], width, dark)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(21, 21, 19)") == dark, background
    page.screenshot(path=f"/tmp/briefgen-email-{kind}-{width}-{'dark' if dark else 'light'}.png",
                    full_page=True)
    results = AXE.run(page)
    page.context.close()
    assert results.violations_count == 0, results.generate_report()


def test_the_frame_fits_a_phone_without_sideways_scrolling(chromium: Any,
                                                           parts: dict[str, str]) -> None:
    page = _open(chromium, parts["briefing"], 375, False)
    frame = page.evaluate("document.querySelector('.frame').getBoundingClientRect().width")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    page.context.close()
    assert frame == 375 and scroll <= 375


def test_the_frame_is_600_px_on_a_wide_screen(chromium: Any, parts: dict[str, str]) -> None:
    page = _open(chromium, parts["briefing"], 1024, False)
    frame = page.evaluate("document.querySelector('.frame').getBoundingClientRect().width")
    page.context.close()
    assert frame == 600

