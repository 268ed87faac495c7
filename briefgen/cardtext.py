"""Card text composed from a per-process cache of glyph bitmaps, pixel for pixel as Pillow draws it.

Pillow (with raqm) shapes a line, has FreeType render each glyph at the origin and puts it at its
pen position rounded to a whole pixel; glyphs that overlap are blended as `new + old·(255-new)/255`
(rounded). So a line is a sum of glyph bitmaps that never change, placed at positions summed from
the advances and the kerning of neighbours (both measured with getlength, in 1/64 px). A glyph is
a character, or a run of them the font joins (a ligature such as "fi"), rendered once by Pillow.

Nothing is trusted unchecked. A line whose neighbours (or glyphs) are new is composed and also
drawn by Pillow once: when both agree, its pairs are known good; when not, each new pair is drawn
alone at each of its pixel roundings, and one Pillow draws otherwise (a ligature) becomes one unit,
itself trusted only when Pillow draws it alike at all 64 sub-pixel phases. Whether a pair draws
apart is the font file's (its GSUB and GPOS tables), not its size's, so it is checked once per
file. A line is composed only when its summed advance is Pillow's length of it and no pixel holds
the ink of three glyphs. Text outside the characters below, or failing any check, is drawn by
Pillow (ImageDraw.text), as is every line when raqm is not the layout engine. A line checked once
is remembered as its plan (glyphs, positions, blends; 256 lines): a date or a kicker on many cards.
On a card still blank where the line goes, its glyphs are pasted in the fill's levels (each glyph's
levels mapped once per fill by the table Pillow's own paste of that fill makes of the 256 mask
levels), which saves the mask and its blend (22 µs a title line): the same pixels. After 2,000
varied cards a process holds about 8 MB for this: some 750 glyphs (2.7 MB) and as many in a fill,
the kerning and verdicts of pairs (10,000 at most each) and the memo of lengths (4,096).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable

    from PIL.Image import Image
    from PIL.ImageFont import FreeTypeFont

__all__ = ["COMPOSED", "draw_text", "length"]

# The characters composed (their scripts need no shaping beyond kerning and ligatures): Latin
# with its supplements and Extended-A, Cyrillic, digits, and common punctuation and symbols.
COMPOSED = frozenset(
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0xA0, 0x180) if c != 0xAD]  # not the soft hyphen (invisible)
    + [chr(c) for c in range(0x400, 0x460)]
    + list("‐‑‒–—―‘’‚“”„†‡•…‰‹›€№™"))
_FACES = 24  # fonts whose glyphs are kept (the card's few sizes, and room for odd ones)
_PAIRS = 10_000  # neighbour pairs kept per font before they are forgotten and measured again
_COVERED = bytes([0] + [255] * 255)


def _pixel(x: int) -> int:
    """A 26.6 coordinate rounded to a pixel, as Pillow does (PIXEL in _imagingft.c)."""
    return (x + 32) >> 6


@lru_cache(maxsize=4096)
def length(font: FreeTypeFont, text: str) -> float:
    """font.getlength(text), remembered: lines are measured while they are wrapped and again
    when they are drawn."""
    return font.getlength(text)


@dataclass(frozen=True, slots=True)
class _Glyph:
    """A unit's ink (an 8-bit image, its coverage as an image core) and where it lies from the
    pen's pixel, and its advance (26.6)."""

    advance: int
    x: int = 0
    y: int = 0
    width: int = 0
    height: int = 0
    image: Image | None = None
    core: object = None  # the image's core, and where its levels are not 0
    coverage: object = None


Blend = tuple[tuple[int, int, int, int], object, object, bytes]
Key = tuple[object, str, str]  # a font file, and a unit and its neighbour ("" for the unit alone)
Ink = tuple[int, int, bytes, int, int]  # x and y from the pen's pixel, levels, width, height
NO_INK: Ink = (0, 0, b"", 0, 0)


