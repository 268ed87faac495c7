"""Social cards: a 1200×630 PNG per briefing, drawn with Pillow in the theme's colours and fonts.

A card is drawn as one 8-bit image of levels: 0-127 blend the background into the theme's ink (its
muted shade is a level between them), 128-255 into its accent (accent text is drawn alone and
pasted with its levels moved up). Its text is drawn by cardtext.draw_text: composed from glyph
bitmaps cached per process, pixel for pixel what ImageDraw.text draws (pasted in its levels where
the card is still blank, which draw_card knows from the boxes it has inked). The card is drawn in
place into the rows its PNG deflates (a per-thread canvas: each image row behind its PNG filter
type byte), written as a palette PNG of those 256 colours by cardpng.filtered_png, which deflates
only the rows that have ink (a run of blank rows is deflated once per run length and reused, and so
is a band of rows with ink the last cards had at the same place: the accent bar, the footer rule, a
section label, a site name and date). A card costs about 0.6 ms and 26 KB (300 cards of new varied
text in a process that has drawn 600, CPU time, 2 shared cores; 0.88-0.89 ms before the canvas,
the pasted text and the remembered lines of December 5): the PNG about 0.44 ms, 0.28 ms of it
zlib deflating the title's rows and 40 µs their Adler-32, which the byte-identical stream fixes;
the text 0.1 ms, fitting the title 60 µs (half of it three getlength calls). The first 300 cards of
a process cost more while their glyphs and neighbours are met and checked.
What a card shows (CardText) and the design digest name it in the card cache, so an unchanged card
is never drawn twice.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import astuple, dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.cardpng import filtered_png
from briefgen.cardtext import draw_text, length
from briefgen.diagnostics import Diagnostics

if TYPE_CHECKING:
    from collections.abc import Callable

    from PIL.Image import Image
    from PIL.ImageFont import FreeTypeFont

__all__ = ["HEIGHT", "WIDTH", "CardText", "Design", "draw_card", "load_design", "shown"]

WIDTH, HEIGHT = 1200, 630
LAYOUT = "1"  # bumped when the drawing below changes what a card looks like
MARGIN = 72
FONTS = ("card-title.ttf", "card-label.ttf", "card-text.ttf")
# The theme's custom properties a card is drawn in, and their values when a theme has none.
COLOURS = {"--bg": "#fdfcf9", "--fg": "#1d1d1b", "--muted": "#5b5b57", "--accent": "#9b1c1c"}
TITLE_SIZES = (68, 60, 54, 48, 42, 36)
_ROOT_RULE = re.compile(r":root\s*\{([^}]*)\}")
_PROPERTY = re.compile(r"(--[\w-]+)\s*:\s*([^;]+);")

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class CardText:
    """What a card shows."""

    site: str
    section: str
    kicker: str
    title: str
    date: str


@dataclass(frozen=True)
class Design:
    """A theme's card: its colours, its three font files and a digest of both."""

    background: RGB
    ink: RGB
    muted: RGB
    accent: RGB
    fonts: tuple[Path, Path, Path]  # title, label, text
    digest: str


def _theme_colours(dirs: list[Path], diags: Diagnostics) -> dict[str, RGB]:
    """The card's colours from the first :root rule of the theme's style.css."""
    from PIL import ImageColor

    found = {name: ImageColor.getrgb(value)[:3] for name, value in COLOURS.items()}
    css = next((d / "static" / "style.css" for d in dirs
                if (d / "static" / "style.css").is_file()), None)
    if css is None:
        return found
    text = css.read_text(encoding="utf-8", errors="replace")
    rule = _ROOT_RULE.search(text)
    for prop in _PROPERTY.finditer(rule.group(1) if rule else ""):
        name, value = prop.group(1), prop.group(2).strip()
        if name not in COLOURS:
            continue
        try:
            found[name] = ImageColor.getrgb(value)[:3]
        except ValueError:
            assert rule is not None
            at = rule.start(1) + prop.start(2)
            line = text.count("\n", 0, at) + 1
            column = at - text.rfind("\n", 0, at)
            diags.warning(str(css), line, column,
                          f"social cards: {name} is not a colour Pillow can draw ({value!r}); "
                          f"the cards use {COLOURS[name]}")
    return found


