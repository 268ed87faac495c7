"""Drawing a social card: its size, where its words break, and the theme's colours."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from briefgen.cards import (
    HEIGHT,
    MARGIN,
    TITLE_SIZES,
    WIDTH,
    CardText,
    Design,
    _font,
    draw_card,
    load_design,
    shown,
    wrap,
)
from briefgen.diagnostics import Diagnostics
from briefgen.themefolders import bundled_themes_dir

DEFAULT = bundled_themes_dir() / "default"
TEXT = CardText("Harbour Desk", "Weather", "Storm watch",
                "Storm warning lifted for the northern coast after two days of closures",
                "4 March 2026")


def design(*dirs: Path) -> Design:
    found = load_design([*dirs, DEFAULT], Diagnostics())
    assert found is not None
    return found


def picture(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def test_a_card_is_a_1200_by_630_png_of_a_few_tens_of_kilobytes() -> None:
    data = draw_card(design(), TEXT)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (WIDTH, HEIGHT) == (1200, 630)
    assert 5_000 < len(data) < 100_000


def test_a_card_is_drawn_in_the_theme_colours(tmp_path: Path) -> None:
    theme = tmp_path / "themes" / "mine"
    (theme / "static").mkdir(parents=True)
    (theme / "static" / "style.css").write_text(
        ":root {\n  --bg: #ffffff;\n  --fg: #000000;\n  --accent: #0b5f5f;\n}\n")
    card = picture(draw_card(design(theme), TEXT))
    assert card.getpixel((600, 4)) == (11, 95, 95)  # the accent bar at the top
    assert card.getpixel((5, 300)) == (255, 255, 255)  # the background
    colours = {colour for _count, colour in card.getcolors(256) or []}
    assert (0, 0, 0) in colours  # the ink of the title's strokes


def test_a_colour_pillow_cannot_read_is_a_warning_at_its_line(tmp_path: Path) -> None:
    theme = tmp_path / "mine"
    (theme / "static").mkdir(parents=True)
    (theme / "static" / "style.css").write_text(":root {\n  --accent: var(--brand);\n}\n")
    diags = Diagnostics()
    found = load_design([theme, DEFAULT], diags)
    assert found is not None and found.accent == (155, 28, 28)  # the default theme's
    [warning] = [d.format() for d in diags]
    assert f"{theme / 'static' / 'style.css'}:2:13" in warning and "--accent" in warning


def test_nothing_is_drawn_in_the_margins_however_long_the_text() -> None:
    long = CardText("A site name long enough to meet the date " * 3, "Sectionwithoutspaces" * 9,
                    "A kicker that runs on and on " * 6, "Unbreakable" * 12 + " and more " * 40,
                    "4 March 2026")
    for text in (TEXT, long):
        card = picture(draw_card(design(), text))
        background = card.getpixel((5, 300))
        for strip in ((0, 12, MARGIN - 4, HEIGHT), (WIDTH - MARGIN + 4, 12, WIDTH, HEIGHT),
                      (0, HEIGHT - 12, WIDTH, HEIGHT)):
            part = card.crop(strip)
            assert part.getcolors() == [(part.width * part.height, background)], strip


LETTERS = "abcdefghijklmnopqrstuvwxyzабвгдежзийклмнопрстуфхцчшщыэюя"
words = st.text(alphabet=st.sampled_from(LETTERS), min_size=1, max_size=14)


@settings(max_examples=60, deadline=None)
@given(st.lists(words, min_size=1, max_size=30))
def test_titles_break_only_between_words_and_each_line_fits(title: list[str]) -> None:
    font = _font(design().fonts[0], TITLE_SIZES[0])
    lines = wrap(title, font, WIDTH - 2 * MARGIN)
    assert lines is not None
    assert " ".join(lines).split(" ") == title
    for line in lines:
        assert font.getlength(line) <= WIDTH - 2 * MARGIN or " " not in line


def test_a_title_too_long_for_the_card_ends_in_an_ellipsis_after_a_whole_word() -> None:
    from briefgen.cards import _fit_title

    title = " ".join(f"word{n}" for n in range(200))
    font, lines = _fit_title(title, design().fonts[0], WIDTH - 2 * MARGIN, 300)
    assert font.size == TITLE_SIZES[-1]
    assert lines[-1].endswith("…") and lines[-1][:-1].split()[-1].startswith("word")
    assert title.startswith(" ".join(lines)[:-1])


def test_the_cache_name_changes_with_what_the_card_shows_and_its_design(tmp_path: Path) -> None:
    plain = design()
    assert shown(plain, TEXT) == shown(design(), TEXT)
    assert shown(plain, TEXT) != shown(plain, CardText(*[*vars(TEXT).values()][:3], "Other",
                                                        TEXT.date))
    theme = tmp_path / "mine"
    (theme / "static").mkdir(parents=True)
    (theme / "static" / "style.css").write_text(":root { --accent: #123456; }\n")
    assert shown(design(theme), TEXT) != shown(plain, TEXT)


def one_by_one(words: list[str], font: object, width: int) -> list[str]:
    """The lines of adding words one at a time while the line fits: what wrap must give."""
    lines: list[str] = []
    line = ""
    for word in words:
        candidate = f"{line} {word}" if line else word
        if line and font.getlength(candidate) > width:  # type: ignore[attr-defined]
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


@settings(max_examples=80, deadline=None)
@given(st.lists(words, min_size=1, max_size=40), st.sampled_from([*TITLE_SIZES, 12]),
       st.integers(40, WIDTH - 2 * MARGIN))
def test_wrap_breaks_where_adding_words_one_by_one_would(title: list[str], size: int,
                                                         width: int) -> None:
    font = _font(design().fonts[0], size)
    lines = one_by_one(title, font, width)
    assert wrap(title, font, width) == lines
    assert wrap(title, font, width, len(lines)) == lines
    assert wrap(title, font, width, len(lines) - 1) is None


def test_an_empty_title_is_no_lines_whatever_the_room() -> None:
    font = _font(design().fonts[0], TITLE_SIZES[0])
    assert wrap([""], font, 100) == wrap([""], font, 100, 0) == []


def test_a_card_is_the_same_bytes_whatever_was_drawn_before_it_on_the_canvas() -> None:
    import threading

    plain = design()
    texts = [TEXT, CardText("東京デスク", "", "", "東京で地震 — 被害なし", "4 March 2026"),
             CardText("Harbour Desk", "Weather", "A kicker", "Ferries resume " * 12, "5 May 2026"),
             CardText("H", "", "", "x", "")]
    alone: list[bytes] = []

    def on_a_new_canvas() -> None:  # each thread draws on a canvas of its own
        alone.extend(draw_card(plain, text) for text in texts)

    for text in texts:  # a canvas that had other cards on it
        draw_card(plain, text)
    worker = threading.Thread(target=on_a_new_canvas)
    worker.start()
    worker.join()
    assert [draw_card(plain, text) for text in reversed(texts)] == alone[::-1]
    assert [picture(data).size for data in alone] == [(WIDTH, HEIGHT)] * len(texts)


def test_the_rows_a_card_says_it_inked_hold_all_its_ink() -> None:
    from briefgen.cards import _canvas

    plain = design()
    for text in (TEXT, CardText("", "", "", "", ""),
                 CardText("Ёлка", "Шторм", "Выпуск", "Грозы «вдоль» побережья — fjord AV Ty.",
                          "5 мая 2026 г."),
                 CardText("東京デスク", "", "", "東京で地震", "4 March 2026")):
        draw_card(plain, text)
        canvas = _canvas()
        if canvas.inked is None:  # Pillow drew text (or none): the next card clears every row
            assert "東京" in text.title or not text.title
            continue
        stride = WIDTH + 1
        inked = {y for _x0, y0, _x1, y1 in canvas.inked for y in range(y0, y1)}
        for y in set(range(HEIGHT)) - inked:
            assert not any(canvas.rows[y * stride:(y + 1) * stride]), y
        for x0, y0, x1, y1 in canvas.inked:  # and no ink outside the boxes on their rows
            for y in range(max(0, y0), min(HEIGHT, y1)):
                row = canvas.rows[y * stride + 1:(y + 1) * stride]
                boxes = [b for b in canvas.inked if b[1] <= y < b[3]]
                assert all(not level or any(b[0] <= x < b[2] for b in boxes)
                           for x, level in enumerate(row)), (y, x0, x1)


def test_a_card_shows_the_day_babel_formats_for_each_moment_zone_and_language() -> None:
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from babel import Locale
    from babel.dates import format_datetime

    from briefgen.writers.cards import _day

    start = datetime(2026, 3, 4, 21, 30, tzinfo=UTC)
    for hours in range(0, 30, 3):  # across midnight in each zone, and days met before
        moment = start + timedelta(hours=hours)
        for name in ("UTC", "Pacific/Auckland", "America/Los_Angeles"):
            zone = ZoneInfo(name)
            local = moment.astimezone(zone)
            for language in ("en", "ru", "en_GB"):
                assert _day(local.date(), language, local, zone) == format_datetime(
                    local, "d MMMM y", tzinfo=zone, locale=Locale.parse(language))


def test_a_pillow_that_will_not_draw_into_the_rows_gives_the_same_cards(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from PIL import Image as Images

    from briefgen import cards

    plain = design()
    texts = [TEXT, CardText("Desk", "", "", "Short", "1 May 2026")]
    shared = [draw_card(plain, text) for text in texts]

    def refuse(*_args: object, **_kwargs: object) -> Images.Image:
        raise ValueError("this Pillow cannot map the buffer")

    monkeypatch.setattr(Images, "frombuffer", refuse)
    copied: list[bytes] = []
    canvases: list[cards._Canvas] = []

    def on_a_new_canvas() -> None:
        copied.extend(draw_card(plain, text) for text in [*texts, *texts])
        canvases.append(cards._canvas())

    worker = threading.Thread(target=on_a_new_canvas)
    worker.start()
    worker.join()
    assert not canvases[0].shared
    assert copied == shared * 2
