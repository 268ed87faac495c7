"""A palette PNG written with zlib: blank rows and bands of ink met before are not deflated again.

A run of blank rows is deflated once per run length, and a band of rows with ink once per place
while it is met again (a card's accent bar, labels, rule). The rows are given as they are deflated,
each after its filter type byte (filtered_png: a card is drawn into such rows in place, with no
copy), or as pixels (palette_png, which joins them). Runs are found by comparing rows in place
with zeros (bytes.startswith at their offset; a blank run 16 rows at a time); a band is copied
only to be deflated (a band met before is compared in place). A 1200×630 card's PNG costs about
0.44 ms, 0.28 ms of it zlib deflating the title's bands and 40 µs their Adler-32; finding the runs
costs 40 µs (some 300 row comparisons of 0.1 µs, the call's own cost; mapped in C through
operator.indexOf it was slower), where Pillow's getprojection, which would name the rows with ink,
alone costs 0.47 ms."""

from __future__ import annotations

import struct
import zlib
from collections import OrderedDict
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["filtered_png", "palette_png"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ADLER_BASE = 65521
# An empty final deflate block (fixed Huffman codes): it ends a stream of flushed segments.
_END = b"\x03\x00"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data,
                                                                                zlib.crc32(kind)))


def _segment(raw: bytes) -> bytes:
    """Raw bytes as deflate blocks that end byte-aligned with the dictionary reset (a full
    flush), so segments compressed apart may follow one another in one stream."""
    squeeze = zlib.compressobj(1, zlib.DEFLATED, -15, 9, zlib.Z_RLE)
    return squeeze.compress(raw) + squeeze.flush(zlib.Z_FULL_FLUSH)


@cache
def _blank_rows(count: int, width: int) -> bytes:
    """A segment of count rows of width zero bytes, each after filter type 0."""
    return _segment(bytes(count * (width + 1)))


def _adler_combine(first: int, second: int, length: int) -> int:
    """The Adler-32 of two byte strings one after the other, from their Adler-32 values and the
    second's length (zlib's adler32_combine)."""
    a1, b1 = first & 0xFFFF, first >> 16
    a = (a1 + (second & 0xFFFF) - 1) % _ADLER_BASE
    b = (b1 + (second >> 16) + length * (a1 - 1)) % _ADLER_BASE
    return a | b << 16


class _Band(NamedTuple):
    """A band of rows with ink as it was deflated: its bytes (each row after its filter type
    byte), segment and Adler-32 alone."""

    raw: bytes
    segment: bytes
    adler: int


class _Bands:
    """The last bands deflated at each place (first row, row count, width), a few per place,
    within a budget of bytes: the places met least recently are forgotten first. Like the glyph
    caches of cardtext.py, used by one thread per process (cards are drawn by the build and its
    forked workers; the preview builds in a single-threaded process, serve/worker.py)."""

    def __init__(self, per_place: int, budget: int) -> None:
        self.per_place, self.budget, self.size = per_place, budget, 0
        self.places: OrderedDict[tuple[int, int, int], list[_Band]] = OrderedDict()

    def find(self, place: tuple[int, int, int], rows: bytes | bytearray,
             at: int = 0) -> _Band | None:
        """The band at place whose bytes rows holds at at, if it was deflated lately (the place
        says how many bytes: its rows)."""
        known = self.places.get(place)
        if known is None:
            return None
        self.places.move_to_end(place)
        for band in known:
            if rows.startswith(band.raw, at):  # a memcmp in place: same rows, same segment
                return band
        return None

    def keep(self, place: tuple[int, int, int], band: _Band) -> None:
        """A band just deflated at place, first among those met there."""
        known = self.places.setdefault(place, [])
        self.places.move_to_end(place)
        known.insert(0, band)
        self.size += len(band.raw) + len(band.segment)
        for old in known[self.per_place:]:
            self.size -= len(old.raw) + len(old.segment)
        del known[self.per_place:]
        while self.size > self.budget and len(self.places) > 1:
            self.size -= sum(len(old.raw) + len(old.segment)
                             for old in self.places.popitem(last=False)[1])


# per process: the bands every card repeats, and about ten cards' worth of title bands
_BANDS = _Bands(per_place=8, budget=4 << 20)


def _band(rows: bytes | bytearray, at: int, end: int, stride: int) -> _Band:
    """The segment and Adler-32 of the rows with ink in rows[at:end] (each after its filter type
    byte), deflated or remembered."""
    place = (at // stride, (end - at) // stride, stride)
    band = _BANDS.find(place, rows, at)
    if band is None:
        raw = bytes(memoryview(rows)[at:end])
        band = _Band(raw, _segment(raw), zlib.adler32(raw))
        _BANDS.keep(place, band)
    return band


def _runs(rows: bytes | bytearray, stride: int, size: int) -> Iterator[tuple[bool, int, int]]:
    """Each run of blank rows or rows with ink in rows[:size] as (blank, first byte, end byte),
    found in place (a row of stride bytes is blank when all are 0, its filter byte among them).
    A blank run is passed over _SKIP rows at a time while they are all blank."""
    blank, starts, at = bytes(stride), rows.startswith, 0
    skip = _zeros(stride * _SKIP)
    while at < size:
        is_blank, end = starts(blank, at), at + stride
        if is_blank:
            while end + len(skip) <= size and starts(skip, end):
                end += len(skip)
        while end < size and starts(blank, end) is is_blank:
            end += stride
        yield is_blank, at, end
        at = end


_SKIP = 16  # rows


@cache
def _zeros(count: int) -> bytes:
    return bytes(count)


def palette_png(pixels: bytes, width: int, height: int, palette: bytes) -> bytes:
    """An 8-bit palette PNG of pixels (one byte an index, row after row)."""
    if len(pixels) != width * height:
        raise ValueError("pixels must be width × height bytes")
    rows = b"\x00".join([b"", *(pixels[at:at + width] for at in range(0, len(pixels), width))])
    return filtered_png(rows, width, height, palette)


def filtered_png(rows: bytes | bytearray, width: int, height: int, palette: bytes) -> bytes:
    """An 8-bit palette PNG of rows as they are deflated: each row of width indices after its
    filter type byte, 0 (none); bytes after the last row are not read. A run of rows of only
    index 0 costs nothing to deflate after its run length has been seen once, nor does a band
    of rows with ink that the last pictures had at the same place."""
    stride, size = width + 1, (width + 1) * height
    if (len(rows) < size or rows[:size:stride].count(0) != height
            or not 0 < len(palette) <= 768 or len(palette) % 3):
        raise ValueError("rows must be height × (1 + width) bytes, each a 0 then its pixels, "
                         "and palette 1-256 RGB triples")
    segments: list[bytes] = []
    adler = 1  # the Adler-32 of the stream so far
    for is_blank, at, end in _runs(rows, stride, size):
        length = end - at
        if is_blank:  # the Adler-32 of zero bytes alone: a = 1, b = their count
            adler = _adler_combine(adler, 1 | (length % _ADLER_BASE) << 16, length)
            segments.append(_blank_rows(length // stride, width))
        else:
            band = _band(rows, at, end, stride)
            adler = _adler_combine(adler, band.adler, length)
            segments.append(band.segment)
    segments.append(_END)
    stream = b"\x78\x01" + b"".join(segments) + struct.pack(">I", adler)
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
    return b"".join((_SIGNATURE, _chunk(b"IHDR", header), _chunk(b"PLTE", palette),
                     _chunk(b"IDAT", stream), _chunk(b"IEND", b"")))