@dataclass
class _Face:
    """What is known of one font: its units' glyphs, the kerning of pairs, and the blends of
    overlapping glyphs."""

    font: FreeTypeFont
    file: object
    glyphs: dict[str, _Glyph | None] = field(default_factory=dict)
    kerning: dict[tuple[str, str], int] = field(default_factory=dict)
    checked: dict[tuple[str, str], int] = field(default_factory=dict)  # the good pairs' kerning
    blends: dict[tuple[str, str, int, int], Blend | None] = field(default_factory=dict)
    tints: dict[tuple[str, int], object] = field(default_factory=dict)  # glyphs in a fill
    tinted_blends: dict[tuple[tuple[str, str, int, int], int], object] = field(
        default_factory=dict)


_faces: OrderedDict[FreeTypeFont, _Face] = OrderedDict()
_LINES = 256  # the plans of lines drawn lately (a date, a kicker is on many cards)
_lines: dict[tuple[FreeTypeFont, str], _Plan] = {}
_verdicts: dict[Key, bool] = {}  # whether a pair draws apart, a unit alike at every phase
_joining: dict[object, set[str]] = {}  # a font file's first characters of pairs that join


def _face(font: FreeTypeFont) -> _Face:
    face = _faces.get(font)
    if face is None:
        file = (font.path, font.index) if isinstance(font.path, str) else font
        face = _faces[font] = _Face(font, file)
        if len(_faces) > _FACES:
            _faces.popitem(last=False)
    return face


def _judge(key: Key, verdict: bool) -> bool:
    if len(_verdicts) > _PAIRS:
        _verdicts.clear()
        _joining.clear()
        for face in list(_faces.values()):
            face.checked.clear()
    _verdicts[key] = verdict
    if not verdict and key[2]:
        _joining.setdefault(key[0], set()).add(key[1][-1])
    return verdict


def _levels(core: object, box: tuple[int, int, int, int]) -> bytes:
    from PIL import Image as Images

    image = Images.new("L", (box[2] - box[0], box[3] - box[1]))
    image.im.paste(core.crop(box), (0, 0, *image.size))  # type: ignore[attr-defined]
    return image.tobytes()


def _rendered(font: FreeTypeFont, text: str, phase: int = 0) -> Ink:
    """Pillow's drawing of text (ImageDraw.text's mask) with the pen phase/64 px right of a
    pixel: where its ink lies from that pixel, its levels and size."""
    mask, (left, top) = font.getmask2(text, "L", start=(phase / 64, 0))
    box = mask.getbbox()
    if not box:
        return NO_INK
    x0, y0, x1, y1 = box
    return left + x0, top + y0, _levels(mask, box), x1 - x0, y1 - y0


def _glyph(face: _Face, unit: str) -> _Glyph | None:
    """The unit's glyph; None for a run of characters Pillow draws otherwise at some sub-pixel
    phase (more than one glyph)."""
    if unit in face.glyphs:
        return face.glyphs[unit]
    from PIL import Image as Images

    x, y, levels, width, height = ink = _rendered(face.font, unit)
    glyph: _Glyph | None = None
    if len(unit) == 1 or _verdicts.get((face.file, unit, "")) or _judge(
            (face.file, unit, ""),
            all(_rendered(face.font, unit, p) == ((x + _pixel(p), *ink[1:]) if levels else NO_INK)
                for p in range(1, 64))):
        advance = round(length(face.font, unit) * 64)
        glyph = _Glyph(advance)
        if levels:
            image = Images.frombytes("L", (width, height), levels)
            glyph = _Glyph(advance, x, y, width, height, image, image.im,
                           Images.frombytes("L", (width, height),
                                            levels.translate(_COVERED)).im)
    face.glyphs[unit] = glyph
    return glyph


def _kerning(face: _Face, first: str, then: str) -> int:
    """The kerning (26.6) HarfBuzz puts between two units: their length less their advances."""
    key = (first, then)
    kerning = face.kerning.get(key)
    if kerning is None:
        a, b = face.glyphs[first], face.glyphs[then]
        assert a is not None and b is not None
        kerning = round(length(face.font, first + then) * 64) - a.advance - b.advance
        if len(face.kerning) > _PAIRS:
            face.kerning.clear()
        face.kerning[key] = kerning
    return kerning


