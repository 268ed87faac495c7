"""Lighthouse 12.2.3 (pinned) on the home page and a briefing: accessibility, best practices and
SEO 100 each, performance at least 95. About 11 s a page, so only these two pages."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.theme.kit import CHROMIUM, PAGES, REPO, demo, demo_url, require

__all__ = ["demo", "demo_url"]  # fixtures used by the tests below

LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
INSTALL = "npm i -E --no-save lighthouse@12.2.3 (Node 20)"
CATEGORIES = "performance,accessibility,best-practices,seo"


def lighthouse(url: str, tmp_path: Path) -> dict[str, object]:
    require(LIGHTHOUSE, INSTALL)
    require(CHROMIUM, "apt-get install -y chromium")
    report = tmp_path / "report.json"
    run = subprocess.run(
        [str(LIGHTHOUSE), url, f"--only-categories={CATEGORIES}", "--output=json",
         f"--output-path={report}", "--quiet",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run"],
        env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True,
        timeout=180, check=False)
    assert run.returncode == 0 and report.is_file(), run.stderr[-2000:]
    data: dict[str, object] = json.loads(report.read_text(encoding="utf-8"))
    return data


def failing_audits(data: dict[str, object], category: str) -> list[str]:
    categories = data["categories"]
    audits = data["audits"]
    assert isinstance(categories, dict) and isinstance(audits, dict)
    found = []
    for ref in categories[category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            found.append(f"{ref['id']}: {audit['title']} ({audit['score']})")
    return found


@pytest.mark.parametrize("kind", ["home", "briefing"])
def test_lighthouse_scores(demo_url: str, kind: str, tmp_path: Path) -> None:
    data = lighthouse(demo_url + PAGES[kind].lstrip("/"), tmp_path)
    categories = data["categories"]
    assert isinstance(categories, dict)
    scores = {name: round(categories[name]["score"] * 100) for name in categories}
    print(f"lighthouse {kind}: {scores}")
    for name in ("accessibility", "best-practices", "seo"):
        assert scores[name] == 100, (name, scores, failing_audits(data, name))
    assert scores["performance"] >= 95, (scores, failing_audits(data, "performance"))
