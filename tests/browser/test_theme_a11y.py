"""axe-core finds no violation on each kind of page, light and dark, at phone and desktop width."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.theme.kit import PAGES, WIDTHS, chromium, demo, demo_url, new_page, open_menu

__all__ = ["chromium", "demo", "demo_url"]  # fixtures used by the tests below

AXE = Axe()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_page_has_no_axe_violations(chromium: Any, demo_url: str, kind: str, dark: bool,
                                    width: int) -> None:
    page = new_page(chromium, width=width, dark=dark)
    page.goto(demo_url + PAGES[kind].lstrip("/"))
    if kind == "search":  # the results are part of the page that is checked
        expect(page.locator("#search-results li").first).to_be_visible()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(21, 21, 19)") == dark, background
    results = AXE.run(page)
    page.context.close()
    assert results.violations_count == 0, results.generate_report()


def test_the_night_toggle_is_checked_by_axe_too(chromium: Any, demo_url: str) -> None:
    """The toggled night theme (not only the system one) passes, on the briefing page."""
    page = new_page(chromium, width=390)
    page.goto(demo_url + PAGES["briefing"].lstrip("/"))
    open_menu(page)  # a phone: the toggle is in the menu, which axe then checks open
    page.get_by_role("button", name="Night").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    results = AXE.run(page)
    page.context.close()
    assert results.violations_count == 0, results.generate_report()
