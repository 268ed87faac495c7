"""The golden site: where it lives, the fixed clock, and the one way to build it.

tests/integration/test_golden.py and scripts/regen-golden both build through `build_golden`, so the
expected output and the test always use the same options and the same `NOW`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from briefgen.build import BuildOptions, BuildResult, build

__all__ = ["EXPECTED", "NOW", "SITE", "build_golden", "picture_difference"]

GOLDEN = Path(__file__).resolve().parent
SITE = GOLDEN / "site"
EXPECTED = GOLDEN / "expected"
# The clock the golden build sees: after every briefing, so none of them counts as future-dated.
NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def build_golden(output: Path) -> BuildResult:
    """Build the golden site into output; strict, so a warning fails it like an error."""
    return build(BuildOptions(SITE, output=output, now=NOW, strict=True, cache=False))


# Drawn pictures (the social cards) are compared by their pixels, not their bytes: another Pillow
# or FreeType may anti-alias a glyph's edge a little differently or compress the PNG otherwise.
FAR = 64  # a channel further off than this counts the pixel as different
MOST_DIFFERENT = 0.005  # of the pixels


def picture_difference(want: bytes, got: bytes) -> str | None:
    """Why two PNGs do not show the same picture (None when they do, within the tolerance)."""
    import io

    from PIL import Image, ImageChops

    old, new = (Image.open(io.BytesIO(data)).convert("RGB") for data in (want, got))
    if old.size != new.size:
        return f"sizes differ: {old.size} expected, {new.size} drawn"
    diff = ImageChops.difference(old, new).convert("L").point(lambda v: 255 if v > FAR else 0)
    share = diff.histogram()[255] / (old.width * old.height)
    if share > MOST_DIFFERENT:
        return f"{share:.2%} of the pixels differ (at most {MOST_DIFFERENT:.1%} may)"
    return None