def _muldiv255(a: int, b: int) -> int:
    t = a * b + 128
    return ((t >> 8) + t) >> 8


def _blend(face: _Face, first: tuple[str, _Glyph], then: tuple[str, _Glyph], dx: int,
           dy: int) -> Blend | None:
    """Where the ink of then, dx/dy from first, falls on first's: the box (from then's ink) and
    the blended levels there (an image core) with their coverage, and the levels' bytes; None
    when no pixel has the ink of both."""
    key = (first[0], then[0], dx, dy)
    if key in face.blends:
        return face.blends[key]
    from PIL import Image as Images

    a, b = first[1], then[1]
    assert a.image is not None and b.image is not None
    a_levels, b_levels = a.image.tobytes(), b.image.tobytes()
    x0, y0 = max(0, -dx), max(0, -dy)  # the overlap, in then's ink box
    x1, y1 = min(b.width, a.width - dx), min(b.height, a.height - dy)
    found = None
    if x0 < x1 and y0 < y1:
        out = bytearray((x1 - x0) * (y1 - y0))
        at = 0
        for row in range(y0, y1):
            for col in range(x0, x1):
                new = b_levels[row * b.width + col]
                old = a_levels[(row + dy) * a.width + col + dx]
                if new and old:
                    out[at] = new + _muldiv255(old, 255 - new)
                at += 1
        if any(out):
            size = (x1 - x0, y1 - y0)
            found = ((x0, y0, x1, y1), Images.frombytes("L", size, bytes(out)).im,
                     Images.frombytes("L", size, bytes(out).translate(_COVERED)).im, bytes(out))
    if len(face.blends) > _PAIRS:
        face.blends.clear()
    face.blends[key] = found
    return found


Placed = list[tuple[str, _Glyph, int, int]]  # unit, glyph, pixel x and y of its ink
Box = tuple[int, int, int, int]


class _Fix(NamedTuple):
    """Where the ink of two glyphs meets (x0, y0, x1, y1 from the pen), and its blend."""

    box: Box
    key: tuple[str, str, int, int]
    levels: object  # image cores
    coverage: object
    raw: bytes  # the levels


class _Plan(NamedTuple):
    """How a line is composed: its glyphs in order (pasted through their coverage when they may
    fall on an earlier glyph's box), the blends where inks meet, and the box of its ink."""

    face: _Face
    glyphs: list[tuple[str, _Glyph, int, int, bool]]  # unit, glyph, x, y, through its coverage
    fixes: list[_Fix]
    box: Box


def _plan(face: _Face, placed: Placed) -> _Plan | None:
    """The plan of composing placed glyphs; None when none has ink or when a pixel may hold the
    ink of more than two glyphs."""
    inked = [p for p in placed if p[1].width]
    if not inked:
        return None
    box = (min(p[2] for p in inked), min(p[3] for p in inked),
           max(p[2] + p[1].width for p in inked), max(p[3] + p[1].height for p in inked))
    reach: list[int] = []  # the rightmost ink edge of the glyphs so far
    glyphs: list[tuple[str, _Glyph, int, int, bool]] = []
    fixes: list[_Fix] = []
    for n, (unit, glyph, x, y) in enumerate(inked):
        j = n - 1
        while j >= 0 and reach[j] > x:
            e_unit, e_glyph, ex, ey = inked[j]
            if (ex < x + glyph.width and ey < y + glyph.height and x < ex + e_glyph.width
                    and y < ey + e_glyph.height):
                fix = _blend(face, (e_unit, e_glyph), (unit, glyph), x - ex, y - ey)
                if fix is not None:
                    (fx0, fy0, fx1, fy1), levels, coverage, raw = fix
                    fixes.append(_Fix((x + fx0, y + fy0, x + fx1, y + fy1),
                                      (e_unit, unit, x - ex, y - ey), levels, coverage, raw))
            j -= 1
        glyphs.append((unit, glyph, x, y, bool(n and reach[-1] > x)))
        reach.append(max(reach[-1], x + glyph.width) if reach else x + glyph.width)
    for n, earlier in enumerate(fixes):
        a = earlier.box
        for b in (later.box for later in fixes[n + 1:]):
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                return None  # two blends may share a pixel: three glyphs' ink
    return _Plan(face, glyphs, fixes, box)


