"""The Nu Html Checker finds no error on any page of the demo site (one call over every file)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.theme.kit import REPO, demo, require

__all__ = ["demo"]  # the fixture used below

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_demo_page_is_valid_html(demo: Path) -> None:
    require(VNU, "npm i -E --no-save vnu-jar")
    java = shutil.which("java")
    assert java, "java is missing: apt-get install -y openjdk-17-jre-headless"
    pages = sorted(str(p) for p in demo.rglob("*.html"))
    assert len(pages) > 80
    run = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                         capture_output=True, text=True, timeout=300, check=False)
    output = run.stderr.strip() or run.stdout.strip()
    assert output.startswith("{") or (run.returncode == 0 and not output), output[-2000:]
    messages = json.loads(output)["messages"] if output else []
    errors = [f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine', 0)}: "
              f"{m.get('message')}" for m in messages
              if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert errors == [], "\n".join(errors[:40])
