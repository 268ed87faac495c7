"""The persistent build cache: per-file parse results and the output manifest, in SQLite.

Entries are pickled, signed with a per-user HMAC key (kept outside the site, in the user's cache
folder) and loaded with an unpickler that only knows briefgen's own model classes. A cache that is
corrupt, unsigned, signed by another key, or written by another briefgen version or for another
configuration is discarded with a warning and rebuilt; it is never trusted.
"""

from __future__ import annotations

import hashlib
import hmac
import inspect
import io
import json
import os
import pickle
import secrets
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from briefgen import __version__, flatpickle
from briefgen.diagnostics import Diagnostics

__all__ = ["CACHE_DIR", "FORMAT", "KEY_VARIABLE", "BuildCache", "CacheError", "user_key"]

CACHE_DIR = ".briefgen-cache"
FORMAT = "7"
_ALLOWED = {
    ("briefgen.models", None), ("briefgen.citations", None), ("briefgen.schema", None),
    ("briefgen.diagnostics", "Diagnostic"), ("briefgen.diagnostics", "Diagnostics"),
    ("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta"),
    ("builtins", "set"), ("builtins", "frozenset"), ("collections", "OrderedDict"),
    ("copyreg", "_reconstructor"), ("builtins", "object"), ("builtins", "dict"),
    ("builtins", "list"),
}


# What the site model kept between builds (engine/snapshot.py) is made of, besides the above.
_MODEL_ALLOWED = {
    ("briefgen.site", None), ("briefgen.urls", "Urls"), ("briefgen.config", "Config"),
    ("briefgen.languages", "Language"), ("briefgen.quotes", "QuoteTally"),
    ("briefgen.clip.snapshots", "Snapshot"), ("pathlib", "PosixPath"),
    ("pathlib", "PurePosixPath"), ("zoneinfo", "ZoneInfo"), ("builtins", "tuple"),
    ("briefgen.flatpickle", "shell"),
}


class CacheError(Exception):
    """The cache cannot be used; it is discarded."""


class _Unpickler(pickle.Unpickler):
    allowed = _ALLOWED

    def find_class(self, module: str, name: str) -> Any:
        # No dotted names: pickle protocol 4 would follow them through a module's imports
        # (briefgen.schema + "yaml.unsafe_load"). A whole module allows only the classes and
        # functions defined in it (its model classes and their unpickling helpers).
        if "." not in name:
            if (module, name) in self.allowed:
                return super().find_class(module, name)
            if (module, None) in self.allowed:
                found = super().find_class(module, name)
                if (isinstance(found, type) or inspect.isfunction(found)) and \
                        found.__module__ == module:
                    return found
        raise CacheError(f"cache refers to {module}.{name}, which it may not")


class _ModelUnpickler(_Unpickler):
    allowed = _ALLOWED | _MODEL_ALLOWED


KEY_VARIABLE = "BRIEFGEN_CACHE_KEY"


def user_key() -> bytes:
    """The signing key: derived from $BRIEFGEN_CACHE_KEY when set (a secret that CI runners
    share, so that a cache restored on another machine is trusted), else this user's own key,
    created on first use in the user's cache folder (mode 0600)."""
    shared = os.environ.get(KEY_VARIABLE)
    if shared:
        return hashlib.sha256(b"briefgen cache key\0" + shared.encode("utf-8")).digest()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "briefgen"
    path = base / "cache-key"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        base.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        return key
    except OSError:  # no writable home: a key for this process only, so nothing is reused
        return secrets.token_bytes(32)


def _writer(fingerprint: str) -> str:
    """Who wrote a cache, from its fingerprint ("format:version:settings")."""
    form, _, rest = str(fingerprint).partition(":")
    version = rest.partition(":")[0]
    return f"briefgen {version}" if form == FORMAT else f"briefgen {version} (format {form})"


# parse results, bodies held back from them, the highlighted code blocks of each parsed file,
# compiled templates and catalogues, feed entries
TABLES = ("parse", "body", "highlight", "compiled", "feed")


def _rows(db: sqlite3.Connection, table: str, keys: list[str]) -> dict[str, bytes]:
    """The stored values of those keys that a table has."""
    assert table in TABLES
    found: dict[str, bytes] = {}
    for start in range(0, len(keys), 900):  # SQLite's limit on parameters
        chunk = keys[start:start + 900]
        marks = ",".join("?" * len(chunk))
        found.update(db.execute(f"SELECT key, value FROM {table} WHERE key IN ({marks})",
                                chunk).fetchall())
    return found