def _paint(plan: _Plan, into: object, dx: int, dy: int, fill: int | None = None) -> None:
    """The plan's glyphs and blends pasted into an image core, dx/dy from the pen: in their
    levels (a mask), or in the levels of fill blended onto a blank image."""
    paste = into.paste  # type: ignore[attr-defined]
    face = plan.face
    tints = face.tints
    for unit, glyph, x, y, through in plan.glyphs:
        if fill is None:
            core = glyph.core
        elif (core := tints.get((unit, fill))) is None:
            core = _tinted(face, unit, glyph, fill)
        if through:
            paste(core, (x + dx, y + dy, x + dx + glyph.width, y + dy + glyph.height),
                  glyph.coverage)
        else:
            paste(core, (x + dx, y + dy, x + dx + glyph.width, y + dy + glyph.height))
    for fix in plan.fixes:
        x0, y0, x1, y1 = fix.box
        core = fix.levels if fill is None else _tinted_blend(face, fix, fill)
        paste(core, (x0 + dx, y0 + dy, x1 + dx, y1 + dy), fix.coverage)


def _masked(plan: _Plan | None) -> tuple[Image, int, int, int, int] | None:
    """The plan's levels as one mask and its box."""
    if plan is None:
        return None
    from PIL import Image as Images

    left, top, right, bottom = plan.box
    mask = Images.new("L", (right - left, bottom - top), 0)
    _paint(plan, mask.im, -left, -top)
    return mask, left, top, right, bottom


def _compose(face: _Face, placed: Placed) -> tuple[Image, int, int, int, int] | None:
    """The glyphs' levels as one mask and its box; None when a pixel may hold the ink of more
    than two glyphs."""
    return _masked(_plan(face, placed))


@lru_cache(maxsize=64)
def _tint(fill: int) -> bytes:
    """What Pillow's paste of fill through a mask makes of each mask level on a blank (0) image:
    taken from Pillow itself, a ramp of the 256 levels."""
    from PIL import Image as Images

    ramp = Images.frombytes("L", (256, 1), bytes(range(256)))
    blank = Images.new("L", (256, 1), 0)
    blank.im.paste(fill, (0, 0, 256, 1), ramp.im)
    return blank.tobytes()


def _tinted(face: _Face, unit: str, glyph: _Glyph, fill: int) -> object:
    """A glyph's levels blended in fill onto a blank image (an image core), remembered."""
    core = face.tints.get((unit, fill))
    if core is None:
        from PIL import Image as Images

        assert glyph.image is not None
        core = face.tints[unit, fill] = Images.frombytes(
            "L", glyph.image.size, glyph.image.tobytes().translate(_tint(fill))).im
    return core


def _tinted_blend(face: _Face, fix: _Fix, fill: int) -> object:
    """A blend's levels in fill onto a blank image (an image core), remembered."""
    core = face.tinted_blends.get((fix.key, fill))
    if core is None:
        from PIL import Image as Images

        x0, y0, x1, y1 = fix.box
        if len(face.tinted_blends) > _PAIRS:
            face.tinted_blends.clear()
        core = face.tinted_blends[fix.key, fill] = Images.frombytes(
            "L", (x1 - x0, y1 - y0), fix.raw.translate(_tint(fill))).im
    return core


def _ink(drawn: tuple[Image, int, int, int, int] | None) -> Ink:
    if drawn is None:
        return NO_INK
    mask, left, top, right, bottom = drawn
    return left, top, mask.tobytes(), right - left, bottom - top


def _draws_apart(face: _Face, first: str, then: str) -> bool:
    """Whether Pillow draws a pair as its two glyphs, the second placed by the advance and
    kerning, at each way the pen's phase rounds their distance (those of phases 0, 31, 32, 63)."""
    a, b = _glyph(face, first), _glyph(face, then)
    if a is None or b is None:
        return False
    step = a.advance + _kerning(face, first, then)
    phases = {_pixel(p + step) - _pixel(p): p for p in (63, 32, 31, 0)}
    for phase in phases.values():
        start, at = _pixel(phase), _pixel(phase + step)
        drawn = _compose(face, [(first, a, start + a.x, a.y), (then, b, at + b.x, b.y)])
        if _ink(drawn) != _rendered(face.font, first + then, phase):
            return False
    return True


