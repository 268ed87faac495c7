"""The build cache: signed entries, a restricted unpickler, and never trusting a bad cache."""

from __future__ import annotations

import functools
import hashlib
import hmac
import io
import json
import os
import pickle
import shutil
import sqlite3
import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import briefgen.cache
import briefgen.loader
import briefgen.parallel
from briefgen.build import BuildResult
from briefgen.cache import CACHE_DIR, KEY_VARIABLE, BuildCache, CacheError, _Unpickler, user_key
from briefgen.cli import cli
from briefgen.diagnostics import Diagnostic, Diagnostics
from briefgen.digests import digest
from briefgen.loader import content_key, store_results
from briefgen.models import UNLOADED, Briefing
from tests.sitekit import build_site

MakeSite = Callable[..., Path]
CACHE_LABEL = f"{CACHE_DIR}/build.sqlite"

SITE = """
    -- content/sources/ledger-grid.md --
    ---
    title: Grid reserve auction opens
    outlet: The Ledger
    url: https://ledger.example.com/grid
    ---
    -- content/briefings/grid.md --
    ---
    title: Grid auction
    date: 2026-02-04
    summary: The auction opens.
    sources: [ledger-grid]
    ---
    The auction opens in March [@ledger-grid].
    -- content/briefings/ferry.md --
    ---
    title: Ferry fares
    date: 2026-01-04
    summary: Fares rise.
    ---
    Fares rise in spring.
    -- content/pages/about.md --
    ---
    title: About
    ---
    About the desk.
"""


@pytest.fixture(autouse=True)
def user_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the signing key of every test away from the real user's cache folder."""
    home = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    return home


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder (relative path -> bytes)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def cold_output(root: Path, elsewhere: Path) -> dict[str, bytes]:
    """The output of a fresh build without a cache, of a copy of the site's sources."""
    copy = elsewhere / "cold-copy"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", CACHE_DIR))
    build_site(copy, cache=False)
    return snapshot(copy / "site")


def cache_warnings(result: BuildResult) -> list[Diagnostic]:
    return [d for d in result.diagnostics.warnings if d.path == CACHE_LABEL]


def parse_rows(root: Path) -> list[tuple[str, bytes]]:
    db = sqlite3.connect(root / CACHE_DIR / "build.sqlite")
    try:
        return list(db.execute("SELECT key, value FROM parse ORDER BY key"))
    finally:
        db.close()


def set_parse_row(root: Path, key: str, value: bytes) -> None:
    db = sqlite3.connect(root / CACHE_DIR / "build.sqlite")
    try:
        db.execute("UPDATE parse SET value = ? WHERE key = ?", (value, key))
        db.commit()
    finally:
        db.close()


def edit_page(root: Path) -> None:
    """Change one file, so that the next build parses (and reads the cache for the others)."""
    page = root / "content/pages/about.md"
    page.write_text(page.read_text().replace("About the desk.", "About our desk."))


def sign(blob: bytes) -> bytes:
    """blob with the signature the current user's key gives it, as the cache stores it."""
    return hmac.new(user_key(), blob, hashlib.sha256).digest() + blob


def short_unicode(text: str) -> bytes:
    data = text.encode()
    return b"\x8c" + bytes([len(data)]) + data


def global_pickle(module: str, name: str, *args: str) -> bytes:
    """A protocol-4 pickle of module.name (called with args when given), written by hand."""
    blob = b"\x80\x04" + short_unicode(module) + short_unicode(name) + b"\x93"
    if args:
        blob += b"(" + b"".join(short_unicode(a) for a in args) + b"tR"
    return blob + b"."


