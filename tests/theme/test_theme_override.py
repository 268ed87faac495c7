"""Themeable: a site overrides one template and one colour, and the rest of the theme still
applies; the documented blocks and custom properties are the ones the theme really has."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import lxml.html

from tests.sitekit import build_site

MakeSite = Callable[..., Path]
THEME = Path(__file__).resolve().parents[2] / "themes" / "default"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "themes.md"

SITE = """
    -- content/briefings/alpha.md --
    ---
    title: Alpha auction
    date: 2026-03-01
    summary: The auction opens.
    ---
    The grid auction opens in March.
    -- themes/default/templates/_card.html --
    <article class="card custom-card"><h2><a href="{{ briefing.url | rel }}">
    {{- briefing.title }}</a></h2></article>
    -- themes/default/templates/_head.html --
    <style>:root { --accent: #0b5f5f; }</style>
"""


def test_a_site_overrides_one_template_and_one_colour(make_site: MakeSite) -> None:
    root = make_site(SITE)
    build_site(root)
    out = root / "site"
    home = lxml.html.fromstring((out / "index.html").read_bytes())
    assert home.xpath('//article[@class="card custom-card"]//a/text()') == ["Alpha auction"]
    for rel in ("index.html", "briefings/2026/03/alpha/index.html"):
        doc = lxml.html.fromstring((out / rel).read_bytes())
        styles = [s.text for s in doc.iter("style")]
        assert styles == [":root { --accent: #0b5f5f; }"], rel
        assert doc.xpath('//link[@rel="stylesheet"]/@href') == ["/assets/style.css"]
    # the rest is the bundled theme: its stylesheet and briefing template
    assert (out / "assets/style.css").read_bytes() == (THEME / "static/style.css").read_bytes()
    briefing = lxml.html.fromstring((out / "briefings/2026/03/alpha/index.html").read_bytes())
    assert briefing.xpath('//article[@class="briefing"]//h1/text()') == ["Alpha auction"]


def test_docs_list_every_block_and_custom_property_of_the_theme() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    blocks = set()
    for template in (THEME / "templates").glob("*.html"):
        blocks |= set(re.findall(r"\{%-?\s*block\s+(\w+)", template.read_text()))
    properties = set(re.findall(r"(--[a-z-]+):", (THEME / "static/style.css").read_text()))
    assert blocks and properties
    missing = sorted(b for b in blocks if f"`{b}`" not in docs)
    missing += sorted(p for p in properties if f"`{p}`" not in docs)
    assert not missing, f"docs/themes.md does not document {missing}"
