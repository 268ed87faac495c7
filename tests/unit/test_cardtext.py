"""Card text composed from cached glyphs: pixel for pixel what Pillow's ImageDraw.text draws."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

from briefgen import cards, cardtext
from briefgen.cards import TITLE_SIZES, CardText, Design, _font, draw_card, load_design
from briefgen.cardtext import COMPOSED, _layout, draw_text
from briefgen.diagnostics import Diagnostics
from briefgen.themefolders import bundled_themes_dir

FONTS = bundled_themes_dir() / "default" / "fonts"
# The fonts and sizes cards.py draws with (title sizes, a title shrunk below them, label, text).
FACES = [("card-title.ttf", size) for size in (*TITLE_SIZES, 30, 17)] + [
    ("card-label.ttf", 26), ("card-label.ttf", 28), ("card-text.ttf", 28)]
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèçñöüßÆøåÉ"
CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
MARKS = "0123456789 .,;:!?-–—«»“”‘’…'\"()/&%№€@#"
pieces = st.one_of(st.sampled_from(LATIN + CYRILLIC + MARKS),
                   st.sampled_from(["fi", "fl", "ff", "ffi", "ffl", "Th", "AV", "To", "Ty", "r,",
                                    "f.", "L’", "«Г", "—", "  ", "W.", "Уо"]))
lines = st.lists(pieces, min_size=1, max_size=40).map("".join)


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return _font(FONTS / name, size)


def by_pillow(text: str, face: ImageFont.FreeTypeFont, fill: int, ground: int = 0) -> bytes:
    card = Image.new("L", (1200, 220), ground)
    ImageDraw.Draw(card).text((72, 60), text, font=face, fill=fill)
    return card.tobytes()


def composed(text: str, face: ImageFont.FreeTypeFont, fill: int, ground: int = 0) -> bytes:
    """Text drawn by draw_text: pasted in its levels on a blank card, blended through a mask on
    a card of another level; the ink within the box it says it drew."""
    card = Image.new("L", (1200, 220), ground)
    box = draw_text(card, (72, 60), text, face, fill, (lambda _box: True) if not ground else None)
    if box is not None:
        other = bytes(0 if level == ground else 255 for level in range(256))
        ink = Image.frombytes("L", card.size, card.tobytes().translate(other))
        left, top, right, bottom = box
        found = ink.getbbox()
        assert found is None or (left <= found[0] and top <= found[1] and found[2] <= right
                                 and found[3] <= bottom)
    return card.tobytes()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FACES), lines, st.sampled_from([127, 60, 255]))
def test_a_line_is_drawn_as_pillow_draws_it(face: tuple[str, int], text: str, fill: int) -> None:
    drawn = font(*face)
    assert composed(text, drawn, fill) == by_pillow(text, drawn, fill)
    assert composed(text, drawn, fill, 30) == by_pillow(text, drawn, fill, 30)  # drawn again


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(FACES), st.text(alphabet=st.sampled_from(sorted(COMPOSED)), min_size=1,
                                       max_size=30))
def test_any_composable_character_is_drawn_as_pillow_draws_it(face: tuple[str, int],
                                                               text: str) -> None:
    drawn = font(*face)
    assert composed(text, drawn, 127) == by_pillow(text, drawn, 127)


def test_common_words_are_composed_from_the_cache_once_seen() -> None:
    drawn = font("card-title.ttf", 68)
    text = "Storm warning lifted for the northern coast"
    composed(text, drawn, 127)
    assert _layout(drawn, text) is not None
    composed("Шторм утих к утру, паромы снова ходят", drawn, 127)
    assert _layout(drawn, "Шторм утих к утру, паромы снова ходят") is not None


def test_a_ligature_is_one_glyph_and_drawn_as_pillow_draws_it() -> None:
    drawn = font("card-title.ttf", 60)
    for text in ("official fluff", "fi", "Office fit-out, flat fees"):
        assert composed(text, drawn, 127) == by_pillow(text, drawn, 127)
    face = cardtext._face(drawn)
    assert cardtext._verdicts[(face.file, "f", "i")] is False  # DejaVu joins f and i
    assert _layout(drawn, "a fine find") is not None  # composed with the "fi" glyph


@pytest.mark.parametrize("text", ["مرحبا بالعالم", "नमस्ते दुनिया", "e\u0301te\u0301", "a\u200db",
                                  "שלום", "😀 smile", "soft\u00adhyphen"])
def test_text_outside_the_verified_characters_is_left_to_pillow(text: str) -> None:
    drawn = font("card-text.ttf", 28)
    assert _layout(drawn, text) is None
    assert composed(text, drawn, 127) == by_pillow(text, drawn, 127)


def test_a_font_without_raqm_layout_is_left_to_pillow() -> None:
    basic = ImageFont.truetype(str(FONTS / "card-title.ttf"), 48,
                               layout_engine=ImageFont.Layout.BASIC)
    assert composed("Office hours", basic, 127) == by_pillow("Office hours", basic, 127)


def test_the_caches_stay_bounded_however_many_fonts_and_pairs() -> None:
    for size in range(8, 8 + 2 * cardtext._FACES):
        composed("Bounded", font("card-text.ttf", size), 127)
    assert len(cardtext._faces) <= cardtext._FACES
    assert len(cardtext._verdicts) <= cardtext._PAIRS + 1
    assert all(len(face.kerning) <= cardtext._PAIRS + 1 for face in cardtext._faces.values())
    for n in range(2 * cardtext._LINES):
        composed(f"Line {n}", font("card-text.ttf", 28), 127)
    assert 0 < len(cardtext._lines) <= cardtext._LINES


def test_a_line_drawn_before_is_drawn_alike_on_a_card_of_another_mode() -> None:
    drawn = font("card-text.ttf", 28)
    composed("4 March 2026", drawn, 127)  # its plan remembered
    card = Image.new("RGB", (400, 100), (9, 9, 9))
    assert draw_text(card, (10, 20), "4 March 2026", drawn, 127) is None  # Pillow's
    theirs = Image.new("RGB", (400, 100), (9, 9, 9))
    ImageDraw.Draw(theirs).text((10, 20), "4 March 2026", font=drawn, fill=127)
    assert card.tobytes() == theirs.tobytes()


# Whole cards against the drawing before glyphs were cached: every text by ImageDraw.text.
def pillow_only(card: Image.Image, at: tuple[int, int], text: str,
                face: ImageFont.FreeTypeFont, fill: int, _blank: object = None) -> None:
    ImageDraw.Draw(card).text(at, text, font=face, fill=fill)


def the_design() -> Design:
    found = load_design([bundled_themes_dir() / "default"], Diagnostics())
    assert found is not None
    return found


def pixels(data: bytes) -> bytes:
    return Image.open(io.BytesIO(data)).tobytes()


words = st.lists(st.text(alphabet=st.sampled_from(LATIN + CYRILLIC + ".,:;!?-–«»’0123456789"),
                         min_size=1, max_size=12), min_size=0, max_size=18).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.builds(CardText, words, words, words, words, words))
def test_a_card_is_the_card_drawn_by_pillow_alone(text: CardText) -> None:
    design = the_design()
    ours = pixels(draw_card(design, text))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cards, "draw_text", pillow_only)
        cards._accent.cache_clear()
        theirs = pixels(draw_card(design, text))
    cards._accent.cache_clear()
    assert ours == theirs


def test_the_demo_cards_are_the_cards_drawn_by_pillow_alone() -> None:
    design = the_design()
    root = Path(__file__).resolve().parents[2] / "content" / "briefings"
    for path in sorted(root.rglob("*.md")):
        head = dict(re.findall(r"^(title|kicker): *(.*)$", path.read_text(encoding="utf-8"),
                               re.MULTILINE))
        text = CardText("Harbour Desk", "Daily brief", head.get("kicker", ""),
                        head.get("title", ""), "4 March 2026")
        ours = pixels(draw_card(design, text))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(cards, "draw_text", pillow_only)
            cards._accent.cache_clear()
            assert pixels(draw_card(design, text)) == ours, path
        cards._accent.cache_clear()
