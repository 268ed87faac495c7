"""The card's own PNG writer: what it writes decodes with Pillow to exactly the levels given."""

from __future__ import annotations

import io
import random
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from briefgen.cardpng import palette_png

PALETTE = bytes(v for level in range(256) for v in (level, 255 - level, level // 2))


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def pillow_png(pixels: bytes, width: int, height: int) -> bytes:
    image = Image.frombytes("L", (width, height), pixels)
    image.putpalette(PALETTE)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def assert_same_picture(pixels: bytes, width: int, height: int) -> None:
    ours, theirs = (decoded(data) for data in (palette_png(pixels, width, height, PALETTE),
                                               pillow_png(pixels, width, height)))
    assert ours.format == "PNG" and ours.mode == "P" and ours.size == (width, height)
    assert ours.tobytes() == theirs.tobytes() == pixels
    assert ours.convert("RGB").tobytes() == theirs.convert("RGB").tobytes()


def test_a_blank_card_decodes_to_the_background() -> None:
    assert_same_picture(bytes(1200 * 630), 1200, 630)


def test_a_card_with_no_blank_row_decodes_to_its_levels() -> None:
    rng = random.Random(1)
    assert_same_picture(bytes(rng.randrange(256) for _ in range(300 * 200)), 300, 200)


@pytest.mark.parametrize("rows", [(0,), (629,), (0, 629), (0, 1, 2, 300, 628, 629)])
def test_levels_on_the_first_and_last_rows_survive(rows: tuple[int, ...]) -> None:
    pixels = bytearray(1200 * 630)
    for y in rows:
        pixels[y * 1200 + 7] = 255
        pixels[y * 1200 + 1199] = 1
    assert_same_picture(bytes(pixels), 1200, 630)


def test_the_chunks_and_the_stream_checksums_are_right() -> None:
    pixels = bytes(40) + bytes(range(1, 41)) + bytes(40 * 3)
    data = palette_png(pixels, 40, 5, PALETTE)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    at, kinds = 8, []
    while at < len(data):
        size = int.from_bytes(data[at:at + 4], "big")
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + size]
        assert int.from_bytes(data[at + 8 + size:at + 12 + size], "big") == zlib.crc32(kind + body)
        kinds.append(kind)
        if kind == b"IDAT":
            raw = zlib.decompress(body)  # checks the zlib header and the Adler-32
            assert raw == b"".join(b"\x00" + pixels[y * 40:(y + 1) * 40] for y in range(5))
        at += 12 + size
    assert kinds == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]


def test_pixels_or_a_palette_of_the_wrong_size_are_refused() -> None:
    with pytest.raises(ValueError):
        palette_png(bytes(10), 4, 3, PALETTE)
    with pytest.raises(ValueError):
        palette_png(bytes(12), 4, 3, PALETTE[:-1])


@st.composite
def level_images(draw: st.DrawFn) -> tuple[bytes, int, int]:
    width, height = draw(st.integers(1, 64)), draw(st.integers(1, 40))
    rows = [bytes(width) if draw(st.booleans())
            else draw(st.binary(min_size=width, max_size=width)) for _ in range(height)]
    return b"".join(rows), width, height


@settings(max_examples=80, deadline=None)
@given(level_images())
def test_any_image_of_levels_decodes_as_pillow_writes_it(image: tuple[bytes, int, int]) -> None:
    assert_same_picture(*image)
