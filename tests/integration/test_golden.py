"""The golden site builds to exactly the committed files in tests/golden/expected/.

When a change to templates or output is intended, regenerate the expected tree with

    scripts/regen-golden

and review `git diff tests/golden/expected` before committing it. The script and this test share
their options and fixed clock (tests/golden/golden.py), so a fresh regeneration always passes.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tests.golden.golden import EXPECTED, SITE, build_golden, picture_difference

REGEN = "run scripts/regen-golden if the change is intended, and review the diff"
MAX_DIFF_LINES = 120


def files(folder: Path) -> set[str]:
    """Every file under folder, as a POSIX path relative to it."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def unified_diff(rel: str, expected: bytes, actual: bytes) -> str:
    """A readable diff of one file (or a note on its sizes when it is not text)."""
    try:
        old, new = expected.decode("utf-8"), actual.decode("utf-8")
    except UnicodeDecodeError:
        return f"{rel}: binary file differs ({len(expected)} bytes expected, {len(actual)} built)"
    lines = list(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                      f"expected/{rel}", f"built/{rel}"))
    if len(lines) > MAX_DIFF_LINES:
        lines = [*lines[:MAX_DIFF_LINES], f"... {len(lines) - MAX_DIFF_LINES} more lines\n"]
    return "".join(lines)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden") / "site"
    build_golden(out)
    return out


def test_golden_site_builds_the_same_set_of_files(built: Path) -> None:
    expected, actual = files(EXPECTED), files(built)
    missing, extra = sorted(expected - actual), sorted(actual - expected)
    assert not missing and not extra, (
        f"the golden build no longer writes {missing} and now also writes {extra}; {REGEN}")


def test_golden_site_builds_every_file_byte_for_byte(built: Path) -> None:
    for rel in sorted(files(EXPECTED) & files(built)):
        want, got = (EXPECTED / rel).read_bytes(), (built / rel).read_bytes()
        if rel.endswith(".png") and want != got:
            why = picture_difference(want, got)
            if why is not None:
                pytest.fail(f"{rel} does not look like the golden picture: {why}; {REGEN}",
                            pytrace=False)
        elif want != got:
            pytest.fail(f"{rel} differs from the golden output; {REGEN}.\n\n"
                        f"{unified_diff(rel, want, got)}", pytrace=False)


def test_golden_output_covers_each_kind_of_output() -> None:
    """Guards the golden tree itself: a regeneration that lost whole kinds of pages is caught."""
    expected = files(EXPECTED)
    for rel in ("index.html", "page/2/index.html", "404.html", "about/index.html",
                "archive/index.html", "archive/2026/index.html",
                "briefings/2026/03/late-ferry/index.html",
                "briefings/2026/03/storm-warning/index.html",
                "briefings/2026/04/flood-barrier/index.html",
                "categories/transport/index.html", "categories/weather/feed.xml",
                "tags/storm/atom.xml", "authors/jonas-vik/feed.json", "feed.xml", "atom.xml",
                "feed.json", "sitemap.xml", "robots.txt", "assets/pygments.css",
                "briefings/2026/03/storm-warning/card.png"):
        assert rel in expected, f"tests/golden/expected/{rel} is missing; {REGEN}"
    briefings = sorted(p.stem for p in (SITE / "content/briefings").rglob("*.md"))
    assert briefings == ["flood-barrier", "late-ferry", "storm-warning"]


def test_unified_diff_names_the_file_and_shows_the_changed_line() -> None:
    diff = unified_diff("feed.xml", b"<a>\n<b>old</b>\n", b"<a>\n<b>new</b>\n")
    assert "--- expected/feed.xml" in diff and "+++ built/feed.xml" in diff
    assert "-<b>old</b>" in diff and "+<b>new</b>" in diff
    assert "binary file differs" in unified_diff("x.png", b"\xff\x00", b"\xfe")


def test_pictures_compare_by_pixels_within_a_tolerance() -> None:
    import io

    from PIL import Image

    card = (EXPECTED / "briefings/2026/03/storm-warning/card.png").read_bytes()
    other = (EXPECTED / "briefings/2026/03/late-ferry/card.png").read_bytes()
    assert picture_difference(card, card) is None
    touched = Image.open(io.BytesIO(card)).convert("RGB")
    for x in range(200):  # a few edge pixels anti-aliased otherwise: still the same picture
        touched.putpixel((x, 300), (0, 0, 0))
    recoded = io.BytesIO()
    touched.save(recoded, "PNG", compress_level=9)
    assert picture_difference(card, recoded.getvalue()) is None
    why = picture_difference(card, other)
    assert why is not None and "of the pixels differ" in why
