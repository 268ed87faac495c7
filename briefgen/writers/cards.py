"""Social cards as jobs: card.png beside each briefing page without its own image, and what
its page's head says of the picture a share shows (og:image, twitter:image)."""

from __future__ import annotations

import os
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.cards import HEIGHT, WIDTH, CardText, Design, draw_card, load_design, shown
from briefgen.diagnostics import Diagnostics
from briefgen.digests import Digests, digest
from briefgen.jobs import Job
from briefgen.models import Briefing
from briefgen.output import write_file
from briefgen.themefolders import bundled_themes_dir

if TYPE_CHECKING:
    from briefgen.config import Config
    from briefgen.output import Output
    from briefgen.site import Site

__all__ = ["CARD_LABEL", "DrawAhead", "ShareImage", "card_jobs", "card_url", "cards_for",
           "draw_ahead", "share_image"]

CARD_LABEL = "social cards"


@dataclass(frozen=True)
class ShareImage:
    """The picture a share of a page shows: its site path or URL, size when known, and alt."""

    url: str
    alt: str
    width: int = 0
    height: int = 0


def card_url(page_url: str) -> str:
    """Where a briefing's card is published: card.png in its page's folder ('/b/x/card.png'),
    or beside a page whose URL names a file ('/b/x.html' -> '/b/x.card.png')."""
    if page_url.endswith("/"):
        return page_url + "card.png"
    return page_url.rsplit(".", 1)[0] + ".card.png"


def share_image(b: Briefing, config: Config) -> ShareImage | None:
    """The briefing's own `image:`, else its card (None when cards are off)."""
    if b.image:
        return ShareImage(b.image, b.title)
    if not config.cards:
        return None
    return ShareImage(card_url(b.url), b.title, WIDTH, HEIGHT)


def card_text(b: Briefing, config: Config) -> CardText:
    """What a briefing's card shows, in its language and timezone."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(b.timezone) if b.timezone else config.tz
    local = b.date.astimezone(zone)
    day = _day(local.date(), (b.lang or config.language).replace("-", "_"), local, zone)
    return CardText(config.title, b.category.name if b.category else "", b.kicker, b.title, day)


_DAYS: dict[tuple[date, str], str] = {}


def _day(day: date, language: str, local: datetime, zone: tzinfo) -> str:
    """The day a card shows ("4 March 2026"), remembered by the day and the language: the
    pattern names nothing else of the moment (many briefings share a day)."""
    key = (day, language)
    shown = _DAYS.get(key)
    if shown is None:
        from babel import Locale
        from babel.dates import format_datetime

        if len(_DAYS) >= 4096:
            _DAYS.clear()
        shown = _DAYS[key] = format_datetime(local, "d MMMM y", tzinfo=zone,
                                             locale=Locale.parse(language))
    return shown


def _make(b: Briefing, config: Config, design: Design, cache: Path | None) -> bytes:
    """The card's bytes: from the card cache when one showing the same was drawn before."""
    text = card_text(b, config)  # read when made: the preview edits the briefing in place
    if cache is None:
        return draw_card(design, text)
    kept = cache / f"{shown(design, text)}.png"
    try:
        data = kept.read_bytes()
        _in_use(kept)
        return data
    except OSError:
        pass
    data = draw_card(design, text)
    _keep(kept, data)
    return data


def _place(b: Briefing, config: Config, design: Design, cache: Path, rel: str,
           output: Output) -> str:
    """A whole build's card put into staging (Job.place), its path: the card cache's file
    hard-linked there when one showing the same was drawn before, else drawn, written once and
    that file linked into the card cache (Output.link says why sharing the file is sound)."""
    text = card_text(b, config)
    kept = cache / f"{shown(design, text)}.png"
    try:
        path = output.link(rel, str(kept))
    except FileNotFoundError:
        data = draw_card(design, text)
        path = output.write(rel, data)
        _share(path, kept, data)
        return path
    _in_use(kept)
    return path


# A card cache entry used is touched (kept from prune_cards' 90 days) once a day at most: its
# file may be the published card too, whose time the build's manifest records.
TOUCH_AFTER = 86400.0


def _in_use(kept: Path) -> None:
    """Mark a card cache entry as used, when it was last marked more than a day ago."""
    import time

    try:
        if os.stat(kept).st_mtime < time.time() - TOUCH_AFTER:
            os.utime(kept)
    except OSError:  # pruned meanwhile: drawn again when next wanted
        pass


def _share(staged: str, kept: Path, data: bytes) -> None:
    """A card drawn into staging, into the card cache too: a hard link to the staged file
    (written whole before it is linked), else a copy of its own."""
    for attempt in (1, 2):
        try:
            os.link(staged, kept)
            return
        except FileExistsError:  # drawn meanwhile (DrawAhead): the same bytes
            return
        except FileNotFoundError:  # no card cache folder yet
            if attempt == 2:
                break
            kept.parent.mkdir(parents=True, exist_ok=True)
        except OSError:  # no hard links there
            break
    _keep(kept, data)


