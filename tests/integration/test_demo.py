"""The repository's own demo site: what a new user sees first builds cleanly and reproducibly."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lxml.etree
import pytest
import yaml
from markupsafe import escape

from briefgen.build import BuildOptions, build

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "site"
    result = build(BuildOptions(REPO, output=out, now=NOW, cache=False, strict=True))
    assert not result.diagnostics.errors
    return out


def _demo_briefings() -> list[tuple[Path, str]]:
    """Each demo briefing file with its front matter text."""
    return [(path, path.read_text(encoding="utf-8").split("---", 2)[1])
            for path in sorted((REPO / "content" / "briefings").rglob("*.md"))]


def _meta(front: str) -> dict[str, Any]:
    meta = yaml.safe_load(front)
    assert isinstance(meta, dict)
    return meta


def _hidden(path: Path, front: str) -> bool:
    """Drafts and the one briefing dated after NOW are not published."""
    return "draft: true" in front or int(path.parts[-3]) > NOW.year


def test_demo_builds_with_no_warnings_and_publishes_every_current_briefing(demo: Path) -> None:
    published: dict[str, int] = defaultdict(int)
    # A briefing in another language lives under /<lang>/; its slug comes from a file name such as
    # x.ru.md or a Cyrillic one, so those are found by folder and title rather than by file stem.
    elsewhere: dict[Path, list[str]] = defaultdict(list)
    for path, front in _demo_briefings():
        year, month = path.parts[-3], path.parts[-2]
        meta, hidden = _meta(front), _hidden(path, front)
        lang = meta.get("lang", "en")
        if lang == "en":
            page = demo / "briefings" / year / month / path.stem / "index.html"
            assert page.is_file() != hidden, path
        elif not hidden:
            elsewhere[demo / lang / "briefings" / year / month].append(meta["title"])
        published[lang] += not hidden
    for folder, titles in elsewhere.items():
        pages = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*/index.html"))]
        assert len(pages) == len(titles), folder
        for title in titles:
            assert any(str(escape(title)) in html for html in pages), (folder, title)
    assert published["en"] >= 12
    assert published["ru"] >= 5


def test_demo_translations_match_their_originals() -> None:
    """Issue 7's demo: at least four briefings in English and Russian, and one only in Russian."""
    by_key: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    russian_only = 0
    for path, front in _demo_briefings():
        meta = _meta(front)
        lang, key = meta.get("lang", "en"), meta.get("translation_key")
        if key:
            assert lang not in by_key[key], (path, key)  # one version per language
            by_key[key][lang] = meta
        elif lang == "ru":
            russian_only += 1
    pairs = {key: versions for key, versions in by_key.items() if {"en", "ru"} <= versions.keys()}
    assert len(pairs) >= 4
    assert russian_only >= 1

    def source_ids(meta: dict[str, Any]) -> list[str]:
        return [s if isinstance(s, str) else s["id"] for s in meta.get("sources", [])]

    for key, versions in pairs.items():
        en, ru = versions["en"], versions["ru"]
        for field in ("date", "updated", "category", "authors", "tags", "draft"):
            assert en.get(field) == ru.get(field), (key, field)
        assert source_ids(en) == source_ids(ru), key
        assert en["title"] != ru["title"], key
        assert ("id" in en) == ("id" in ru) and en.get("id") != ru.get("id"), key


def test_demo_feeds_are_well_formed_with_a_guid_per_item(demo: Path) -> None:
    rss = lxml.etree.parse(str(demo / "feed.xml"))
    items = rss.findall("channel/item")
    assert len(items) >= 12
    assert all(item.findtext("guid", "").startswith("urn:uuid:") for item in items)
    atom = lxml.etree.parse(str(demo / "atom.xml"))
    entries = atom.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == len(items)


def test_demo_builds_byte_identical_twice(demo: Path, tmp_path: Path) -> None:
    again = tmp_path / "site"
    build(BuildOptions(REPO, output=again, now=NOW, cache=False))
    assert _tree(again) == _tree(demo)


def test_demo_russian_feed_holds_the_russian_briefings_only(demo: Path) -> None:
    ids: dict[str, set[str]] = defaultdict(set)
    for path, front in _demo_briefings():
        meta = _meta(front)
        if not _hidden(path, front):
            ids[meta.get("lang", "en")].add(f"urn:uuid:{meta['id']}")
    guids = {lang: {item.findtext("guid", "") for item in
                    lxml.etree.parse(str(demo / prefix / "feed.xml")).findall("channel/item")}
             for lang, prefix in (("en", "."), ("ru", "ru"))}
    assert guids["ru"] == ids["ru"]
    assert guids["en"] <= ids["en"]
