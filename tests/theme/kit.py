"""The theme's test kit: the demo site built once per test run, served on loopback, and Chromium.

Browser tests import the fixtures from here (`from tests.theme.kit import ...`), so they need no
conftest of their own. Every outside tool must be there: a missing one fails its test with the
command that installs it (scripts/test installs them all), never a silent skip.
"""

from __future__ import annotations

import atexit
import functools
import http.server
import shutil
import tempfile
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest

from briefgen.build import BuildOptions, build

__all__ = ["CHROMIUM", "NOW", "PAGES", "REPO", "WIDTHS", "chromium", "demo", "demo_url",
           "launch_args", "new_page", "open_menu", "require"]

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
CHROMIUM = "/usr/bin/chromium"
WIDTHS = (390, 1280)
# One page of each kind the quality bars name, as site paths of the demo.
PAGES = {
    "home": "/",
    "briefing": "/briefings/2026/09/frigate-contract-award/",
    "category": "/categories/opinion/",
    "tag": "/tags/defence/",
    "source": "/sources/defence-ministry-frigates-2026-09-22/",
    "archive": "/archive/",
    "archive-year": "/archive/2026/",
    "search": "/search/?q=frigate",
}


def require(path: str | Path, install: str) -> Path:
    """The tool at path, or a failed test that says how to install it."""
    found = Path(path)
    if not found.exists():
        pytest.fail(f"{found} is missing: {install} (scripts/test installs it)", pytrace=False)
    return found


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
        ".pagefind": "application/octet-stream", ".js": "text/javascript"}

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(folder: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    """A static server for folder on 127.0.0.1 (any free port), like a plain static host."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@functools.cache
def _served_demo() -> tuple[Path, str]:
    scratch = Path(tempfile.mkdtemp(prefix="briefgen-theme-"))
    out = scratch / "site"
    url, server = serve(out)
    result = build(BuildOptions(REPO, output=out, now=NOW, cache=False, strict=True,
                                base_url=url))
    assert not result.diagnostics.errors

    def stop() -> None:
        server.shutdown()
        shutil.rmtree(scratch, ignore_errors=True)

    atexit.register(stop)
    return out, url


@pytest.fixture(scope="session")
def demo() -> Path:
    """The repository's demo site, built once (with search) with its base_url on loopback."""
    return _served_demo()[0]


@pytest.fixture(scope="session")
def demo_url() -> str:
    """Where the demo is served: http://127.0.0.1:PORT/."""
    return _served_demo()[1]


def launch_args() -> dict[str, Any]:
    """Debian's Chromium, with nothing reaching out beyond loopback (TOOLING.md)."""
    return {"executable_path": CHROMIUM, "args": [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]}


@pytest.fixture(scope="module")
def chromium(playwright: Any) -> Iterator[Any]:
    """One Chromium per test module, from pytest-playwright's session-wide Playwright."""
    require(CHROMIUM, "apt-get install -y chromium")
    browser = playwright.chromium.launch(**launch_args())
    yield browser
    browser.close()


def new_page(browser: Any, width: int = 1280, dark: bool = False, **context: Any) -> Any:
    """A page in a fresh context (fresh localStorage) at a width, light or dark."""
    ctx = browser.new_context(viewport={"width": width, "height": 900},
                              color_scheme="dark" if dark else "light", **context)
    return ctx.new_page()


def open_menu(page: Any) -> None:
    """On a phone, open the header's menu (search, reading options, languages); on a desktop,
    where there is no menu, do nothing."""
    toggle = page.locator("header .menu-toggle")
    if toggle.is_visible():
        toggle.click()
        page.wait_for_function("document.querySelector('header .menu-toggle')"
                               ".getAttribute('aria-expanded') === 'true'")
