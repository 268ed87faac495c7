"""Social cards in a build: one per briefing and translation, named in the page's head, an own
`image:` winning, off by config, and never drawn again while what it shows is unchanged."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from lxml import html
from PIL import Image

from tests.sitekit import CONFIG, build_site, cold_tree, tree, write_site

SITE = CONFIG + """\
languages:
  - code: en
    default: true
  - code: ru
    title: Тестовый отдел
-- content/categories.yaml --
ferries:
  name: Ferries
-- content/briefings/alpha.md --
---
title: Alpha ferry timetable changes
summary: The winter timetable starts.
date: 2026-11-20T09:00:00Z
category: ferries
translation_key: alpha
---
Alpha body.
-- content/briefings/alpha.ru.md --
---
title: Паром Альфа меняет расписание
summary: Начинается зимнее расписание.
date: 2026-11-20T09:00:00Z
lang: ru
category: ferries
translation_key: alpha
---
Текст.
-- content/briefings/beta.md --
---
title: Beta has its own picture
summary: A photo of the pier.
date: 2026-11-21T09:00:00Z
image: https://images.example.org/pier.jpg
---
Beta body.
"""
ALPHA = "briefings/2026/11/alpha/"
ALPHA_RU = "ru/briefings/2026/11/alpha/"
BETA = "briefings/2026/11/beta/"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return write_site(tmp_path / "desk", SITE)


def head(root: Path, page: str) -> dict[str, str]:
    doc = html.fromstring((root / "site" / page / "index.html").read_bytes())
    return {m.get("property") or m.get("name"): m.get("content") for m in doc.iter("meta")}


def card(root: Path, page: str) -> Path:
    return root / "site" / page / "card.png"


def test_each_briefing_and_translation_has_a_card_named_in_its_head(site: Path) -> None:
    build_site(site)
    for page in (ALPHA, ALPHA_RU):
        meta = head(site, page)
        assert meta["og:image"] == meta["twitter:image"] == f"https://example.org/{page}card.png"
        assert meta["twitter:card"] == "summary_large_image"
        with Image.open(card(site, page)) as picture:
            assert picture.size == (1200, 630)
    assert card(site, ALPHA).read_bytes() != card(site, ALPHA_RU).read_bytes()
    assert head(site, ALPHA_RU)["og:image:alt"] == "Паром Альфа меняет расписание"
    assert head(site, "")["twitter:card"] == "summary"  # lists have no picture
    assert "og:image" not in head(site, "")


def test_a_briefing_image_wins_over_its_card(site: Path) -> None:
    build_site(site)
    meta = head(site, BETA)
    assert meta["og:image"] == meta["twitter:image"] == "https://images.example.org/pier.jpg"
    assert "og:image:width" not in meta  # its size is not known
    assert not card(site, BETA).exists()


def test_cards_off_draws_none_and_keeps_an_own_image(site: Path) -> None:
    config = site / "briefgen.yaml"
    config.write_text(config.read_text() + "share:\n  cards: false\n")
    build_site(site)
    assert not list((site / "site").rglob("card.png"))
    assert head(site, ALPHA)["twitter:card"] == "summary" and "og:image" not in head(site, ALPHA)
    assert head(site, BETA)["og:image"] == "https://images.example.org/pier.jpg"


def test_a_card_showing_the_same_is_copied_from_the_cache_not_drawn_again(site: Path) -> None:
    build_site(site)
    kept = sorted((site / ".briefgen-cache" / "cards").glob("*.png"))
    assert len(kept) == 2  # alpha in English and in Russian
    # Mark every kept card: a build that copies them publishes the mark, one that draws does not.
    marked = io.BytesIO()
    Image.new("RGB", (1200, 630), (0, 128, 0)).save(marked, "PNG")
    for path in kept:
        path.write_bytes(marked.getvalue())
    shutil.rmtree(site / "site")
    build_site(site)
    assert card(site, ALPHA).read_bytes() == marked.getvalue()


def test_a_summary_edit_leaves_the_card_and_a_title_edit_draws_it_anew(
        site: Path, tmp_path: Path) -> None:
    build_site(site)
    before = card(site, ALPHA).stat()
    alpha = site / "content/briefings/alpha.md"
    alpha.write_text(alpha.read_text().replace("The winter", "The new winter"))
    build_site(site)
    after = card(site, ALPHA).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    drawn = card(site, ALPHA).read_bytes()
    alpha.write_text(alpha.read_text().replace("Alpha ferry", "Alpha ferries"))
    build_site(site)
    assert card(site, ALPHA).read_bytes() != drawn
    assert tree(site / "site") == cold_tree(site, tmp_path)


def test_giving_a_briefing_an_image_removes_its_card_and_taking_it_away_brings_it_back(
        site: Path, tmp_path: Path) -> None:
    build_site(site)
    alpha = site / "content/briefings/alpha.md"
    text = alpha.read_text()
    alpha.write_text(text.replace("category: ferries\n",
                                  "category: ferries\nimage: /images/alpha.png\n"))
    build_site(site)
    assert not card(site, ALPHA).exists() and card(site, ALPHA_RU).exists()
    assert head(site, ALPHA)["og:image"] == "https://example.org/images/alpha.png"
    assert tree(site / "site") == cold_tree(site, tmp_path)
    alpha.write_text(text)
    build_site(site)
    assert card(site, ALPHA).exists()
    assert tree(site / "site") == cold_tree(site, tmp_path)


def _count_draws(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the cards this process draws from now on."""
    import briefgen.writers.cards as cards

    drawn = [0]
    draw = cards.draw_card

    def counting(*args: object) -> bytes:
        drawn[0] += 1
        return draw(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(cards, "draw_card", counting)
    return drawn


def test_a_drawn_card_is_written_once_and_linked_into_the_cache_then_linked_back(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = _count_draws(monkeypatch)
    build_site(site, jobs=1)
    assert drawn == [2]
    kept = sorted((site / ".briefgen-cache" / "cards").glob("*"))
    assert len(kept) == 2 and all(path.suffix == ".png" for path in kept)  # no scratch left
    published = {card(site, page).stat().st_ino for page in (ALPHA, ALPHA_RU)}
    assert {path.stat().st_ino for path in kept} == published  # the same files
    shutil.rmtree(site / "site")  # a CI run that restored only .briefgen-cache/
    build_site(site, jobs=1)
    assert drawn == [2]  # none drawn again: linked from the cache
    assert {card(site, page).stat().st_ino for page in (ALPHA, ALPHA_RU)} == published
    assert tree(site / "site") == cold_tree(site, tmp_path)


def test_a_card_cache_where_links_are_refused_is_written_and_copied_from(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*_args: object, **_kwargs: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr("os.link", refused)
    drawn = _count_draws(monkeypatch)
    build_site(site, jobs=1)
    kept = sorted((site / ".briefgen-cache" / "cards").glob("*"))
    assert len(kept) == 2 and all(path.suffix == ".png" for path in kept)
    assert {path.read_bytes() for path in kept} == {card(site, p).read_bytes()
                                                    for p in (ALPHA, ALPHA_RU)}
    shutil.rmtree(site / "site")
    build_site(site, jobs=1)
    assert drawn == [2]
    assert card(site, ALPHA).stat().st_nlink == 1  # copies, not links
    assert tree(site / "site") == cold_tree(site, tmp_path)


def test_a_card_used_is_touched_once_a_day_at_most(site: Path) -> None:
    import os
    import time

    build_site(site, jobs=1)
    kept = sorted((site / ".briefgen-cache" / "cards").glob("*.png"))
    recent = time.time() - 3600
    old = time.time() - 30 * 86400
    os.utime(kept[0], (recent, recent))
    os.utime(kept[1], (old, old))
    shutil.rmtree(site / "site")
    build_site(site, jobs=1)
    assert kept[0].stat().st_mtime == pytest.approx(recent)  # left as it was
    assert kept[1].stat().st_mtime > time.time() - 600  # kept from pruning
