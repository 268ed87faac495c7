"""The golden site: where it lives, the fixed clock, and the one way to build it.

tests/integration/test_golden.py and scripts/regen-golden both build through `build_golden`, so the
expected output and the test always use the same options and the same `NOW`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from briefgen.build import BuildOptions, BuildResult, build

__all__ = ["EXPECTED", "NOW", "SITE", "build_golden"]

GOLDEN = Path(__file__).resolve().parent
SITE = GOLDEN / "site"
EXPECTED = GOLDEN / "expected"
# The clock the golden build sees: after every briefing, so none of them counts as future-dated.
NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def build_golden(output: Path) -> BuildResult:
    """Build the golden site into output; strict, so a warning fails it like an error."""
    return build(BuildOptions(SITE, output=output, now=NOW, strict=True, cache=False))
