"""Clipping a source article into the library: safe fetching, extraction, writing <id>.md.

The modules, one job each: addresses (which hosts may be fetched), fetch (the HTTP client),
robots (robots.txt), metadata (JSON-LD, Open Graph, meta tags), tree_markdown (trafilatura's tree
to Markdown), extract_html (HTML pages), chrome and dates (recognising page furniture and date
lines), extract_text (text copied from a browser), ids (source ids), library (sources already
clipped), write (the source file and the archive), run (the whole command).
"""

from __future__ import annotations

from briefgen.clip.errors import ClipError, FetchError, NothingExtracted
from briefgen.clip.model import Article

__all__ = ["Article", "ClipError", "FetchError", "NothingExtracted"]
