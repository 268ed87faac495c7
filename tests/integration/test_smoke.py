"""The smallest site builds and publishes its briefing at the permalink."""

from collections.abc import Callable
from pathlib import Path

from tests.sitekit import build_site


def test_minimal_site_publishes_briefing_at_its_permalink(make_site: Callable[..., Path]) -> None:
    root = make_site("""
        -- content/briefings/first-look.md --
        ---
        title: First look
        date: 2026-02-04T18:25:00+04:00
        ---
        Hello **world**.
    """)
    build_site(root)
    page = root / "site/briefings/2026/02/first-look/index.html"
    assert "<strong>world</strong>" in page.read_text()
