"""The live preview in Chromium: an edit appears without a manual reload, a broken front matter
shows the overlay naming the file and line, fixing it removes the overlay, a template edit shows."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from briefgen.serve.app import PreviewApp, ServeOptions
from briefgen.serve.overlay import OVERLAY_ID
from briefgen.theme import bundled_themes_dir
from tests.serve.kit import BRIEFING, SITE
from tests.sitekit import NOW
from tests.theme.kit import chromium, new_page

__all__ = ["chromium"]  # the fixture used below

BRIEFING_FILE = "content/briefings/2026/02/harbour.md"
WAIT = 30_000  # ms: generous; a rebuild of this site takes well under a second


@pytest.fixture
def preview(make_site: Callable[..., Path]) -> Iterator[PreviewApp]:
    root = make_site(SITE)
    templates = root / "themes" / "default" / "templates"  # the site's own copy of a template
    templates.mkdir(parents=True)
    shutil.copy(bundled_themes_dir() / "default" / "templates" / "briefing.html", templates)
    app = PreviewApp(ServeOptions(root, port=0, now=NOW), log=lambda _m: None)
    app.start()
    assert app.wait_first_build(120)
    yield app
    app.stop()


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_edits_errors_fixes_and_template_changes_show_without_a_manual_reload(
        chromium: Any, preview: PreviewApp) -> None:
    page = new_page(chromium)
    page.goto(preview.url + BRIEFING.lstrip("/"))
    body = page.locator(".body")
    expect(body).to_contain_text("The harbour reopened on Monday.")
    page.evaluate("window.__sameDocument = true")  # gone after any reload

    source = preview.root / BRIEFING_FILE
    replace(source, "reopened on Monday.", "reopened on Tuesday after repairs.")
    expect(body).to_contain_text("reopened on Tuesday after repairs.", timeout=WAIT)
    assert page.evaluate("window.__sameDocument === undefined")  # the script reloaded it

    replace(source, "title: Harbour reopens", "title: [Harbour reopens")
    overlay = page.locator(f"#{OVERLAY_ID}")
    expect(overlay).to_be_visible(timeout=WAIT)
    expect(overlay).to_contain_text(f"{BRIEFING_FILE}:2:8")  # file, line and column of the [
    expect(overlay).to_contain_text("malformed YAML")
    expect(overlay).to_contain_text("title: [Harbour reopens")  # the offending lines
    expect(body).to_contain_text("reopened on Tuesday after repairs.")  # last good page below

    replace(source, "title: [Harbour reopens", "title: Harbour reopens at last")
    expect(overlay).to_have_count(0, timeout=WAIT)
    expect(page.locator("h1")).to_have_text("Harbour reopens at last", timeout=WAIT)

    template = preview.root / "themes/default/templates/briefing.html"
    replace(template, "<h1>{{ briefing.title }}</h1>",
            '<h1>{{ briefing.title }}</h1><p class="template-mark">Edited template</p>')
    expect(page.locator(".template-mark")).to_have_text("Edited template", timeout=WAIT)
    page.context.close()


def test_the_scroll_position_survives_a_live_reload(chromium: Any, preview: PreviewApp) -> None:
    source = preview.root / BRIEFING_FILE
    replace(source, "The harbour reopened on Monday.",
            "The harbour reopened on Monday.\n\n" + "\n\n".join(f"Paragraph {n}." for n in
                                                                  range(200)))
    page = new_page(chromium)
    page.goto(preview.url + BRIEFING.lstrip("/"))
    expect(page.locator(".body")).to_contain_text("Paragraph 199.", timeout=WAIT)
    page.evaluate("window.scrollTo(0, 1500)")
    page.evaluate("window.__sameDocument = true")
    replace(source, "Paragraph 199.", "Paragraph 199, edited.")
    expect(page.locator(".body")).to_contain_text("Paragraph 199, edited.", timeout=WAIT)
    page.wait_for_function("window.scrollY > 1000", timeout=WAIT)
    assert page.evaluate("window.__sameDocument === undefined")
    page.context.close()
