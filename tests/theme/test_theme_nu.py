"""The Nu Html Checker finds no error on any page of the demo site (one call over every file), and
no section without a heading on the pages with sections."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.theme.kit import REPO, demo, require

__all__ = ["demo"]  # the fixture used below

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_messages(pages: list[str], *options: str) -> list[dict[str, Any]]:
    """What the Nu Html Checker says about the files."""
    require(VNU, "npm i -E --no-save vnu-jar")
    java = shutil.which("java")
    assert java, "java is missing: apt-get install -y openjdk-17-jre-headless"
    run = subprocess.run([java, "-jar", str(VNU), *options, "--format", "json", *pages],
                         capture_output=True, text=True, timeout=300, check=False)
    output = run.stderr.strip() or run.stdout.strip()
    assert output.startswith("{") or (run.returncode == 0 and not output), output[-2000:]
    found: list[dict[str, Any]] = json.loads(output)["messages"] if output else []
    return found


def test_every_demo_page_is_valid_html(demo: Path) -> None:
    pages = sorted(str(p) for p in demo.rglob("*.html"))
    assert len(pages) > 80
    messages = nu_messages(pages, "--errors-only")
    errors = [f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine', 0)}: "
              f"{m.get('message')}" for m in messages
              if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert errors == [], "\n".join(errors[:40])


def test_every_section_of_the_home_and_a_briefing_has_a_heading(demo: Path) -> None:
    """The top story, the Sources and the related briefings are sections with headings (the
    checker warns "Section lacks heading" otherwise)."""
    pages = [str(demo / "index.html"), str(demo / "ru/index.html"),
             str(demo / "briefings/2026/09/frigate-contract-award/index.html")]
    messages = nu_messages(pages)
    assert [m.get("message") for m in messages if "lacks heading" in m.get("message", "")] == []
