"""The one-line reports of a build: what it published, its problem counts, what it left out."""

from __future__ import annotations

from briefgen.build import BuildResult
from briefgen.diagnostics import Diagnostics

__all__ = ["plural", "problem_counts", "summary_line"]


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 briefing', '2 briefings', '0 errors': a count with its noun."""
    return f"{count} {one if count == 1 else many or one + 's'}"


def problem_counts(diags: Diagnostics) -> str:
    """'0 errors, 2 warnings'."""
    return f"{plural(len(diags.errors), 'error')}, {plural(len(diags.warnings), 'warning')}"


def summary_line(result: BuildResult, published: bool) -> str:
    """What a successful build or check did, in one line: what it published, where, how long,
    how many problems, and what it left out (drafts, briefings dated in the future)."""
    counts = result.counts
    total = sum(seconds for _, seconds in result.timings)
    where = (f" into {result.output} ({plural(counts.get('written', 0), 'file')} changed)"
             if published else " (nothing written)")
    line = (f"{plural(counts.get('briefings', 0), 'briefing')}, "
            f"{plural(counts.get('pages', 0), 'page')}, {plural(counts.get('feeds', 0), 'feed')}"
            f"{where} in {total:.2f} s; {problem_counts(result.diagnostics)}")
    left_out = [text for text in (
        plural(counts.get("drafts_left_out", 0), "draft") + " (--drafts)",
        plural(counts.get("future_left_out", 0), "briefing") + " dated in the future (--future)",
    ) if not text.startswith("0 ")]
    if left_out:
        line += "; left out: " + ", ".join(left_out)
    return line
