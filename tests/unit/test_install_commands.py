"""The README's first command and scripts/test install into a virtualenv, never into the system
Python (which Debian and Ubuntu refuse under PEP 668)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _first_command() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Two commands"):]
    return re.findall(r"```sh\n(.+?)\n\s*```", section, re.DOTALL)[0].strip()


def test_the_readmes_first_command_makes_a_virtualenv_and_runs_briefgen_from_it() -> None:
    command = _first_command()
    steps = [step.strip() for step in command.split("&&")]
    assert steps[0] == "python3 -m venv .venv"
    assert steps[1].startswith(".venv/bin/pip install .")
    assert steps[2] == ".venv/bin/briefgen build"


def test_scripts_test_installs_into_its_virtualenv_only() -> None:
    script = (REPO / "scripts/test").read_text(encoding="utf-8")
    assert 'VENV="${BRIEFGEN_VENV:-.venv}"' in script
    assert 'python3 -m venv "$VENV"' in script
    assert "apt_install python3-venv" in script  # Debian without python3-venv
    installs = [line.strip() for line in script.splitlines() if "pip install" in line]
    assert installs and all(line.startswith('"$VENV/bin/python" -m pip') for line in installs)
    runs = [line.strip() for line in script.splitlines()
            if re.match(r"\s*\S*(ruff|mypy|pytest)\b", line) or "-m pytest" in line]
    assert runs and all(line.startswith('"$VENV/bin/') for line in runs), runs
    assert "/.venv/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
