"""The scoring behind scripts/clip-score: every field of every fixture right, and a wrong
expectation counted against the field and the fixture it belongs to."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.clip.scoring import FIELDS, FIXTURES, fixture_pages, score

ROOT = Path(__file__).resolve().parents[2]


def test_every_field_of_every_fixture_scores_right() -> None:
    result = score(fixture_pages())
    assert {name: wrong for name, wrong in result.wrong.items() if wrong} == {}
    assert all(len(result.right[name]) == len(fixture_pages()) for name in FIELDS)


def test_a_wrong_expectation_is_counted_against_its_field_and_fixture(tmp_path: Path) -> None:
    for name in ("en-column-copy.txt", "ru-caption-body.html"):
        shutil.copy(FIXTURES / name, tmp_path / name)
        expected = FIXTURES / name.replace(".txt", ".expected.json").replace(
            ".html", ".expected.json")
        shutil.copy(expected, tmp_path / expected.name)
    doctored = tmp_path / "en-column-copy.expected.json"
    data = json.loads(doctored.read_text("utf-8"))
    data["title"] = "Libraries"
    data["chrome"].append("Every winter")
    doctored.write_text(json.dumps(data), encoding="utf-8")
    result = score(fixture_pages(tmp_path))
    assert result.wrong["title"] == ["en-column-copy.txt"]
    assert result.wrong["no chrome"] == ["en-column-copy.txt"]
    assert result.wrong["outlet"] == []
    lines = result.lines()
    assert lines[0] == "title             1/2    50.0%  wrong: en-column-copy.txt"
    assert lines[1] == "outlet            2/2   100.0%"


def test_the_script_prints_a_line_per_field_and_fails_on_a_wrong_field(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "en-host-outlet.txt", tmp_path)
    data = json.loads((FIXTURES / "en-host-outlet.expected.json").read_text("utf-8"))
    data["outlet"] = "Valley Weather"
    (tmp_path / "en-host-outlet.expected.json").write_text(json.dumps(data), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "clip-score"), str(tmp_path)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert "outlet            0/1     0.0%  wrong: en-host-outlet.txt" in proc.stdout
    assert len(proc.stdout.splitlines()) == 1 + len(FIELDS)
