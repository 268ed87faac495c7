"""WebSub: telling the site's hub which feeds changed since the last ping (`briefgen ping`).

Run after a deploy. Every feed of the published folder (RSS, Atom and JSON Feed, the site's and
each category's, tag's and author's) is digested; each one whose digest differs from the one
remembered at its last successful ping is announced to the hub with a POST of
`hub.mode=publish&hub.url=<the feed's URL>`, through the clipper's safe fetcher (no private
addresses unless allowed, timeouts, size caps), one request at a time and within a total time
budget (RELIABILITY 56). What the hub accepted (2xx) is remembered in `.briefgen/pinged.json`;
what it refused, could not take or had no time left for is reported and tried again next time.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from briefgen.clip.errors import FetchError
from briefgen.clip.fetch import Fetcher
from briefgen.urls import FEED_FILES

__all__ = ["BUDGET", "PINGED", "PingReport", "ping"]

PINGED = Path(".briefgen") / "pinged.json"


@dataclass
class PingReport:
    """What a ping did: feed URLs announced, left alone (unchanged), and refused (with why)."""

    sent: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def _feeds(out: Path) -> list[str]:
    """Every feed file in the published folder, site-relative, sorted."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if p.name in FEED_FILES and p.is_file())


def _remembered(path: Path) -> dict[str, str]:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def _remember(path: Path, pinged: dict[str, str]) -> None:
    path.parent.mkdir(exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(pinged, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(partial, path)


BUDGET = 120.0  # seconds for a whole ping


def ping(root: Path, out: Path, site_url: str, hub: str, fetcher: Fetcher,
         budget: float = BUDGET) -> PingReport:
    """Announce every feed of `out` (published at site_url) whose bytes changed since its last
    accepted ping, within `budget` seconds."""
    report = PingReport()
    deadline = time.monotonic() + budget
    memory = root / PINGED
    pinged = _remembered(memory)
    base = site_url if site_url.endswith("/") else site_url + "/"
    for rel in _feeds(out):
        url = urljoin(base, rel)
        digest = hashlib.blake2b((out / rel).read_bytes(), digest_size=16).hexdigest()
        if pinged.get(url) == digest:
            report.unchanged.append(url)
            continue
        if time.monotonic() >= deadline:
            report.failed.append((url, f"not sent: the ping ran out of its {budget:g} s"))
            continue
        try:
            answer = fetcher.post(hub, {"hub.mode": "publish", "hub.url": url})
        except FetchError as exc:
            report.failed.append((url, str(exc)))
            continue
        if 200 <= answer.status < 300:
            pinged[url] = digest
            report.sent.append(url)
        else:
            report.failed.append((url, f"the hub answered {answer.status} {answer.reason}"))
    _remember(memory, pinged)
    return report