def _keep(kept: Path, data: bytes) -> None:
    """A drawn card into the card cache, whole or not at all (a scratch file renamed; the
    folder made only when the first write finds it missing)."""
    scratch = f"{kept}.{os.getpid()}"
    try:
        write_file(scratch, data)
    except FileNotFoundError:
        kept.parent.mkdir(parents=True, exist_ok=True)
        write_file(scratch, data)
    os.replace(scratch, kept)


def _carded(site: Site) -> list[tuple[Config, Briefing]]:
    """Every briefing with a page and no image of its own, with its edition's config."""
    briefings = [(e.config, b) for e in site.editions.values() for b in e.briefings]
    briefings += [(site.editions[b.lang].config, b) for b in site.expired]
    return [(config, b) for config, b in briefings if not b.image]


def card_jobs(site: Site, design: Design, digests: Digests, cache: Path | None = None,
              only: set[str] | None = None) -> list[Job]:
    """A card job for every briefing with a page and no image of its own (or only for those
    written to the `only` files). A key names what the card shows through the card digest."""
    jobs: list[Job] = []
    for config, b in _carded(site):
        rel = site.urls.output_file(card_url(b.url))
        if only is not None and rel not in only:
            continue
        key = digest(CARD_LABEL, design.digest, digests.config, config.title, digests.card(b))
        place = partial(_place, b, config, design, cache, rel) if cache is not None else None
        jobs.append(Job(rel, key, partial(_make, b, config, design, cache), label=CARD_LABEL,
                        place=place))
    return jobs


def cards_for(site: Site, theme_dirs: list[Path], digests: Digests, diags: Diagnostics,
              cache: Path | None, only: set[str] | None = None) -> list[Job]:
    """The card jobs of a build (none when `share: cards:` is off); a whole build also prunes
    the card cache."""
    if not site.config.cards:
        return []
    design = load_design([*theme_dirs, bundled_themes_dir() / "default"], diags)
    if design is None:
        return []
    if only is None and cache is not None:
        prune_cards(cache)
    return card_jobs(site, design, digests, cache, only)


def prune_cards(cache: Path, days: float = 90) -> None:
    """Forget cards no build has used for `days` (whole builds call it)."""
    import time

    if not cache.is_dir():
        return
    oldest = time.time() - days * 86400
    for entry in os.scandir(cache):
        try:
            if entry.stat().st_mtime < oldest:
                os.unlink(entry.path)
        except OSError:
            continue


class DrawAhead:
    """Cards drawn into the card cache by a forked process while this one does work of its own
    on one CPU (a whole build's jobs step), so that the render step finds them there. The last
    cards first: the render's own process takes its jobs from the end of the list, where the
    cards are. stop() lets the drawer finish the card it is drawing and waits for it."""

    def __init__(self, site: Site, theme_dirs: list[Path], cache: Path) -> None:
        read, self._stop = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # pragma: no cover - the child's coverage is not collected
            status = 1
            try:
                os.close(self._stop)
                _draw_ahead(site, theme_dirs, cache, read)
                status = 0
            finally:
                os._exit(status)
        os.close(read)

    def stop(self) -> None:
        if self._pid:
            os.close(self._stop)  # the drawer reads the end of the pipe: it stops
            os.waitpid(self._pid, 0)
            self._pid = 0

    def __enter__(self) -> DrawAhead:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


# Fewer cards than this are drawn by the render step alone: forking costs more than it saves.
AHEAD_FROM = 200


def draw_ahead(site: Site, theme_dirs: list[Path], cache: Path | None,
               processes: int) -> AbstractContextManager[object]:
    """A DrawAhead when it pays: cards on, a card cache to draw into, a second process allowed,
    AHEAD_FROM cards or more and no other thread running (a forked copy of a threaded process
    may hang on a lock another thread held); else a context that does nothing."""
    from briefgen.freshness import may_fork

    if (not site.config.cards or cache is None or processes < 2 or not may_fork()
            or len(site.briefings) < AHEAD_FROM):
        return nullcontext()
    return DrawAhead(site, theme_dirs, cache)


def _draw_ahead(site: Site, theme_dirs: list[Path], cache: Path, stop: int) -> None:
    import select

    design = load_design([*theme_dirs, bundled_themes_dir() / "default"], Diagnostics())
    if design is None:
        return
    try:
        present = set(os.listdir(cache))  # one listing, not a stat per card
    except OSError:
        present = set()
    for config, b in reversed(_carded(site)):
        if select.select([stop], [], [], 0)[0]:
            return
        text = card_text(b, config)
        name = f"{shown(design, text)}.png"
        if name not in present:
            present.add(name)
            _keep(cache / name, draw_card(design, text))
