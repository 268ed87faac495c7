"""Compiled templates and catalogues kept in the build state: a build does not compile them again.

Jinja's bytecode cache API over the state's `compiled` table: entries are signed like every other
(cache.py), and Jinja itself checks each against its template's source before using it. Only the
process that opened the state writes to it (render workers are forked from it). A theme's
catalogues are kept the same way, compiled to .mo bytes under a digest of each file (i18n.py).
"""

from __future__ import annotations

import os

import jinja2
import jinja2.bccache

from briefgen.cache import BuildCache
from briefgen.config import Config
from briefgen.theme import Theme
from briefgen.urls import Urls

__all__ = ["StateTemplates", "build_theme"]


class StateTemplates(jinja2.BytecodeCache):
    """Jinja bytecode in the build state."""

    def __init__(self, cache: BuildCache) -> None:
        self.cache = cache
        self.pid = os.getpid()
        self.pending: list[tuple[str, bytes]] | None = None  # gathered, then written at once

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if os.getpid() != self.pid:
            return
        found = self.cache.get_many([bucket.key], table="compiled")[0]
        if isinstance(found, bytes):
            bucket.bytecode_from_string(found)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if os.getpid() != self.pid:
            return
        if self.pending is not None:
            self.pending.append((bucket.key, bucket.bytecode_to_string()))
        else:
            self.cache.put_many([(bucket.key, bucket.bytecode_to_string())], table="compiled")

    def load(self, key: str) -> bytes | None:
        """A compiled catalogue kept in the state (i18n.CompiledStore)."""
        if os.getpid() != self.pid:
            return None
        found = self.cache.get_many([key], table="compiled")[0]
        return found if isinstance(found, bytes) else None

    def save(self, key: str, value: bytes) -> None:
        if os.getpid() != self.pid:
            return
        if self.pending is not None:
            self.pending.append((key, value))
        else:
            self.cache.put_many([(key, value)], table="compiled")

    def flush(self) -> None:
        """Write what was gathered since gathering began (one transaction)."""
        if self.pending:
            self.cache.put_many(self.pending, table="compiled")
        self.pending = None


def build_theme(config: Config, urls: Urls, cache: BuildCache | None) -> Theme:
    """The build's theme; with a state, every template is loaded from it (or compiled into it)
    before the render workers are forked, so none of them compiles one again."""
    if cache is None:
        return Theme(config, urls)
    compiled = StateTemplates(cache)
    compiled.pending = []
    theme = Theme(config, urls, compiled)
    for name in theme.env.list_templates():
        try:
            theme.env.get_template(name)
        except Exception:  # reported where a page uses it, with its line
            continue
    compiled.flush()
    return theme
