"""The repository's own demo site: what a new user sees first builds cleanly and reproducibly."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import lxml.etree
import pytest

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


def test_demo_builds_with_no_warnings_and_publishes_every_current_briefing(demo: Path) -> None:
    published = 0
    for path, front in _demo_briefings():
        year, month = path.parts[-3], path.parts[-2]
        page = demo / "briefings" / year / month / path.stem / "index.html"
        hidden = "draft: true" in front or int(year) > NOW.year  # drafts and the future one
        assert page.is_file() != hidden, path
        published += not hidden
    assert published >= 12


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
