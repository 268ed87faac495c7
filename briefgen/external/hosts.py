"""One host's URLs in turn, one request at a time: robots.txt first, a pause between requests."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit

from briefgen.clip.errors import FetchError, TooLarge, TooManyRedirects
from briefgen.clip.fetch import Fetcher
from briefgen.clip.robots import Robots, read_robots
from briefgen.external import ExternalOptions
from briefgen.external.probe import SKIPPED, Outcome, failure, probe
from briefgen.external.targets import Target

__all__ = ["MAX_CRAWL_DELAY", "check_host"]

MAX_CRAWL_DELAY = 30.0  # a robots.txt Crawl-delay is honoured up to this many seconds


class _Pacer:
    """Spaces the requests to one host: each starts at least `delay` seconds after the last."""

    def __init__(self, delay: float, clock: Callable[[], float],
                 sleep: Callable[[float], None]) -> None:
        self.delay, self.clock, self.sleep = delay, clock, sleep
        self.last: float | None = None

    def __call__(self) -> None:
        if self.last is not None:
            wait = self.last + self.delay - self.clock()
            if wait > 0:
                self.sleep(wait)
        self.last = self.clock()


def _robots(url: str, fetcher: Fetcher, pace: _Pacer) -> Robots | Outcome:
    """The robots.txt of url's site, or the outcome for every URL of a site that cannot be
    reached at all (no such host, no answer, a refused address)."""
    parts = urlsplit(url)
    robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
    pace()
    try:
        return read_robots(url, fetcher)
    except (TooLarge, TooManyRedirects):  # RFC 9309: as good as no robots.txt
        return Robots(robots_url)
    except FetchError as exc:
        return failure(robots_url, exc, fetcher.timeout)


def check_host(targets: list[Target], fetcher: Fetcher, options: ExternalOptions,
               deadline: float, clock: Callable[[], float] = time.monotonic,
               sleep: Callable[[float], None] = time.sleep) -> dict[str, Outcome]:
    """The outcome of each target URL of one host, checked one after another."""
    pace = _Pacer(options.delay, clock, sleep)
    sites: dict[str, Robots | Outcome] = {}
    outcomes: dict[str, Outcome] = {}
    for target in targets:
        if clock() >= deadline:
            outcomes[target.url] = Outcome(SKIPPED, f"the {options.time_limit:g} s time limit "
                                           "of check --external ran out before it")
            continue
        parts = urlsplit(target.url)
        origin = f"{parts.scheme}://{parts.netloc}"
        site = sites.get(origin)
        if site is None:
            site = sites[origin] = _robots(target.url, fetcher, pace)
            if isinstance(site, Robots):
                pace.delay = max(options.delay, min(site.crawl_delay(), MAX_CRAWL_DELAY))
        if isinstance(site, Outcome):
            outcomes[target.url] = site
            continue
        refusal = site.refusal(target.url)
        if refusal:
            outcomes[target.url] = Outcome(SKIPPED, f"robots.txt forbids it ({refusal})")
            continue
        outcomes[target.url] = probe(fetcher, target.url, pace)
    return outcomes
