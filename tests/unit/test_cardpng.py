"""The card's own PNG writer: what it writes decodes with Pillow to exactly the levels given."""

from __future__ import annotations

import io
import random
import struct
import zlib
from functools import cache
from itertools import groupby

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from briefgen import cards
from briefgen.cardpng import _adler_combine, _Band, _Bands, _runs, filtered_png, palette_png
from briefgen.diagnostics import Diagnostics
from briefgen.themefolders import bundled_themes_dir

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



# --- the same bytes as before bands were remembered ---------------------------------------------
# palette_png as it was before it reused the segments of bands met before: the reference its bytes
# must equal.

def _reference_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data,
                                                                                zlib.crc32(kind)))


def _reference_segment(raw: bytes) -> bytes:
    squeeze = zlib.compressobj(1, zlib.DEFLATED, -15, 9, zlib.Z_RLE)
    return squeeze.compress(raw) + squeeze.flush(zlib.Z_FULL_FLUSH)


@cache
def _reference_blank_rows(count: int, width: int) -> bytes:
    return _reference_segment(bytes(count * (width + 1)))


def reference_palette_png(pixels: bytes, width: int, height: int, palette: bytes) -> bytes:
    blank = bytes(width)
    rows = [pixels[at:at + width] for at in range(0, width * height, width)]
    segments: list[bytes] = []
    a, b = 1, 0
    for is_blank, run in groupby(rows, blank.__eq__):
        if is_blank:
            count = len(list(run))
            b = (b + count * (width + 1) * a) % 65521
            segments.append(_reference_blank_rows(count, width))
        else:
            raw = b"\x00".join([b"", *run])
            summed = zlib.adler32(raw, a | b << 16)
            a, b = summed & 0xFFFF, summed >> 16
            segments.append(_reference_segment(raw))
    segments.append(b"\x03\x00")
    stream = b"\x78\x01" + b"".join(segments) + struct.pack(">I", a | b << 16)
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
    return b"".join((b"\x89PNG\r\n\x1a\n", _reference_chunk(b"IHDR", header),
                     _reference_chunk(b"PLTE", palette), _reference_chunk(b"IDAT", stream),
                     _reference_chunk(b"IEND", b"")))


@settings(max_examples=400)
@given(st.binary(max_size=300), st.binary(max_size=300), st.sampled_from([0, 1, 65520, 65521]))
def test_adler_combine_is_the_adler32_of_the_concatenation(first: bytes, second: bytes,
                                                            filler: int) -> None:
    second += bytes([255]) * filler  # lengths past the modulus, and sums that wrap
    assert _adler_combine(zlib.adler32(first), zlib.adler32(second), len(second)) == (
        zlib.adler32(first + second))


@st.composite
def pictures(draw: st.DrawFn) -> tuple[int, list[bytes]]:
    """A width and a few pictures of that width built from blank runs and a small pool of ink
    bands (so the same band comes back at the same place), each also once with one pixel
    changed (the same place, nearly the same band)."""
    width = draw(st.integers(1, 40))

    def ink_row() -> bytes:
        row = bytearray(draw(st.binary(min_size=width, max_size=width)))
        row[draw(st.integers(0, width - 1))] = draw(st.integers(1, 255))
        return bytes(row)

    pool = [b"".join(ink_row() for _ in range(draw(st.integers(1, 4))))
            for _ in range(draw(st.integers(1, 4)))]
    layout = st.lists(st.one_of(st.integers(0, 3).map(lambda n: bytes(n * width)),
                                st.sampled_from(pool)), min_size=1, max_size=8)
    shown: list[bytes] = []
    for parts in draw(st.lists(layout, min_size=1, max_size=5)):
        picture = b"".join(parts) or bytes(width)
        shown.append(picture)
        changed = bytearray(picture)
        changed[draw(st.integers(0, len(picture) - 1))] ^= draw(st.integers(1, 255))
        shown.append(bytes(changed))
        shown.append(picture)
    return width, shown


@settings(max_examples=300)
@given(pictures())
def test_remembered_bands_write_the_same_bytes_as_deflating_every_band(
        case: tuple[int, list[bytes]]) -> None:
    width, shown = case
    for pixels in shown:
        height = len(pixels) // width
        assert palette_png(pixels, width, height, PALETTE) == reference_palette_png(
            pixels, width, height, PALETTE)


