"""Social cards as jobs: card.png beside each briefing page without its own image, and what
its page's head says of the picture a share shows (og:image, twitter:image)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.cards import HEIGHT, WIDTH, CardText, Design, draw_card, load_design, shown
from briefgen.diagnostics import Diagnostics
from briefgen.digests import Digests, digest
from briefgen.jobs import Job
from briefgen.models import Briefing
from briefgen.themefolders import bundled_themes_dir

if TYPE_CHECKING:
    from briefgen.config import Config
    from briefgen.site import Site

__all__ = ["CARD_LABEL", "ShareImage", "card_jobs", "card_url", "cards_for", "share_image"]

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

    from babel import Locale
    from babel.dates import format_datetime

    zone = ZoneInfo(b.timezone) if b.timezone else config.tz
    locale = Locale.parse((b.lang or config.language).replace("-", "_"))
    day = format_datetime(b.date.astimezone(zone), "d MMMM y", tzinfo=zone, locale=locale)
    return CardText(config.title, b.category.name if b.category else "", b.kicker, b.title, day)


def _make(b: Briefing, config: Config, design: Design, cache: Path | None) -> bytes:
    """The card's bytes: from the card cache when one showing the same was drawn before."""
    text = card_text(b, config)  # read when made: the preview edits the briefing in place
    if cache is None:
        return draw_card(design, text)
    kept = cache / f"{shown(design, text)}.png"
    try:
        data = kept.read_bytes()
        os.utime(kept)  # in use: kept from pruning (prune_cards)
        return data
    except OSError:
        pass
    data = draw_card(design, text)
    cache.mkdir(parents=True, exist_ok=True)
    scratch = kept.with_name(f"{kept.name}.{os.getpid()}")
    scratch.write_bytes(data)
    os.replace(scratch, kept)
    return data


def card_jobs(site: Site, design: Design, digests: Digests, cache: Path | None = None,
              only: set[str] | None = None) -> list[Job]:
    """A card job for every briefing with a page and no image of its own (or only for those
    written to the `only` files). A key names what the card shows through the card digest."""
    jobs: list[Job] = []
    briefings = [(e.config, b) for e in site.editions.values() for b in e.briefings]
    briefings += [(site.editions[b.lang].config, b) for b in site.expired]
    for config, b in briefings:
        if b.image:
            continue
        rel = site.urls.output_file(card_url(b.url))
        if only is not None and rel not in only:
            continue
        key = digest(CARD_LABEL, design.digest, digests.config, config.title, digests.card(b))
        jobs.append(Job(rel, key, partial(_make, b, config, design, cache), label=CARD_LABEL))
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
