"""Social cards drawn ahead: while a whole build makes its jobs on one CPU, a forked process draws
cards into the card cache, where the render step finds them; stopped at any moment it leaves
only whole cards, and the site is the one a build without it publishes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PIL import Image

from briefgen.build import BuildOptions
from briefgen.cards import draw_card, load_design, shown
from briefgen.diagnostics import Diagnostics
from briefgen.engine.steps import Engine
from briefgen.themefolders import bundled_themes_dir
from briefgen.writers import cards
from briefgen.writers.cards import DrawAhead, card_text, draw_ahead
from tests.sitekit import CONFIG, NOW, cold_tree, tree, write_site

COUNT = 12


def site_text(count: int = COUNT) -> str:
    return CONFIG + "".join(f"""
-- content/briefings/b{n:02d}.md --
---
title: Reserve auction, round {n}
date: 2026-02-{n + 1:02d}T09:00:00Z
---
Round {n} of the auction.
""" for n in range(count))


@pytest.fixture
def model(tmp_path: Path) -> Engine:
    root = write_site(tmp_path / "desk", site_text())
    engine = Engine(BuildOptions(root, now=NOW, jobs=2))
    engine.run(until="model")
    return engine


@pytest.fixture
def forced(monkeypatch: pytest.MonkeyPatch) -> None:
    """The drawer forced on for a small site, beside the test run's own threads."""
    import briefgen.freshness

    monkeypatch.setattr(cards, "AHEAD_FROM", 0)
    monkeypatch.setattr(briefgen.freshness, "may_fork", lambda: True)


def whole_cards(cache: Path) -> list[Path]:
    found = sorted(cache.iterdir()) if cache.is_dir() else []
    assert all(p.suffix == ".png" for p in found), found  # no scratch file left behind
    for path in found:
        with Image.open(path) as image:
            image.verify()
    return found


def test_the_drawer_draws_every_card_the_render_step_would(model: Engine, tmp_path: Path) -> None:
    cache = tmp_path / "cards"
    drawer = DrawAhead(model.site, model.theme.dirs, cache)
    deadline = time.monotonic() + 60
    while len(list(cache.glob("*.png"))) < COUNT and time.monotonic() < deadline:
        time.sleep(0.02)
    drawer.stop()
    design = load_design([*model.theme.dirs, bundled_themes_dir() / "default"], Diagnostics())
    assert design is not None
    for b in model.site.briefings:
        text = card_text(b, model.config)
        assert (cache / f"{shown(design, text)}.png").read_bytes() == draw_card(design, text)
    assert len(whole_cards(cache)) == COUNT


def test_a_drawer_stopped_at_once_leaves_only_whole_cards(model: Engine, tmp_path: Path) -> None:
    cache = tmp_path / "cards"
    for wait in (0.0, 0.005, 0.03):
        drawer = DrawAhead(model.site, model.theme.dirs, cache)
        time.sleep(wait)
        drawer.stop()
        drawer.stop()  # a second stop does nothing
        assert len(whole_cards(cache)) <= COUNT


@pytest.mark.usefixtures("forced")
def test_a_build_with_cards_drawn_ahead_publishes_what_a_cold_build_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_site(tmp_path / "desk", site_text())
    started: list[int] = []
    original = DrawAhead.__init__

    def spy(self: DrawAhead, *args: object) -> None:
        original(self, *args)  # type: ignore[arg-type]
        started.append(self._pid)

    monkeypatch.setattr(DrawAhead, "__init__", spy)
    from tests.sitekit import build_site

    build_site(root, jobs=2)
    assert started and started[0] > 0
    assert tree(root / "site") == cold_tree(root, tmp_path)
    assert len(whole_cards(root / ".briefgen-cache" / "cards")) == COUNT


@pytest.mark.parametrize("why", ["cards off", "no cache", "one process", "few cards", "threads"])
def test_no_drawer_when_it_cannot_pay(model: Engine, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch, why: str) -> None:
    import briefgen.freshness

    monkeypatch.setattr(briefgen.freshness, "may_fork", lambda: why != "threads")
    monkeypatch.setattr(cards, "AHEAD_FROM", COUNT + 1 if why == "few cards" else 0)
    if why == "cards off":
        monkeypatch.setattr(model.site.config, "cards", False)
    context = draw_ahead(model.site, model.theme.dirs,
                         None if why == "no cache" else tmp_path / "cards",
                         1 if why == "one process" else 2)
    assert not isinstance(context, DrawAhead)
    with context:
        pass
    assert not (tmp_path / "cards").exists()