def test_real_cards_are_the_same_bytes_as_deflating_every_band(
        monkeypatch: pytest.MonkeyPatch) -> None:
    design = cards.load_design([bundled_themes_dir() / "default"], Diagnostics())
    assert design is not None
    written: list[tuple[bytes, bytes]] = []

    def recording(rows: bytearray, width: int, height: int, palette: bytes) -> bytes:
        data = filtered_png(rows, width, height, palette)
        pixels = b"".join(rows[at + 1:at + 1 + width]
                          for at in range(0, height * (width + 1), width + 1))
        written.append((data, reference_palette_png(pixels, width, height, palette)))
        return data

    monkeypatch.setattr(cards, "filtered_png", recording)
    texts = [cards.CardText("Harbour Desk", section, kicker, title, date)
             for section, kicker, date in [("Weather", "Storm watch", "4 March 2026"),
                                           ("", "", "5 March 2026"),
                                           ("Analysis", "", "4 March 2026")]
             for title in ["Storm warning lifted for the northern coast", "Ferries resume",
                           "A budget vote " * 9]]
    for text in texts + texts[::-1]:
        cards.draw_card(design, text)
    assert len(written) == 2 * len(texts)
    assert all(ours == reference for ours, reference in written)


def test_remembered_bands_stay_within_a_few_per_place_and_the_budget() -> None:
    bands = _Bands(per_place=3, budget=10_000)
    for n in range(200):
        pixels = n.to_bytes(2, "big") * 500
        bands.keep((n % 7, 10, 100), _Band(pixels, b"s" * 50, 1))
        assert bands.find((n % 7, 10, 100), pixels) is not None
        assert all(len(known) <= 3 for known in bands.places.values())
        assert bands.size == sum(len(b.raw) + len(b.segment)
                                 for known in bands.places.values() for b in known)
        assert bands.size <= 10_000
    assert bands.find((6, 10, 100), bytes(1000)) is None


@st.composite
def band_layouts(draw: st.DrawFn) -> tuple[bytes, int, int]:
    """A picture of runs of blank rows and rows with ink (all blank, all ink, one row and width 1
    among them; blank runs shorter and longer than the rows passed over at once); ink often only
    at a row's first or last byte, so zeros run on across rows."""
    width = draw(st.sampled_from([1, 2, 3, 17, 64]))
    kind = draw(st.sampled_from(["runs", "blank", "ink"]))
    height = draw(st.sampled_from([1, 2, 9, 15, 16, 17, 40]))

    def ink_row() -> bytes:
        row = bytearray(width)
        for at in draw(st.lists(st.sampled_from([0, width - 1, width // 2]), min_size=1)):
            row[at] = draw(st.integers(1, 255))
        return bytes(row)

    if kind == "blank":
        rows = [bytes(width)] * height
    elif kind == "ink":
        rows = [ink_row() for _ in range(height)]
    else:
        rows = []
        for _ in range(draw(st.integers(1, 12))):
            ink = draw(st.booleans())
            count = draw(st.sampled_from([1, 2, 3, 5, 15, 16, 17, 33]))
            rows += [ink_row() if ink else bytes(width) for _ in range(count)]
    return b"".join(rows), width, len(rows)


@settings(max_examples=300)
@given(band_layouts())
def test_runs_found_in_place_are_the_runs_of_sliced_rows_and_write_the_same_bytes(
        image: tuple[bytes, int, int]) -> None:
    pixels, width, height = image
    rows = [pixels[at:at + width] for at in range(0, width * height, width)]
    expected, first, stride = [], 0, width + 1
    for is_blank, run in groupby(rows, bytes(width).__eq__):
        count = len(list(run))
        expected.append((is_blank, first * stride, (first + count) * stride))
        first += count
    filtered = b"".join(b"\x00" + row for row in rows)
    assert list(_runs(filtered, stride, len(filtered))) == expected
    assert list(_runs(filtered + b"\x07" * stride, stride, len(filtered))) == expected
    assert palette_png(pixels, width, height, PALETTE) == reference_palette_png(
        pixels, width, height, PALETTE)


def test_filtered_rows_are_the_bytes_of_the_pixels_and_bytes_after_them_are_not_read() -> None:
    rng = random.Random(3)
    pixels = bytes(rng.choice([0, 0, 0, 9]) for _ in range(60 * 30))
    rows = bytearray(b"".join(b"\x00" + pixels[at:at + 60] for at in range(0, len(pixels), 60)))
    assert filtered_png(rows + b"\x05", 60, 30, PALETTE) == palette_png(pixels, 60, 30, PALETTE)
    with pytest.raises(ValueError):
        filtered_png(rows[:-1], 60, 30, PALETTE)
    rows[61] = 1  # a row's filter type byte that is not 0
    with pytest.raises(ValueError):
        filtered_png(rows, 60, 30, PALETTE)
