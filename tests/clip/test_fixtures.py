"""Every saved page and text dump in fixtures/: title, outlet and date exact, every article
paragraph kept, no chrome kept, and the written source loads with briefgen's own parser."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from briefgen.clip.run import ClipOptions, read_article, store
from briefgen.config import load_config
from briefgen.content import ParseContext, parse_source
from briefgen.diagnostics import Diagnostics
from briefgen.markdown import create_markdown
from tests.clip.conftest import FIXTURES

PAGES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".html", ".txt"))
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _expected(page: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(page.with_suffix(".expected.json").read_text("utf-8"))
    return data


def _clip(page: Path, site: Path) -> tuple[str, str]:
    given = _expected(page).get("given", {})
    options = ClipOptions(str(page), url=given.get("url"), title=given.get("title"),
                          outlet=given.get("outlet"))
    config = load_config(site, Diagnostics())
    assert config is not None
    stored = store(site, config, read_article(options), options, now=NOW)
    return stored.path.name, stored.path.read_text(encoding="utf-8")


def test_there_are_at_least_twenty_fixtures_of_both_kinds_in_both_languages() -> None:
    assert len(PAGES) >= 20
    languages = {_expected(p)["language"] for p in PAGES}
    assert languages == {"en", "ru"}
    assert {p.suffix for p in PAGES} == {".html", ".txt"}
    assert all(p.with_suffix(".expected.json").is_file() for p in PAGES)


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_fixture_is_clipped_with_exact_metadata_and_only_article_paragraphs(
        page: Path, site: Path) -> None:
    expected = _expected(page)
    name, text = _clip(page, site)
    ctx = ParseContext(load_config(site, Diagnostics()),  # type: ignore[arg-type]
                       create_markdown(raw_html=False, citations=False))
    source, diags = parse_source(f"content/sources/{name}", text.encode("utf-8"), ctx)
    assert source is not None, [d.format() for d in diags]
    assert not diags.has_errors()
    assert source.title == expected["title"]
    assert source.outlet == expected["outlet"]
    assert f"\npublished: {expected['published']}\n" in text
    assert source.authors == expected["authors"]
    assert source.url == expected["url"]
    assert source.language == expected["language"]
    assert source.accessed is not None
    if "id" in expected:
        assert source.id == expected["id"]
    paragraphs = source.text.split("\n\n")
    for paragraph in expected["paragraphs"]:
        assert paragraph in paragraphs
    assert paragraphs == expected["paragraphs"]  # nothing else was kept
    for chrome in expected["chrome"]:
        assert chrome not in source.text, f"chrome {chrome!r} was kept"
