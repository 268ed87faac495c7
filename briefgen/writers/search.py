"""The search index: Pagefind run over the whole published site, its folder swapped in at once.

Runs after the publish step, because Pagefind reads finished HTML; the Pagefind binary indexes
the whole published folder, so an incremental build indexes to the same bytes as a cold one. Pages
opt in with `data-pagefind-body` (briefings, standalone pages, source pages); the theme marks the
chrome to ignore and gives each page `data-pagefind-meta` values (category, language, type) that the
search page filters on. Not Pagefind filters: Pagefind 1.5 writes its filter files in a different
order on every run, which would make builds irreproducible. A site in one language gets one index in
that language; a site in several gets one index per language (Pagefind reads each page's
`<html lang>`), and each language's search page searches its own.

The index is written beside the published folder and then renamed into `pagefind/`, so readers
never see half an index. The render step leaves `pagefind/` alone (render.OWNED_DIRS); the
published manifest records its files so that a build with nothing to do still sees an intact
output. Nothing to re-index (no HTML changed and an index exists) means nothing is run.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from briefgen.diagnostics import Diagnostics

__all__ = ["SEARCH_DIR", "index_site", "search_stamps"]

SEARCH_DIR = "pagefind"
_ENTRY = "pagefind.js"
_ENTRY_JSON = "pagefind-entry.json"


def _needs_index(out: Path, touched: Iterable[str]) -> bool:
    if not (out / SEARCH_DIR / _ENTRY).is_file():
        return True
    return any(rel.endswith(".html") for rel in touched)


def _write_index(out: Path, staging: Path, language: str | None) -> None:
    """Run the Pagefind binary over the published folder (its Python API answers one request
    per tenth of a second, a thousand seconds for 10,000 pages; the binary takes a blink)."""
    command = [sys.executable, "-m", "pagefind", "--site", str(out), "--output-path",
               str(staging), *(("--force-language", language) if language else ()), "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    if done.returncode != 0 or not (staging / _ENTRY).is_file():
        raise RuntimeError((done.stderr or done.stdout).strip()[-500:] or "no index written")
    _sort_entry(staging / _ENTRY_JSON)


def _sort_entry(path: Path) -> None:
    """Pagefind lists the languages of its entry file in a different order on every run; sorted,
    a build is reproducible (the order means nothing to pagefind.js)."""
    if path.is_file():
        data = json.loads(path.read_bytes())
        path.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False,
                                   separators=(",", ":")), encoding="utf-8")


def index_site(out: Path, touched: Iterable[str], enabled: bool, language: str | None,
               diags: Diagnostics) -> str:
    """Bring out/pagefind/ up to date; returns what it did: indexed, unchanged, removed or off."""
    target = out / SEARCH_DIR
    if not enabled:
        if target.exists():
            shutil.rmtree(target)
            return "removed"
        return "off"
    if not _needs_index(out, touched):
        return "unchanged"
    staging = out.with_name(out.name + ".briefgen-search-staging")
    old = out.with_name(out.name + ".briefgen-search-old")
    for leftover in (staging, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    if importlib.util.find_spec("pagefind") is None:
        diags.error("briefgen.yaml", 0, 0, "search index not built: Pagefind is not installed "
                    "(pip install 'pagefind[bin]', or set search: false)")
        return "failed"
    try:
        _write_index(out, staging, language)
    except Exception as exc:  # the Pagefind service failed: report it, keep the site as it is
        shutil.rmtree(staging, ignore_errors=True)
        diags.error("briefgen.yaml", 0, 0, f"search index not built: Pagefind failed "
                    f"({type(exc).__name__}: {exc})")
        return "failed"
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    if old.exists():
        shutil.rmtree(old)
    return "indexed"


def search_stamps(out: Path, key: str = "search") -> dict[str, str]:
    """Manifest entries ("key size mtime_ns") for every file of out/pagefind/."""
    stamps: dict[str, str] = {}
    folder = out / SEARCH_DIR
    for current, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(current, name)
            stat = os.stat(path)
            rel = Path(path).relative_to(out).as_posix()
            stamps[rel] = f"{key} {stat.st_size} {stat.st_mtime_ns}"
    return stamps
