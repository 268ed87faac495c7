"""Clipping a source article into the library: safe fetching, extraction, writing <id>.md.

The modules, one job each: command (the click command and its report), run (the whole command),
addresses (which hosts may be fetched), fetch (the HTTP client), robots (robots.txt), metadata
(JSON-LD, Open Graph, meta tags), sanitize (cleaning fetched HTML), tree_markdown (trafilatura's
tree to Markdown), extract_html (HTML pages), titles (headlines: --title, cleaning and
choosing page titles), chrome and dates (recognising page furniture and
date lines), extract_text (text copied from a browser), model (the extracted article), ids
(source ids), library (sources already clipped), write (the source file and the archive),
snapshots (the archive read back: each source's newest snapshot), errors (what can go wrong).
"""

from __future__ import annotations

from briefgen.clip.errors import ClipError, FetchError, NothingExtracted
from briefgen.clip.model import Article

__all__ = ["Article", "ClipError", "FetchError", "NothingExtracted"]
