"""Screenshots of the home page and a briefing, at phone and desktop width, light and night, for
people to look at: written to test-artifacts/screenshots/ (git-ignored)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.theme.kit import PAGES, REPO, WIDTHS, chromium, demo, demo_url, new_page

__all__ = ["chromium", "demo", "demo_url"]  # fixtures used by the tests below

SHOTS = REPO / "test-artifacts" / "screenshots"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("kind", ["home", "briefing"])
def test_screenshot(chromium: Any, demo_url: str, kind: str, theme: str, width: int) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = new_page(chromium, width=width, dark=theme == "dark")
    page.goto(demo_url + PAGES[kind].lstrip("/"))
    path = SHOTS / f"{kind}-{theme}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    page.context.close()
    assert path.stat().st_size > 10_000