class RunsCommand:
    """Pickles as a call of os.system: what a poisoned cache entry would hold."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (os.system, (self.command,))


# -- corrupt and foreign caches are discarded, with a warning naming the cache ------------------


def test_garbage_cache_file_is_discarded_with_a_warning_and_the_build_succeeds(
        make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site(SITE)
    build_site(root)
    database = root / CACHE_DIR / "build.sqlite"
    assert database.is_file()
    database.write_bytes(b"\x00garbage, not a database\xff" * 200)

    result = build_site(root)

    [warning] = cache_warnings(result)
    assert "build cache discarded" in warning.message
    assert "corrupt" in warning.message
    assert warning.format().startswith(f"{CACHE_LABEL}: warning: ")
    assert result.counts["parsed"] == 4  # nothing was taken from the garbage
    assert snapshot(root / "site") == cold_output(root, tmp_path)
    # the cache was rebuilt and is trusted again
    again = build_site(root)
    assert cache_warnings(again) == []
    assert again.counts["parsed"] == 0


def test_tampered_cache_entry_is_discarded_with_a_warning_and_never_used(
        make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site(SITE)
    build_site(root)
    for key, value in parse_rows(root):  # every row: whichever is read first is caught
        # flip one byte of the pickled data; the signature no longer matches it
        tampered = value[:-5] + bytes([value[-5] ^ 0x01]) + value[-4:]
        set_parse_row(root, key, tampered)
    edit_page(root)

    result = build_site(root)

    [warning] = cache_warnings(result)
    assert "build cache discarded" in warning.message
    assert "not signed by this user's key" in warning.message
    assert result.counts["parsed"] >= 2  # the tampered file's and the edited one's at least
    assert snapshot(root / "site") == cold_output(root, tmp_path)
    edit_page(root)
    assert cache_warnings(build_site(root)) == []


def test_undecodable_entry_signed_with_the_right_key_is_discarded(
        make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site(SITE)
    build_site(root)
    for key, _value in parse_rows(root):
        set_parse_row(root, key, sign(b"\x80\x05this is not a pickle"))
    edit_page(root)

    result = build_site(root)

    [warning] = cache_warnings(result)
    assert "an entry cannot be read" in warning.message
    assert snapshot(root / "site") == cold_output(root, tmp_path)


def test_entry_shorter_than_a_signature_is_discarded(make_site: MakeSite) -> None:
    root = make_site(SITE)
    build_site(root)
    for key, _value in parse_rows(root):
        set_parse_row(root, key, b"short")
    edit_page(root)

    result = build_site(root)

    assert len(cache_warnings(result)) == 1


def test_cache_signed_with_another_users_key_is_discarded(
        make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(SITE)
    build_site(root)
    expected = snapshot(root / "site")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-users-cache"))

    result = build_site(root)

    [warning] = cache_warnings(result)
    assert "not signed by this user's key" in warning.message
    assert result.counts["parsed"] == 4
    assert snapshot(root / "site") == expected
    again = build_site(root)  # now signed with this key: trusted, no warning
    assert cache_warnings(again) == []
    assert again.counts["parsed"] == 0


def test_config_change_that_alters_parsing_starts_a_fresh_cache_without_a_warning(
        make_site: MakeSite) -> None:
    root = make_site(SITE)
    build_site(root)
    config = root / "briefgen.yaml"
    config.write_text(config.read_text().replace("timezone: UTC", "timezone: Asia/Tbilisi"))

    result = build_site(root)

    assert cache_warnings(result) == []
    assert result.counts["parsed"] == 4


def test_config_change_that_does_not_alter_parsing_keeps_the_parse_cache(
        make_site: MakeSite) -> None:
    root = make_site(SITE)
    build_site(root)
    config = root / "briefgen.yaml"
    config.write_text(config.read_text().replace("Test Desk", "Other Desk"))

    result = build_site(root)

    assert cache_warnings(result) == []
    assert result.counts["parsed"] == 0
    assert "Other Desk" in (root / "site/index.html").read_text()


def test_new_briefgen_version_starts_a_fresh_cache_with_a_warning(
        make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    # RELIABILITY 49: state written by another version is discarded, and the build says so
    root = make_site(SITE)
    build_site(root)
    monkeypatch.setattr(briefgen.cache, "__version__", "999.0.0")

    result = build_site(root)

    [warning] = cache_warnings(result)
    assert "written by briefgen 0.1.0, this is briefgen 999.0.0" in warning.message
    assert result.counts["parsed"] == 4
    assert cache_warnings(build_site(root)) == []  # written by this version now


def test_only_changed_files_are_parsed_again(make_site: MakeSite) -> None:
    root = make_site(SITE)
    first = build_site(root)
    edit_page(root)
    second = build_site(root)
    assert first.counts["parsed"] == 4
    assert second.counts["parsed"] == 1
    assert cache_warnings(second) == []


def test_a_cache_warning_is_not_repeated_by_a_build_with_nothing_to_do(
        make_site: MakeSite) -> None:
    root = make_site(SITE)
    build_site(root)
    (root / CACHE_DIR / "build.sqlite").write_bytes(b"garbage" * 100)
    assert len(cache_warnings(build_site(root))) == 1
    nothing = build_site(root)
    assert nothing.counts["written"] == 0
    assert cache_warnings(nothing) == []


# -- the restricted unpickler -------------------------------------------------------------------


def test_unpickler_refuses_os_system_even_when_signed_with_the_right_key(
        tmp_path: Path) -> None:
    root = tmp_path / "site-src"
    root.mkdir()
    marker = tmp_path / "ran"
    diags = Diagnostics()
    cache = BuildCache(root, "fingerprint", diags)
    try:
        cache.put_many([("poisoned", RunsCommand(f"touch {marker}"))])
        [(_key, stored)] = parse_rows(root)
        assert hmac.compare_digest(stored[:32], cache._sign(stored[32:]))  # a valid signature

        assert cache.get("poisoned") is None
    finally:
        cache.close()
    assert not marker.exists()
    [warning] = diags.warnings
    assert warning.path == CACHE_LABEL
    assert "system" in warning.message
    assert "which it may not" in warning.message


@pytest.mark.parametrize(("module", "name"), [
    ("posix", "system"),
    ("os", "system"),
    ("builtins", "eval"),
    ("subprocess", "Popen"),
    ("briefgen.schema", "yaml.unsafe_load"),  # a dotted name through an allowed module
    ("briefgen.citations", "re.compile"),
    ("briefgen.schema", "yaml"),  # a module imported by an allowed module
    ("briefgen.citations", "escapeHtml"),  # a function imported by an allowed module
    ("briefgen.citations", "MarkdownIt"),  # a class imported by an allowed module
    ("briefgen.schema", "urlsplit"),
    ("builtins", "object.__subclasses__"),
])
def test_unpickler_refuses_names_outside_the_model(module: str, name: str) -> None:
    with pytest.raises(CacheError, match="which it may not"):
        _Unpickler(io.BytesIO(global_pickle(module, name))).load()


def test_dotted_name_through_an_allowed_module_runs_nothing_from_a_signed_entry(
        tmp_path: Path) -> None:
    root = tmp_path / "site-src"
    root.mkdir()
    marker = tmp_path / "ran"
    payload = f"!!python/object/apply:os.system ['touch {marker}']"
    diags = Diagnostics()
    cache = BuildCache(root, "fingerprint", diags)
    try:
        cache.db.execute("INSERT INTO parse VALUES (?, ?)", (
            "poisoned", sign(global_pickle("briefgen.schema", "yaml.unsafe_load", payload))))
        cache.db.commit()

        assert cache.get("poisoned") is None
    finally:
        cache.close()
    assert not marker.exists()
    assert len(diags.warnings) == 1


def test_unpickler_loads_model_objects() -> None:
    from datetime import UTC, datetime

    from briefgen.models import Briefing, Source

    source = Source("s", "Title", "Outlet", "https://example.org/", "content/sources/s.md")
    briefing = Briefing("content/briefings/b.md", "urn:uuid:x", "B", "b",
                        datetime(2026, 2, 4, tzinfo=UTC), "<p>x</p>", "sum",
                        tags=[("t", "T")], sources=[source])
    blob = pickle.dumps((briefing, [Diagnostic("p", 1, 2, "warning", "m")]),
                        protocol=pickle.HIGHEST_PROTOCOL)
    assert _Unpickler(io.BytesIO(blob)).load() == (briefing,
                                                    [Diagnostic("p", 1, 2, "warning", "m")])


def test_every_entry_a_build_stores_is_read_back_by_the_restricted_unpickler(
        make_site: MakeSite) -> None:
    root = make_site(SITE + """
    -- content/briefings/quoted.md --
    ---
    title: Quoted
    date: 2026-01-05
    summary: A quote.
    sources:
      - ledger-grid
      - id: inline-one
        title: Inline source
        outlet: Wire
        url: https://wire.example.com/inline
    ---
    It said "the auction opens" [@ledger-grid, p. 2; @inline-one].
    """)
    build_site(root)
    rows = parse_rows(root)
    assert len(rows) == 5
    for _key, value in rows:
        obj, _diagnostics = _Unpickler(io.BytesIO(value[32:])).load()
        assert type(obj).__module__ == "briefgen.models"


# -- the key and --no-cache ---------------------------------------------------------------------


def test_signing_key_is_created_once_and_private_to_the_user(user_cache_home: Path) -> None:
    key = user_key()
    path = user_cache_home / "briefgen" / "cache-key"
    assert path.read_bytes() == key
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert user_key() == key


def test_cache_folder_tells_git_to_ignore_it(make_site: MakeSite) -> None:
    root = make_site(SITE)
    build_site(root)
    assert (root / CACHE_DIR / ".gitignore").read_text().splitlines()[-1] == "*"


def test_no_cache_option_neither_reads_nor_writes_the_cache(make_site: MakeSite) -> None:
    root = make_site(SITE)
    build_site(root)
    database = root / CACHE_DIR / "build.sqlite"
    stored = database.read_bytes()
    edit_page(root)

    outcome = CliRunner().invoke(cli, ["--site", str(root), "build", "--no-cache"],
                                 catch_exceptions=False)

    assert outcome.exit_code == 0, outcome.output
    assert database.read_bytes() == stored
    assert not Path(f"{database}-wal").exists()
    assert b"About our desk." in (root / "site/about/index.html").read_bytes()


def test_no_cache_build_ignores_a_corrupt_cache_without_a_warning(
        make_site: MakeSite) -> None:
    root = make_site(SITE)
    build_site(root)
    database = root / CACHE_DIR / "build.sqlite"
    database.write_bytes(b"garbage" * 100)
    result = build_site(root, cache=False)
    assert cache_warnings(result) == []
    assert result.counts["parsed"] == 4
    assert database.read_bytes() == b"garbage" * 100


def test_build_without_cache_writes_every_file(make_site: MakeSite) -> None:
    root = make_site(SITE)
    first = build_site(root)
    second = build_site(root, cache=False)
    assert second.counts["written"] == first.counts["written"] > 0
    assert second.counts["parsed"] == 4


def test_put_tables_stores_into_each_table_in_one_write_also_from_a_forked_worker(
        tmp_path: Path) -> None:
    root = tmp_path / "site-src"
    root.mkdir()
    cache = BuildCache(root, "fingerprint", Diagnostics())
    try:
        cache.put_tables([("parse", [("a", ["parsed"])]), ("body", [("a", ("<p>x</p>", []))])])
        pid = os.fork()
        if pid == 0:  # a worker writes through a connection of its own
            try:
                cache.put_tables([("parse", [("b", {"n": 2})]), ("highlight", [("b", {})])])
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        assert cache.get_many(["a", "b", "c"]) == [["parsed"], {"n": 2}, None]
        assert cache.bodies(["a"]) == [("<p>x</p>", [])]
        assert cache.get_many(["b"], table="highlight") == [{}]
    finally:
        cache.close()


def test_put_tables_writes_nothing_when_a_value_cannot_be_pickled(tmp_path: Path) -> None:
    root = tmp_path / "site-src"
    root.mkdir()
    cache = BuildCache(root, "fingerprint", Diagnostics())
    try:
        with pytest.raises((TypeError, AttributeError, pickle.PicklingError)):
            cache.put_tables([("parse", [("a", 1)]), ("body", [("a", lambda: None)])])
        assert cache.get_many(["a"]) == [None]
    finally:
        cache.close()


def stored_stamps(root: Path) -> dict[str, list[Any]]:
    db = sqlite3.connect(root / CACHE_DIR / "build.sqlite")
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'stamps'").fetchone()
    finally:
        db.close()
    files: dict[str, list[Any]] = json.loads(row[0])["files"]
    return files


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_cold_build_keys_each_file_where_it_is_parsed_as_a_warm_one_would(
        make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    monkeypatch.setattr(briefgen.parallel, "map_slices", functools.partial(
        briefgen.parallel.map_slices, minimum=1))
    monkeypatch.setattr(briefgen.loader, "map_slices", briefgen.parallel.map_slices)
    root = make_site(SITE)
    first = build_site(root, jobs=jobs)
    stamps = stored_stamps(root)
    db = sqlite3.connect(root / CACHE_DIR / "build.sqlite")
    [(stored,)] = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchall()
    db.close()
    fingerprint = stored.split(":", 2)[2]  # as the parse step has it
    for rel, (_size, _mtime, key) in stamps.items():
        kind = rel.split("/")[1].rstrip("s")
        assert key == content_key(fingerprint, kind, rel, (root / rel).read_bytes())
    assert {key for key, _value in parse_rows(root)} == {s[2] for s in stamps.values()}
    edit_page(root)
    second = build_site(root, jobs=jobs)
    assert (first.counts["parsed"], second.counts["parsed"]) == (4, 1)
    assert cache_warnings(second) == []


def test_a_state_without_parse_results_but_with_stamps_parses_every_file_again(
        make_site: MakeSite) -> None:
    root = make_site(SITE)
    build_site(root)
    stamps = stored_stamps(root)
    db = sqlite3.connect(root / CACHE_DIR / "build.sqlite")
    db.execute("DELETE FROM parse")
    db.commit()
    db.close()
    again = build_site(root, output=root / "again")  # (not skipped as up to date)
    assert again.counts["parsed"] == 4
    assert stored_stamps(root) == stamps
    assert {key for key, _value in parse_rows(root)} == {s[2] for s in stamps.values()}


def test_store_results_keeps_a_briefing_without_its_body_and_gives_it_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "site-src"
    root.mkdir()
    briefing = Briefing(path="content/briefings/a.md", guid="urn:uuid:1", title="A", slug="a",
                        date=datetime(2026, 2, 4, tzinfo=UTC), body_html="<p>x</p>",
                        summary="S", headings=[(2, "h", "H")])
    whole = pickle.dumps(briefing)
    cache = BuildCache(root, "fingerprint", Diagnostics())
    try:
        store_results(cache, [("k", (briefing, []))])
        [(stored, found)] = cache.get_many(["k"])
        assert (stored.body_html, stored.headings, found) == (UNLOADED, [], [])
        assert stored.body_digest == briefing.body_digest == digest("<p>x</p>", [(2, "h", "H")])
        assert cache.bodies(["k"]) == [("<p>x</p>", [(2, "h", "H")])]
        briefing.body_digest = ""
        assert pickle.dumps(briefing) == whole  # as it was given

        def refuse(groups: object) -> None:
            raise sqlite3.OperationalError("database is locked")

        monkeypatch.setattr(cache, "put_tables", refuse)
        with pytest.raises(sqlite3.OperationalError):
            store_results(cache, [("k", (briefing, []))])
        assert (briefing.body_html, briefing.headings) == ("<p>x</p>", [(2, "h", "H")])
    finally:
        cache.close()
