"""What a fresh interpreter has imported after running some code (for "X never loads Y" tests)."""

from __future__ import annotations

import subprocess
import sys

__all__ = ["imports_after"]


def imports_after(code: str, package: str) -> bool:
    """Whether running code in a fresh interpreter imports package (or any module in it)."""
    check = (f"{code}\nimport sys\n"
             f"print(any(n.partition('.')[0] == {package!r} for n in sys.modules))")
    found = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                           check=True)
    return found.stdout.strip() == "True"
