"""`briefgen check --external`: every source URL of the site fetched safely, dead or moved ones
reported as warnings with the archived copy to cite instead. Never run by a plain build or check.

Modules, one job each:

    targets.py  which URLs: each source's url once, with every place that names it
    probe.py    one URL: HEAD (GET when HEAD is refused), and what its answer means
    hosts.py    one host's URLs in turn: robots.txt first, a pause between two requests
    run.py      every host, a few at a time, within a time limit; the warnings and the summary

The fetching itself is the clipper's (briefgen.clip.fetch, robots): vetted addresses, caps on
time, size and redirects, certificates always checked.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ExternalOptions"]


@dataclass
class ExternalOptions:
    """How `check --external` fetches: the clipper's safe-fetch rules, plus these limits."""

    allow_private: bool = False  # allow hosts on private or loopback addresses (an intranet)
    timeout: float = 10.0  # seconds to connect and for each read
    workers: int = 6  # hosts checked at the same time (each host: one request at a time)
    delay: float = 0.5  # seconds between two requests to the same host (or its Crawl-delay)
    time_limit: float = 600.0  # seconds for the whole check; URLs not reached are named
