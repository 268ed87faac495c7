"""Edits in place: changed briefings whose shape is unchanged are updated in the kept model, and
only the jobs whose digests changed are rendered again.

For each changed file: parse it; if its shape (shapes.py) differs from the one the full build saw,
or anything else is beyond an in-place edit, raise NeedsFullBuild. Otherwise copy the content
fields into the briefing the model already holds, so every list, term, archive month, related
block and citing entry that refers to it sees the new content; resolve its citations and check its
quotations again; move its citing sentences into the sources it cites. Then compare its card,
briefing and citing digests with their values before: the dependency index names the jobs whose
keys were made from any digest that changed, and only those are rendered. The result is the files
whose bytes differ from the last complete build. Anything that goes wrong puts the model back as
it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from briefgen.content import read_briefing
from briefgen.diagnostics import Diagnostic, Diagnostics
from briefgen.engine.kept import Session
from briefgen.engine.rerender import Helper, render_jobs
from briefgen.engine.shapes import CONTENT_FIELDS, shape
from briefgen.models import Briefing, Source
from briefgen.quotes import check_quotes
from briefgen.references import link_citing, resolve_citations, warn_uncited

__all__ = ["Applied", "EditResult", "NeedsFullBuild", "Parsed", "apply_edits", "edit_briefings",
           "read_edits"]


class NeedsFullBuild(Exception):
    """The change cannot be made in place; the message says why."""


@dataclass
class EditResult:
    """What an in-place edit made: the files that differ from the last build, or the errors."""

    ok: bool
    diagnostics: list[Diagnostic]
    files: dict[str, bytes] = field(default_factory=dict)
    rendered: int = 0


@dataclass
class _Edit:
    briefing: Briefing
    parsed: Briefing | None  # None: the file does not parse (any more)
    found: tuple[Diagnostic, ...]
    before: Briefing | None = None  # a shallow copy of the briefing as the model had it
    own_before: tuple[Diagnostic, ...] = ()  # its parse and citation diagnostics before


def read_edits(session: Session, paths: Iterable[str]) -> dict[str, bytes]:
    """The bytes of each changed briefing file; NeedsFullBuild for a new or removed one."""
    raws: dict[str, bytes] = {}
    for path in sorted(paths):
        if path not in session.briefings:
            raise NeedsFullBuild(f"{path} is new")
        try:
            raws[path] = (session.options.root / path).read_bytes()
        except FileNotFoundError:
            raise NeedsFullBuild(f"{path} was removed") from None
    return raws


Parsed = dict[str, tuple[Briefing | None, Diagnostics]]  # path -> what read_briefing gave


def _parse(session: Session, path: str, raw: bytes, known: Parsed | None) -> _Edit:
    b = session.briefings[path]
    parsed, found = (known or {}).get(path) or read_briefing(path, raw, session.ctx)
    if parsed is not None and found.has_errors():
        # readable with bad fields: a full build checks the rest of it against the site
        raise NeedsFullBuild(f"{path} has errors in its front matter fields")
    if parsed is None:
        _check_reportable_without(session, b)
        return _Edit(b, None, tuple(found))
    if shape(parsed) != session.shapes[path]:
        raise NeedsFullBuild(f"{path}: front matter beyond its content changed")
    return _Edit(b, parsed, tuple(found))


def _check_reportable_without(session: Session, b: Briefing) -> None:
    """Raise NeedsFullBuild unless what a full build reports without this briefing can be told
    from the kept one: it defines no inline source (others may cite it), and no other problem
    names it (two items at one URL)."""
    if any(isinstance(ref, Source) for ref, _pos in b.source_refs):
        raise NeedsFullBuild(f"{b.path} does not parse and defines inline sources")
    if any(b.path in d.message for d in session.base_diagnostics):
        raise NeedsFullBuild(f"{b.path} does not parse and another problem names it")


def _without(session: Session, broken: list[_Edit]) -> Diagnostics:
    """What the model reports once these briefings are left out: the library sources that no
    other briefing lists any more are never cited."""
    missing = {id(edit.briefing) for edit in broken}
    others = [b for b in session.briefings.values() if id(b) not in missing]
    theirs = {s.id: s for edit in broken for s in edit.briefing.sources if not s.inline}
    found = Diagnostics()
    warn_uncited(theirs, others, found)
    return found


def _restore(b: Briefing, before: Briefing) -> None:
    for f in fields(before):
        setattr(b, f.name, getattr(before, f.name))


def _relink(session: Session, b: Briefing, sources: Iterable[Source]) -> None:
    """Replace the briefing's entries in its sources' citing lists (kept in site order)."""
    if id(b) not in session.order:  # a draft or future briefing cites nothing on the site
        return
    affected = list(sources)
    for source in affected:
        source.cited_by[:] = [c for c in source.cited_by if c.briefing is not b]
    link_citing([b])
    order = session.order
    for source in affected:
        source.cited_by.sort(key=lambda c: order[id(c.briefing)])


def _entries(session: Session, b: Briefing) -> list[tuple[str, Any]]:
    """The memoised digests that show this briefing's content (an expired one: its page's)."""
    if b.expired:
        return [("briefing", b)]
    if id(b) not in session.order:
        return []
    return [("card", b), ("briefing", b), *(("citing", s) for s in b.sources)]


class _Transaction:
    """Applies edits to the model and can put everything back."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.applied: list[_Edit] = []
        self.first: set[str] = set()  # files edited in place for the first time

    def _take_over_diagnostics(self, b: Briefing) -> None:
        """The first in-place edit of a file: take what the full build reported from parsing it
        and checking its citations out of its diagnostics, to be replaced by what the edit
        reports. The citation checks are run again on the briefing as it is (they tell the same
        as in that build and change nothing else)."""
        session = self.session
        if b.path in session.replaced:
            return
        checks = Diagnostics()
        resolve_citations(b, session.site.sources, checks)
        check_quotes(b, session.site.sources, checks)
        original = session.parsed_diagnostics.get(b.path, frozenset()) | set(checks)
        session.replaced[b.path] = frozenset(original)
        session.own[b.path] = tuple(original)
        self.first.add(b.path)

    def apply(self, edit: _Edit) -> None:
        session, b = self.session, edit.briefing
        self._take_over_diagnostics(b)
        edit.before = _copy(b)
        edit.own_before = session.own[b.path]
        self.applied.append(edit)
        if edit.parsed is None:  # left as it was; only what parsing reported is new
            session.own[b.path] = edit.found
            return
        for name in CONTENT_FIELDS:
            setattr(b, name, getattr(edit.parsed, name))
        checks = Diagnostics()
        resolve_citations(b, session.site.sources, checks)
        check_quotes(b, session.site.sources, checks)
        session.own[b.path] = (*edit.found, *checks)
        if {id(s) for s in b.sources} != {id(s) for s in edit.before.sources}:
            raise NeedsFullBuild(f"{b.path} cites sources it did not before")

    def relink(self) -> None:
        for edit in self.applied:
            _relink(self.session, edit.briefing, edit.briefing.sources)

    def undo(self) -> None:
        session = self.session
        for edit in reversed(self.applied):
            assert edit.before is not None
            _restore(edit.briefing, edit.before)
            session.own[edit.briefing.path] = edit.own_before
        for path in self.first:  # as if never edited in place
            session.replaced.pop(path, None)
            session.own.pop(path, None)
        self.relink()
        self.refresh()
        self.applied.clear()

    def refresh(self) -> list[tuple[str, Any]]:
        """Compute the edited briefings' digests anew; returns those whose value changed."""
        digests = self.session.digests
        seen: set[tuple[str, int]] = set()
        changed: list[tuple[str, Any]] = []
        for edit in self.applied:
            self.session.feed_contents.pop(edit.briefing.path, None)
            for kind, obj in _entries(self.session, edit.briefing):
                if (kind, id(obj)) in seen:
                    continue
                seen.add((kind, id(obj)))
                old = digests.memoised(kind, obj)
                if digests.again(kind, obj) != old:
                    changed.append((kind, obj))
        return changed


