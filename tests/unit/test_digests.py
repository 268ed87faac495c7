"""Render keys: the card, briefing and source digests change when, and only when, what a page
shows of them changes."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from briefgen.build import BuildOptions, Engine
from briefgen.content import BRIEFING_SCHEMA
from briefgen.digests import Digests, digest
from briefgen.engine.shapes import CONTENT_FIELDS
from briefgen.models import (
    CARD,
    CONTENT,
    HIDDEN,
    MODEL,
    PAGE,
    SHAPE,
    Briefing,
    Source,
    briefing_fields,
    front_matter_fields,
    front_matter_keys,
)
from briefgen.schema import Field, Type
from briefgen.site import Site
from tests.sitekit import CONFIG, NOW, write_site

SITE = """
    -- content/categories.yaml --
    analysis:
      name: Analysis
    -- content/authors.yaml --
    ana:
      name: Ana Berg
    -- content/sources/s-one.md --
    ---
    title: Grid reserve auction opens
    outlet: The Ledger
    url: https://ledger.example.com/one
    published: 2026-01-20
    ---
    Clipped text of the article.
    -- content/sources/s-two.md --
    ---
    title: Ferry operator raises fares
    outlet: Wire
    url: https://wire.example.com/two
    ---
    -- content/briefings/alpha.md --
    ---
    title: Alpha auction
    date: 2026-03-01
    summary: The auction opens.
    category: analysis
    authors: [ana]
    tags: [energy]
    sources: [s-one]
    ---
    The grid auction opens in March [@s-one].

    Alpha second paragraph.
    -- content/briefings/beta.md --
    ---
    title: Beta fares
    date: 2026-02-01
    summary: Fares rise.
    tags: [ferries]
    sources: [s-two]
    ---
    The operator raises fares [@s-two].
"""

Edit = tuple[str, str, str]  # file, old text, new text


def model(root: Path) -> Site:
    """The site model, as a build makes it, without rendering or writing anything."""
    build = Engine(BuildOptions(root, now=NOW, write=False, jobs=1))
    for name, step in build.steps():
        step()
        assert not build.diags.has_errors(), [d.format() for d in build.diags]
        if name == "model":
            return build.site
    raise AssertionError("the build has no model step")


@pytest.fixture
def site_with(tmp_path: Path) -> Callable[..., Site]:
    """site_with(*edits): the model of SITE after replacing text in its files."""
    count = 0

    def make(*edits: Edit) -> Site:
        nonlocal count
        count += 1
        root = tmp_path / f"site-{count}"
        root.mkdir()
        write_site(root, CONFIG)
        write_site(root, textwrap.dedent(SITE))
        for rel, old, new in edits:
            path = root / rel
            text = path.read_text()
            assert old in text, (old, rel)
            path.write_text(text.replace(old, new, 1))
        return model(root)

    return make


def briefing(site: Site, name: str) -> Briefing:
    [found] = [b for b in site.briefings if b.path == f"content/briefings/{name}.md"]
    return found


def source(site: Site, source_id: str) -> Source:
    [found] = [s for s in site.source_pages if s.id == source_id]
    return found


def keys(site: Site) -> dict[str, str]:
    """Every digest of SITE's objects, by name."""
    d = Digests(site)
    found = {}
    for name in ("alpha", "beta"):
        b = briefing(site, name)
        found[f"card:{name}"] = d.card(b)
        found[f"briefing:{name}"] = d.briefing(b)
    for source_id in ("s-one", "s-two"):
        s = source(site, source_id)
        found[f"source:{source_id}"] = d.source(s)
        found[f"citing:{source_id}"] = d.citing(s)
    return found


def changed_keys(site_with: Callable[..., Site], *edits: Edit) -> set[str]:
    before, after = keys(site_with()), keys(site_with(*edits))
    return {name for name in before if before[name] != after[name]}


# -- digest() -----------------------------------------------------------------------------------


def test_digest_is_stable_and_tells_values_apart() -> None:
    assert digest("a", 1, None, ("b", [2])) == digest("a", 1, None, ("b", [2]))
    assert digest("a", 1) != digest("a", 2)
    assert digest(1) != digest("1")
    assert digest("ab", "c") != digest("a", "bc")
    assert digest(None) != digest("")
    assert len(digest("x")) == 32
    # a fixed value: the same in every process and on every run (no hash randomisation)
    assert digest("briefgen") == digest(*["briefgen"])


def test_the_same_site_gives_the_same_digests(site_with: Callable[..., Site]) -> None:
    assert keys(site_with()) == keys(site_with())