def load_design(dirs: list[Path], diags: Diagnostics) -> Design | None:
    """The card design of a theme (its folders, highest priority first), or None with an error
    when a font is missing."""
    fonts: list[Path] = []
    for name in FONTS:
        path = next((d / "fonts" / name for d in dirs if (d / "fonts" / name).is_file()), None)
        if path is None:
            diags.error(str(dirs[0] / "fonts" if dirs else "fonts"), 0, 0,
                        f"social cards need the font fonts/{name} in the theme "
                        "(or 'share: {cards: false}' in briefgen.yaml)")
            return None
        fonts.append(path)
    colours = _theme_colours(dirs, diags)
    summed = hashlib.blake2b(LAYOUT.encode(), digest_size=16)
    for path in fonts:
        summed.update(path.read_bytes())
    summed.update(repr(sorted(colours.items())).encode())
    return Design(colours["--bg"], colours["--fg"], colours["--muted"], colours["--accent"],
                  (fonts[0], fonts[1], fonts[2]), summed.hexdigest())


def shown(design: Design, text: CardText) -> str:
    """The name of a card in the cache: what it shows, in which design."""
    return hashlib.blake2b(repr((design.digest, astuple(text))).encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


@cache
def _font(path: Path, size: int) -> FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(str(path), size)


def _blend(start: RGB, end: RGB, steps: int) -> list[int]:
    pairs = list(zip(start, end, strict=True))
    return [round(s + (e - s) * i / (steps - 1)) for i in range(steps) for s, e in pairs]


@cache
def _palette(design: Design) -> bytes:
    """Entries 0-127 blend the background into the ink, 128-255 into the accent."""
    return bytes(_blend(design.background, design.ink, 128)
                 + _blend(design.background, design.accent, 128))


@cache
def _muted_level(design: Design) -> int:
    """The ink level (0-127) whose blend is nearest the theme's muted colour."""
    span = [i - b for i, b in zip(design.ink, design.background, strict=True)]
    off = [m - b for m, b in zip(design.muted, design.background, strict=True)]
    weight = sum(s * s for s in span) or 1
    share = sum(s * o for s, o in zip(span, off, strict=True)) / weight
    return max(40, min(127, round(share * 127)))


@cache
def _char_width(font: FreeTypeFont) -> float:
    """A font's mean advance per character in a sentence (never 0)."""
    sample = "The quick brown fox jumps over the lazy dog, 2026."
    return max(1.0, font.getlength(sample) / len(sample))


def wrap(words: list[str], font: FreeTypeFont, width: int,
         most: int | None = None) -> list[str] | None:
    """Words in lines no wider than width, broken only between words (a word wider than the
    line has a line of its own); None as soon as there would be more than most lines.

    The lines are those of adding words one by one while the line fits, but each line's word
    count is first guessed from the font's mean width per character and then only checked
    (a fit and, for one word more, a misfit), so a line costs about two measurements."""
    lines: list[str] = []
    room = width / _char_width(font)  # about the characters a line holds
    start = 0
    while start < len(words):
        count, used = 1, len(words[start])
        while start + count < len(words) and used + 1 + len(words[start + count]) <= room:
            used += 1 + len(words[start + count])
            count += 1

        def fits(count: int, start: int = start) -> bool:
            return length(font, " ".join(words[start:start + count])) <= width

        if count > 1 and not fits(count):
            count -= 1
            while count > 1 and not fits(count):
                count -= 1
        else:
            while start + count < len(words) and fits(count + 1):
                count += 1
        if line := " ".join(words[start:start + count]):
            lines.append(line)
            if most is not None and len(lines) > most:
                return None
        start += count
    return lines


def _fit_title(title: str, path: Path, width: int, height: int) -> tuple[FreeTypeFont, list[str]]:
    """The largest title size whose lines fit the box. Below the smallest, a size at which the
    widest word fits, and the lines that fit, the last one ending in an ellipsis after a whole
    word: a title is never cut inside a word."""
    words = title.split() or [""]
    for size in TITLE_SIZES:
        font = _font(path, size)
        lines = wrap(words, font, width, height // round(size * 1.2))
        # a line of more than one word was measured to fit by wrap
        if lines is not None and all(" " in line or length(font, line) <= width
                                     for line in lines):
            return font, lines
    font = _font(path, TITLE_SIZES[-1])
    widest = max(length(font, word + "…") for word in words)
    if widest > width:
        font = _font(path, max(8, int(TITLE_SIZES[-1] * width / widest)))
    room = max(1, height // round(font.size * 1.2))
    lines = wrap(words, font, width) or []
    if len(lines) > room:
        lines = lines[:room]
        last = lines[-1].split()
        while len(last) > 1 and length(font, " ".join(last) + "…") > width:
            last.pop()
        lines[-1] = " ".join(last) + "…"
    return font, lines


def draw_card(design: Design, text: CardText) -> bytes:
    """The card's PNG bytes."""
    title_path, label_path, text_path = design.fonts
    canvas = _canvas()
    card, pen = canvas.image, canvas.pen
    canvas.clear()
    muted = _muted_level(design)
    label, small = _font(label_path, 26), _font(text_path, 28)
    inner = WIDTH - 2 * MARGIN
    pen.rectangle((0, 0, WIDTH, 11), fill=255)
    inked = _Inked((0, 0, WIDTH, 12))
    top = 64
    if text.section:
        inked.add(_accent_text(card, (MARGIN, top), _clip(text.section.upper(), label, inner),
                               label, inked.blank))
        top += 44
    if text.kicker:
        inked.add(draw_text(card, (MARGIN, top), _clip(text.kicker, small, inner), small, muted,
                            inked.blank))
        top += 44
    footer = HEIGHT - 96
    font, lines = _fit_title(text.title, title_path, inner, footer - 24 - (top + 12))
    step = round(font.size * 1.2)
    y = top + 12 + (footer - 24 - (top + 12) - step * len(lines)) // 2
    for line in lines:
        inked.add(draw_text(card, (MARGIN, y), line, font, 127, inked.blank))
        y += step
    pen.line((MARGIN, footer, WIDTH - MARGIN, footer), fill=muted // 3, width=2)
    inked.add((MARGIN - 2, footer - 2, WIDTH - MARGIN + 3, footer + 3))
    date_width = round(length(small, text.date))
    site_font = _font(label_path, 28)
    site = _clip(text.site, site_font, inner - date_width - 32)
    inked.add(_accent_text(card, (MARGIN, footer + 28), site, site_font, inked.blank))
    inked.add(draw_text(card, (WIDTH - MARGIN - date_width, footer + 28), text.date, small,
                        muted, inked.blank))
    canvas.inked = inked.boxes
    return filtered_png(canvas.filtered_rows(), WIDTH, HEIGHT, _palette(design))


Box = tuple[int, int, int, int]


class _Inked:
    """Where a card has ink so far, as boxes; anywhere once Pillow drew text (its box is not
    measured). Text drawn where the card is blank is pasted in its levels, not blended."""

    def __init__(self, *boxes: Box) -> None:
        self.boxes: list[Box] | None = list(boxes)

    def add(self, box: Box | None) -> None:
        if box is None:
            self.boxes = None
        elif self.boxes is not None:
            self.boxes.append(box)

    def blank(self, box: Box) -> bool:
        """Whether the card has no ink in box yet."""
        x0, y0, x1, y1 = box
        return self.boxes is not None and not any(
            x0 < bx1 and bx0 < x1 and y0 < by1 and by0 < y1 for bx0, by0, bx1, by1 in self.boxes)


class _Canvas:
    """A card's image drawn in place into the bytes its PNG deflates: each row of the image
    follows a byte that stays 0 (the row's filter type), so the pixels are neither copied out
    (Image.tobytes) nor joined row by row, and no image is allocated a card."""

    def __init__(self) -> None:
        from PIL import Image as Images
        from PIL import ImageDraw

        stride = WIDTH + 1
        self.rows = bytearray(stride * HEIGHT + 1)  # and one byte more: the image starts at 1
        # Pillow maps any buffer (its hints say bytes); the image shares the rows' memory, its
        # row i at 1 + i × stride, behind the filter type byte at i × stride.
        behind = memoryview(self.rows)[1:]
        try:
            image = Images.frombuffer("L", (WIDTH, HEIGHT), behind,  # type: ignore[arg-type]
                                      "raw", "L", stride, 1)
            image.readonly = 0  # drawn on in place: Pillow would copy a read-only image first
            image.im.putpixel((0, 0), 1)  # a Pillow that copied the buffer anyway...
            self.shared = self.rows[1] == 1
            image.im.putpixel((0, 0), 0)
        except (AttributeError, TypeError, ValueError):
            self.shared = False
        if not self.shared:  # ...draws into an image of its own, copied into the rows
            image = Images.new("L", (WIDTH, HEIGHT))
        self.image = image
        self.pen = ImageDraw.Draw(self.image)
        self.inked: list[Box] | None = []  # where the last card has ink (None: unknown)

    def clear(self) -> None:
        """The canvas blank again: the rows the last card had ink in, or all of them."""
        fill = self.image.im.paste
        if self.inked is None:
            fill(0, (0, 0, WIDTH, HEIGHT))
        for _x0, y0, _x1, y1 in self.inked or ():
            fill(0, (0, max(0, y0), WIDTH, min(HEIGHT, y1)))
        self.inked = None  # until the card drawn now says where it has ink

    def filtered_rows(self) -> bytearray:
        """The rows as the PNG deflates them, each after its filter type byte."""
        if not self.shared:
            stride, pixels = WIDTH + 1, self.image.tobytes()
            for row in range(HEIGHT):
                self.rows[1 + row * stride:(row + 1) * stride] = \
                    pixels[row * WIDTH:(row + 1) * WIDTH]
        return self.rows


_canvases = threading.local()


def _canvas() -> _Canvas:
    """This thread's canvas (a card is drawn and written before the next one on a thread)."""
    canvas: _Canvas | None = getattr(_canvases, "canvas", None)
    if canvas is None:
        canvas = _canvases.canvas = _Canvas()
    return canvas


# An accent text's coverage (0-127) as palette entries 128-255; 0 stays the background.
_TO_ACCENT = bytes([0] + [min(255, 128 + v) for v in range(1, 256)])
_COVERED = bytes([0] + [255] * 255)


def _accent_text(card: Image, at: tuple[int, int], text: str, font: FreeTypeFont,
                 blank: Callable[[Box], bool]) -> Box:
    """Text in the accent colour: drawn alone at its size, its levels moved to the palette's
    second half, pasted where it covers anything (or wholly where the card is blank); the box
    pasted into."""
    drawn = _accent(font, text)
    if drawn is None:
        return (0, 0, 0, 0)
    levels, covered = drawn
    box = (at[0], at[1], at[0] + levels.width, at[1] + levels.height)
    if blank(box):
        card.im.paste(levels.im, box)
    else:
        card.im.paste(levels.im, box, covered.im)
    return box


@lru_cache(maxsize=64)
def _accent(font: FreeTypeFont, text: str) -> tuple[Image, Image] | None:
    """An accent text's levels and where they cover, remembered: a site's name and its sections
    are on many cards."""
    from PIL import Image as Images

    _left, _top, right, bottom = font.getbbox(text)
    if right <= 0 or bottom <= 0:
        return None
    size = (int(right), int(bottom))
    alone = Images.new("L", size, 0)
    draw_text(alone, (0, 0), text, font, 127)
    levels = alone.tobytes()  # bytes.translate: a table lookup without Image.point's rounding
    return (Images.frombytes("L", size, levels.translate(_TO_ACCENT)),
            Images.frombytes("L", size, levels.translate(_COVERED)))


def _clip(text: str, font: FreeTypeFont, width: int) -> str:
    """One line of text no wider than width: whole words, then an ellipsis."""
    if length(font, text) <= width:
        return text
    words = text.split()
    while len(words) > 1 and length(font, " ".join(words) + "…") > width:
        words.pop()
    line = " ".join(words)
    while line and length(font, line + "…") > width:  # one word wider than the card
        line = line[:-1]
    return line + "…"