def _copy(b: Briefing) -> Briefing:
    copied = object.__new__(Briefing)
    for f in fields(b):
        object.__setattr__(copied, f.name, getattr(b, f.name))
    return copied


@dataclass
class Applied:
    """Edits applied to the model: the jobs to render, then keep() or undo()."""

    transaction: _Transaction
    diagnostics: list[Diagnostic]
    positions: list[int]

    def undo(self) -> None:
        self.transaction.undo()


def apply_edits(session: Session, raws: dict[str, bytes], now: datetime,
                parsed: Parsed | None = None) -> Applied | EditResult:
    """Apply the edits to the model: an Applied, or (model unchanged) a failed EditResult with
    what a full build would report. Raises NeedsFullBuild (model unchanged) when it cannot.
    `parsed`: the files already parsed (by read_briefing), by path."""
    if session.next_due is not None and session.next_due <= now:
        raise NeedsFullBuild("a scheduled briefing came due")
    edits = [_parse(session, path, raw, parsed) for path, raw in sorted(raws.items())]
    done = _Transaction(session)
    try:
        for edit in edits:
            done.apply(edit)
        broken = [edit for edit in edits if edit.parsed is None]
        diagnostics = session.diagnostics()
        if broken or any(d.severity == "error" for d in diagnostics):
            # a briefing that does not parse is not in the model: nothing but its parse
            # errors is said about it
            gone = {edit.briefing.path for edit in broken}
            failed = Diagnostics(d for d in session.diagnostics(failed=True) if d.path not in gone)
            for edit in broken:
                failed.extend(edit.found)
            failed.extend(_without(session, broken))
            done.undo()
            return EditResult(False, list(failed))
        done.relink()
        positions = session.index.jobs_reading(done.refresh())
    except BaseException:
        done.undo()
        raise
    return Applied(done, diagnostics, positions)


def edit_briefings(session: Session, paths: Iterable[str], now: datetime, against: Path,
                   helper: Helper | None = None) -> EditResult:
    """Apply edits of these briefing files to the session; the files that now differ from the
    build in `against`. Raises NeedsFullBuild (with the model unchanged) when it cannot. A
    helper (replica.py) applies the same edits to its copy and renders part of the jobs."""
    raws = read_edits(session, paths)
    applied = apply_edits(session, raws, now)
    if isinstance(applied, EditResult):
        return applied
    try:
        problems = Diagnostics()
        files, rendered = render_jobs(session, applied.positions, against, problems,
                                      helper=helper, raws=raws, now=now)
    except BaseException:
        applied.undo()
        if helper is not None:
            helper.end(keep=False)
        raise
    if helper is not None:
        helper.end(keep=not problems.has_errors())
    if problems.has_errors():
        applied.undo()
        problems.extend(applied.diagnostics)
        return EditResult(False, list(problems))
    return EditResult(True, applied.diagnostics, files, rendered)