# -- what changes which digest ------------------------------------------------------------------


def test_editing_a_body_changes_only_that_briefings_digest(
        site_with: Callable[..., Site]) -> None:
    assert changed_keys(site_with, ("content/briefings/alpha.md", "Alpha second paragraph.",
                                    "Alpha, rewritten.")) == {"briefing:alpha"}


def test_editing_a_citing_sentence_changes_the_briefing_and_what_the_source_quotes(
        site_with: Callable[..., Site]) -> None:
    assert changed_keys(site_with, ("content/briefings/alpha.md", "opens in March",
                                    "opens in April")) == {"briefing:alpha", "citing:s-one"}


@pytest.mark.parametrize("edit", [
    ("title: Alpha auction", "title: Alpha auction, again"),
    ("summary: The auction opens.", "summary: The auction has opened."),
    ("date: 2026-03-01", "date: 2026-03-02"),
    ("tags: [energy]", "tags: [energy, grid]"),
    ("category: analysis\n", ""),
    ("authors: [ana]", "authors: [Someone Else]"),
    ("title: Alpha auction", "title: Alpha auction\nkicker: Energy"),
    ("title: Alpha auction", "title: Alpha auction\nupdated: 2026-03-05"),
])
def test_editing_what_a_card_shows_changes_the_card_and_the_briefing(
        site_with: Callable[..., Site], edit: tuple[str, str]) -> None:
    changed = changed_keys(site_with, ("content/briefings/alpha.md", *edit))
    assert {"card:alpha", "briefing:alpha"} <= changed
    assert "card:beta" not in changed and "briefing:beta" not in changed
    assert "source:s-two" not in changed


def test_editing_a_source_changes_it_and_the_briefings_citing_it_not_their_cards(
        site_with: Callable[..., Site]) -> None:
    assert changed_keys(site_with, ("content/sources/s-one.md", "Grid reserve auction opens",
                                    "Grid reserve auction delayed")) == {
        "source:s-one", "briefing:alpha"}


@pytest.mark.parametrize("edit", [
    ("url: https://ledger.example.com/one", "url: https://ledger.example.com/moved"),
    ("published: 2026-01-20", "published: 2026-01-21"),
    ("outlet: The Ledger", "outlet: The Daily Ledger"),
    ("published: 2026-01-20", "published: 2026-01-20\nauthor: A. Reporter"),
    ("published: 2026-01-20", "published: 2026-01-20\narchive_url: https://archive.example/x"),
])
def test_every_shown_source_field_changes_the_source_digest(
        site_with: Callable[..., Site], edit: tuple[str, str]) -> None:
    changed = changed_keys(site_with, ("content/sources/s-one.md", *edit))
    assert {"source:s-one", "briefing:alpha"} <= changed
    assert changed.isdisjoint({"source:s-two", "briefing:beta", "card:alpha", "card:beta"})


def test_unpublished_clipped_text_changes_no_digest(site_with: Callable[..., Site]) -> None:
    assert changed_keys(site_with, ("content/sources/s-one.md", "Clipped text of the article.",
                                    "Other clipped text.")) == set()


def test_published_clipped_text_changes_the_source_digest(
        site_with: Callable[..., Site]) -> None:
    published = ("content/sources/s-one.md", "published: 2026-01-20",
                 "published: 2026-01-20\npublish_text: true")
    before = keys(site_with(published))
    after = keys(site_with(published, ("content/sources/s-one.md",
                                       "Clipped text of the article.", "Other clipped text.")))
    assert {k for k in before if before[k] != after[k]} == {"source:s-one", "briefing:alpha"}


def test_editing_another_briefing_changes_none_of_this_ones_digests(
        site_with: Callable[..., Site]) -> None:
    changed = changed_keys(site_with, ("content/briefings/beta.md", "title: Beta fares",
                                       "title: Beta fees"))
    assert changed == {"card:beta", "briefing:beta", "citing:s-two"}


# -- field by field, on the model ---------------------------------------------------------------