def _units(face: _Face, text: str) -> str | list[str]:
    """The text cut between characters, but not between a pair known to draw otherwise than
    apart (a ligature): that is one unit."""
    joining = _joining.get(face.file)
    if not joining or joining.isdisjoint(text[:-1]):
        return text  # its characters
    units = [text[0]]
    for char in text[1:]:
        if _verdicts.get((face.file, units[-1][-1], char)) is False:
            units[-1] += char
        else:
            units.append(char)
    return units


def _verified(font: FreeTypeFont, text: str) -> _Plan | None:
    """How the glyphs of text make what Pillow would draw, from the pen at (0, 0); None when the
    text is not composable."""
    if not text or not COMPOSED.issuperset(text):
        return None
    face = _face(font)
    glyphs, checked = face.glyphs, face.checked
    placed: Placed = []
    unchecked: list[tuple[str, str]] = []
    pen = 0
    before: tuple[str, _Glyph] | None = None
    for unit in _units(face, text):
        glyph = glyphs.get(unit) or _glyph(face, unit)
        if glyph is None:
            return None
        if before is not None:
            kerning = checked.get((before[0], unit))
            if kerning is None:
                verdict = _verdicts.get((face.file, before[0], unit))
                if verdict is False:
                    return None
                kerning = _kerning(face, before[0], unit)
                if verdict is None:
                    unchecked.append((before[0], unit))
                else:
                    checked[before[0], unit] = kerning
            pen += before[1].advance + kerning
        placed.append((unit, glyph, ((pen + 32) >> 6) + glyph.x, glyph.y))
        before = (unit, glyph)
    assert before is not None
    if pen + before[1].advance != round(length(font, text) * 64):
        return None  # shaped otherwise than pair by pair (contextual kerning or forms)
    plan = _plan(face, placed)
    if unchecked and _ink(_masked(plan)) != _rendered(font, text):
        # Find the pairs that draw otherwise; if none alone does, distrust them all.
        verdicts = [_judge((face.file, *pair), _draws_apart(face, *pair)) for pair in unchecked]
        if all(verdicts):
            for pair in unchecked:
                _judge((face.file, *pair), False)
        return None
    for pair in unchecked:
        _judge((face.file, *pair), True)
    return plan


def _layout(font: FreeTypeFont, text: str) -> tuple[Image, int, int, int, int] | None:
    """The mask Pillow would draw text with, and its box from the pen at (0, 0); None when the
    text is not composable."""
    return _masked(_verified(font, text))


def draw_text(card: Image, at: tuple[int, int], text: str, font: FreeTypeFont, fill: int,
              blank: Callable[[Box], bool] | None = None) -> Box | None:
    """What ImageDraw.Draw(card).text(at, text, font=font, fill=fill) draws on an 8-bit card,
    from cached glyphs when the text is composable; then the box of the card with its ink (None
    when Pillow drew it). When blank says the card has no ink in that box yet, the glyphs are
    pasted onto it in the fill's levels, not blended through a mask: the same pixels."""
    from PIL import ImageDraw, ImageFont

    plan = None
    if font.layout_engine == ImageFont.Layout.RAQM and card.mode == "L":
        plan = _lines.get((font, text))
        if plan is None and (plan := _verified(font, text)) is not None:
            if len(_lines) >= _LINES:
                _lines.clear()
            _lines[font, text] = plan
    if plan is None:
        ImageDraw.Draw(card).text(at, text, font=font, fill=fill)
        return None
    x, y = at
    left, top, right, bottom = plan.box
    box = (x + left, y + top, x + right, y + bottom)
    if blank is not None and blank(box):
        _paint(plan, card.im, x, y, fill)
    else:
        drawn = _masked(plan)
        assert drawn is not None
        card.im.paste(fill, box, drawn[0].im)
    return box