class BuildCache:
    """Parse results by content key, and the last build's output manifest."""

    def __init__(self, root: Path, fingerprint: str, diags: Diagnostics) -> None:
        self.dir = root / CACHE_DIR
        self.path = self.dir / "build.sqlite"
        self.label = f"{CACHE_DIR}/build.sqlite"
        self.fingerprint = f"{FORMAT}:{__version__}:{fingerprint}"
        self.key = user_key()
        self.diags = diags
        self.db = self._open()
        self._pid = os.getpid()
        self._reader: tuple[int, sqlite3.Connection] | None = None  # bodies() elsewhere
        self._writer: tuple[int, sqlite3.Connection] | None = None  # put_many() elsewhere

    @staticmethod
    def forget(root: Path) -> None:
        """Delete a site's cache (for --no-cache builds)."""
        path = root / CACHE_DIR / "build.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)

    def _open(self) -> sqlite3.Connection:
        self.dir.mkdir(exist_ok=True)
        ignore = self.dir / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# briefgen's build cache: safe to delete, never commit it\n*\n")
        try:
            db = self._connect()
            row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            if row is not None and row[0] != self.fingerprint:
                # another configuration: start afresh, quietly; another version: say so
                writer = _writer(row[0])
                db.close()
                if writer != _writer(self.fingerprint):
                    self._discard(None, f"it was written by {writer}, this is briefgen "
                                  f"{__version__}")
                else:
                    self.forget(self.path.parent.parent)
                db = self._connect()
                row = None
            if row is None:
                self._stamp(db)
            elif db.execute("SELECT value FROM meta WHERE key = 'owner'").fetchone() != (
                    self._owner(),):
                # signed by another key: even its unsigned meta (manifest) is not trusted
                db.close()
                self._discard(None, "it is not signed by this user's key")
                db = self._connect()
                self._stamp(db)
            return db
        except sqlite3.DatabaseError as exc:
            self._discard(None, f"it is corrupt ({exc})")
            db = self._connect()
            self._stamp(db)
            return db

    def _owner(self) -> str:
        return self._sign(self.fingerprint.encode()).hex()

    def _stamp(self, db: sqlite3.Connection) -> None:
        """Mark a new cache as this configuration's, signed by this user's key."""
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                       [("fingerprint", self.fingerprint), ("owner", self._owner())])
        db.commit()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level="DEFERRED")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        for table in TABLES:
            db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value BLOB)")
        return db

    def _discard(self, db: sqlite3.Connection | None, why: str) -> None:
        self.diags.warning(self.label, 0, 0, f"build cache discarded: {why}; rebuilding it")
        if db is not None:
            db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)

    def _sign(self, blob: bytes) -> bytes:
        return hmac.new(self.key, blob, hashlib.sha256).digest()

    def get_many(self, keys: list[str], table: str = "parse") -> list[Any | None]:
        """The parse results (or, table="body", the bodies; "compiled", compiled templates)
        stored under keys, in order (None where there is none, and for every key once a bad
        entry has discarded the cache)."""
        found = _rows(self.db, table, keys)
        results: list[Any | None] = []
        for key in keys:
            data = found.get(key)
            value = None if data is None else self._load(data)
            if data is not None and value is None:  # discarded: nothing else is trusted
                return [None] * len(keys)
            results.append(value)
        return results

    def empty(self) -> bool:
        """Whether no parse result is stored (a cold build: nothing to look up)."""
        return self.db.execute("SELECT 1 FROM parse LIMIT 1").fetchone() is None

    def bodies(self, keys: list[str]) -> list[Any | None]:
        """get_many(keys, "body"), also from a forked worker or after close() (values())."""
        return self.values(keys, "body")

    def values(self, keys: list[str], table: str) -> list[Any | None]:
        """get_many(keys, table), also from a forked worker or after close(): a process other
        than the one that opened the cache reads through a connection of its own (SQLite's rule),
        and a bad entry there is reported (None) without discarding anything."""
        if self._pid == os.getpid():
            return self.get_many(keys, table=table)
        if self._reader is None or self._reader[0] != os.getpid():
            # (one inherited from another process is left alone, never used or closed here)
            self._reader = (os.getpid(), sqlite3.connect(f"file:{self.path}?mode=ro", uri=True,
                                                         check_same_thread=False))
        found = _rows(self._reader[1], table, keys)
        results: list[Any | None] = []
        for key in keys:
            data = found.get(key)
            signature, blob = (data[:32], data[32:]) if data is not None else (b"", b"")
            if data is None or not hmac.compare_digest(signature, self._sign(blob)):
                results.append(None)
                continue
            try:
                results.append(_Unpickler(io.BytesIO(blob)).load())
            except Exception:
                results.append(None)
        return results

    def get(self, key: str) -> Any | None:
        """The parse result stored under key, or None (a bad entry discards the cache)."""
        row = self.db.execute("SELECT value FROM parse WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        return self._load(row[0])

    def _load(self, data: bytes) -> Any | None:
        """An entry's value, checked and unpickled; None (and the cache discarded) if bad."""
        signature, blob = data[:32], data[32:]
        try:
            if not hmac.compare_digest(signature, self._sign(blob)):
                raise CacheError("an entry is not signed by this user's key")
            return _Unpickler(io.BytesIO(blob)).load()
        except Exception as exc:  # corrupt or foreign: start over, never use it
            self._discard(self.db, str(exc) if isinstance(exc, CacheError) else
                          f"an entry cannot be read ({type(exc).__name__})")
            self.db = self._open()
            return None

    def put_many(self, items: list[tuple[str, Any]], table: str = "parse") -> None:
        """Store parse results (or, table="body", bodies held back from them), also from a
        forked worker (through a connection of its own, waiting its turn to write)."""
        self.put_tables([(table, items)])

    def put_tables(self, groups: Sequence[tuple[str, list[tuple[str, Any]]]]) -> None:
        """put_many() into several tables in one transaction (one commit, one sync of the
        log: a forked worker's commits were a third of what storing a slice cost)."""
        db = self.db
        if self._pid != os.getpid():
            if self._writer is None or self._writer[0] != os.getpid():
                writer = sqlite3.connect(self.path, timeout=60)
                writer.execute("PRAGMA synchronous = NORMAL")  # as the main connection's
                self._writer = (os.getpid(), writer)
            db = self._writer[1]
        tables = []  # every row made before the write starts: the lock is held briefly
        for table, items in groups:
            assert table in TABLES
            rows = []
            for key, value in items:
                blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
                rows.append((key, self._sign(blob) + blob))
            tables.append((table, rows))
        try:
            for table, rows in tables:
                db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", rows)
        except BaseException:
            db.rollback()
            raise
        db.commit()

    def prune(self, keep: set[str],
              tables: tuple[str, ...] = ("parse", "body", "highlight")) -> None:
        """Forget the parse results, bodies and highlighted blocks no current file has (or the
        entries of other tables not kept)."""
        for table in tables:
            stored = {row[0] for row in self.db.execute(f"SELECT key FROM {table}")}
            stale = [(k,) for k in stored - keep]
            if stale:
                self.db.executemany(f"DELETE FROM {table} WHERE key = ?", stale)
        self.db.commit()

    def meta(self, key: str) -> Any:
        """A JSON value stored with set_meta, or None."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return json.loads(row[0])
        except json.JSONDecodeError:
            return None

    def set_meta(self, key: str, value: Any) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))
        self.db.commit()

    def manifest(self, out: str) -> dict[str, str] | None:
        """Output file -> stamp of what the last build published into `out` (its name from
        the site folder, or its absolute path outside it), if known."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?",
                              (f"manifest:{out}",)).fetchone()
        if row is None:
            return None
        try:
            value = json.loads(row[0])
        except json.JSONDecodeError:
            return None
        return value if isinstance(value, dict) else None

    def set_manifest(self, out: str, manifest: dict[str, str] | None) -> None:
        """Remember what was published into `out` (None: forget it)."""
        if manifest is None:
            self.db.execute("DELETE FROM meta WHERE key = ?", (f"manifest:{out}",))
        else:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                            (f"manifest:{out}", json.dumps(manifest, sort_keys=True)))
        self.db.commit()

    def _model_file(self, out: str) -> Path:
        return self.dir / f"model-{hashlib.blake2b(out.encode(), digest_size=8).hexdigest()}"

    def put_model(self, out: str, value: Any, flat: Sequence[object],
                  leave_out: frozenset[str] = frozenset()) -> None:
        """Keep the site model of the build published into `out` (one signed file), the `flat`
        objects by reference, without their `leave_out` attributes (flatpickle.py)."""
        path = self._model_file(out)
        partial = path.with_suffix(".partial")
        with open(partial, "w+b") as handle:  # straight to the file: no copy of it in memory
            handle.write(bytes(32))
            flatpickle.dump(value, flat, handle, leave_out)
            handle.seek(32)
            signing = hmac.new(self.key, digestmod=hashlib.sha256)
            while chunk := handle.read(1 << 20):
                signing.update(chunk)
            handle.seek(0)
            handle.write(signing.digest())
        os.replace(partial, path)

    def model(self, out: str) -> Any | None:
        """The model put_model kept for `out`, or None (missing, foreign or unreadable: a
        warning says so when it was there but cannot be trusted)."""
        try:
            data = self._model_file(out).read_bytes()
        except OSError:
            return None
        signature, blob = data[:32], data[32:]
        try:
            if not hmac.compare_digest(signature, self._sign(blob)):
                raise CacheError("it is not signed by this user's key")
            return flatpickle.loads(blob, _ModelUnpickler)
        except Exception as exc:
            why = str(exc) if isinstance(exc, CacheError) else \
                f"it cannot be read ({type(exc).__name__})"
            self.diags.warning(self.label, 0, 0, f"the site model kept by the last build was "
                               f"not used: {why}; building it again")
            return None

    def close(self) -> None:
        self.db.close()
        for other in (self._reader, self._writer):
            if other is not None and other[0] == os.getpid():
                other[1].close()
        self._reader = self._writer = None
        self._pid = 0  # bodies() still reads, through a connection of its own