# A value other than the test site's for every Briefing field; which digests it must change comes
# from the field's declaration (models.py), not from this test.
OTHER_VALUES: dict[str, Any] = {
    "url": "/elsewhere/", "title": "Other", "kicker": "Kicker", "summary": "Other summary.",
    "date": datetime(2020, 1, 1, tzinfo=UTC), "updated": datetime(2026, 3, 9, tzinfo=UTC),
    "draft": True, "future": True, "guid": "urn:uuid:other", "category": None,
    "authors": [], "tags": [("other", "Other")], "lang": "de", "timezone": "Europe/Kyiv",
    "body_html": "<p>Other.</p>", "headings": [(2, "x", "X")], "image": "/img.png",
    "translation_key": "other", "cited": [],
    "further": [Source("x", "X", "Outlet", "https://x.example/", "content/sources/x.md")],
    "path": "content/briefings/moved.md", "slug": "moved", "author_refs": [],
    "category_ref": None, "source_refs": [], "citations": None, "positions": {"lang": (3, 1)},
    "body_digest": "another digest", "expires": datetime(2026, 3, 9, tzinfo=UTC),
    "expired": True,
    "sources": [],
}
CARD_FIELDS = briefing_fields(feeds=CARD)
PAGE_ONLY_FIELDS = briefing_fields(feeds=PAGE)
HIDDEN_FIELDS = briefing_fields(feeds=HIDDEN)


@pytest.mark.parametrize("name", sorted(CARD_FIELDS))
def test_each_card_field_changes_the_card_digest(site_with: Callable[..., Site],
                                                 name: str) -> None:
    site = site_with()
    alpha = briefing(site, "alpha")
    other = dataclasses.replace(alpha, **{name: OTHER_VALUES[name]})
    d = Digests(site)
    assert d.card(other) != d.card(alpha)
    assert d.briefing(other) != d.briefing(alpha)


@pytest.mark.parametrize("name", sorted(PAGE_ONLY_FIELDS))
def test_each_page_field_changes_the_briefing_digest_but_not_the_card(
        site_with: Callable[..., Site], name: str) -> None:
    site = site_with()
    alpha = briefing(site, "alpha")
    other = dataclasses.replace(alpha, **{name: OTHER_VALUES[name]})
    d = Digests(site)
    assert d.card(other) == d.card(alpha)
    assert d.briefing(other) != d.briefing(alpha)


@pytest.mark.parametrize("name", sorted(HIDDEN_FIELDS))
def test_fields_no_template_shows_change_no_digest(site_with: Callable[..., Site],
                                                   name: str) -> None:
    site = site_with()
    alpha = briefing(site, "alpha")
    other = dataclasses.replace(alpha, **{name: OTHER_VALUES[name]})
    d = Digests(site)
    assert d.card(other) == d.card(alpha)
    assert d.briefing(other) == d.briefing(alpha)


def test_every_briefing_field_is_classified() -> None:
    """Each Briefing field declares what it feeds and what an edit of it does (models.py), and a
    field has a front matter key exactly when it declares that key's schema Field."""
    fronts = []
    for f in dataclasses.fields(Briefing):
        assert f.metadata.get("feeds") in (CARD, PAGE, HIDDEN), f.name
        assert f.metadata.get("role") in (CONTENT, SHAPE, MODEL), f.name
        front, spec = f.metadata.get("front"), f.metadata.get("spec")
        if front is None:
            assert spec is None, f"{f.name} declares a schema Field but no front matter key"
            continue
        assert isinstance(front, str) and front, f.name
        assert isinstance(spec, Field) and isinstance(spec.type, Type), \
            f"{f.name} (front matter '{front}') declares no schema Field"
        assert f.metadata["role"] != MODEL, f"{f.name}: the site model's fields are not read"
        fronts.append(front)
    assert len(fronts) == len(set(fronts)), "two fields read the same front matter key"


def test_every_briefing_field_is_tested() -> None:
    """The tests above have a value to change each Briefing field to."""
    assert set(OTHER_VALUES) == {f.name for f in dataclasses.fields(Briefing)}


def test_the_front_matter_schema_is_made_of_the_declarations() -> None:
    assert BRIEFING_SCHEMA.fields == front_matter_fields()
    assert list(BRIEFING_SCHEMA.fields) == list(front_matter_keys())
    assert front_matter_keys()["id"] == "guid"
    assert front_matter_keys()["sources"] == "source_refs"
    assert [name for name, spec in BRIEFING_SCHEMA.fields.items() if spec.required] == \
        ["title", "date"]


@pytest.mark.parametrize("module", ["models", "content", "schema", "languages", "sourceschema"])
def test_the_declarations_import_without_a_cycle(module: str) -> None:
    """models.py declares the schema types (sourceschema.py's SourceRef among them): each module
    imports first in a fresh interpreter."""
    subprocess.run([sys.executable, "-c", f"import briefgen.{module}"], check=True)


def test_only_content_fields_are_edited_in_place() -> None:
    assert set(CONTENT_FIELDS) == {"title", "kicker", "summary", "body_html", "headings",
                                   "citations", "image", "body_digest"}
    assert not set(CONTENT_FIELDS) & set(briefing_fields(role=MODEL))
