"""A palette PNG written with zlib, deflating each run of blank rows once per run length."""

from __future__ import annotations

import struct
import zlib
from functools import cache
from itertools import groupby

__all__ = ["palette_png"]

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


def palette_png(pixels: bytes, width: int, height: int, palette: bytes) -> bytes:
    """An 8-bit palette PNG of pixels (one byte an index, row after row). A row of only index 0
    costs nothing to deflate after its run length has been seen once."""
    if len(pixels) != width * height or not 0 < len(palette) <= 768 or len(palette) % 3:
        raise ValueError("pixels must be width × height bytes and palette 1-256 RGB triples")
    blank = bytes(width)
    rows = [pixels[at:at + width] for at in range(0, width * height, width)]
    segments: list[bytes] = []
    a, b = 1, 0  # the Adler-32 of the stream so far, in its two halves
    for is_blank, run in groupby(rows, blank.__eq__):
        if is_blank:
            count = len(list(run))
            b = (b + count * (width + 1) * a) % _ADLER_BASE  # zero bytes leave a as it is
            segments.append(_blank_rows(count, width))
        else:
            raw = b"\x00".join([b"", *run])  # each row after filter type 0 (none)
            summed = zlib.adler32(raw, a | b << 16)
            a, b = summed & 0xFFFF, summed >> 16
            segments.append(_segment(raw))
    segments.append(_END)
    stream = b"\x78\x01" + b"".join(segments) + struct.pack(">I", a | b << 16)
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
    return b"".join((_SIGNATURE, _chunk(b"IHDR", header), _chunk(b"PLTE", palette),
                     _chunk(b"IDAT", stream), _chunk(b"IEND", b"")))
