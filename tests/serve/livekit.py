"""Live rebuild test kit: a LiveRebuilder over two build folders, used as the preview uses them,
and a cold build of a copy of the site to compare every result with."""

from __future__ import annotations

import shutil
from pathlib import Path

from briefgen.build import BuildOptions, build
from briefgen.diagnostics import BuildFailed, Diagnostic
from briefgen.serve.changes import classify, plan
from briefgen.serve.folders import commit_staged
from briefgen.serve.live import LiveRebuilder
from briefgen.serve.rebuild import BuildOutcome
from tests.sitekit import NOW

__all__ = ["BASE_URL", "Live", "tree"]

BASE_URL = "http://127.0.0.1:8000/"
Tree = dict[str, bytes]


def tree(folder: Path) -> Tree:
    """Every file under folder, with its bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


class Live:
    """A site, its live rebuilder, and the two folders the preview alternates between."""

    def __init__(self, root: Path, scratch: Path, jobs: int = 1) -> None:
        self.root = root
        self.scratch = scratch
        self.rebuilder = LiveRebuilder(root, BASE_URL, now=NOW, jobs=jobs)
        self.slots = [root / ".briefgen-cache" / "serve" / name for name in ("a", "b")]
        self.current: Path | None = None
        self.colds = 0
        self.last: BuildOutcome | None = None

    def rebuild(self, *paths: str) -> BuildOutcome:
        """Rebuild after these site-relative paths changed (the first build: none)."""
        todo = plan(classify(self.root, path) for path in paths) if paths else plan(
            [classify(self.root, "briefgen.yaml")])
        target = next(slot for slot in self.slots if slot != self.current)
        outcome = self.rebuilder.rebuild(todo, self.current, target)
        if outcome.ok and outcome.staged is not None:  # in place: as the preview does it
            assert self.current is not None
            commit_staged(outcome.staged, self.current, outcome.files)
        elif outcome.ok:
            self.current = target
        self.last = outcome
        return outcome

    @property
    def in_place(self) -> bool:
        """Whether the last rebuild was made in place (not a full build)."""
        return self.last is not None and "rendered" in self.last.counts

    def edit(self, rel: str, old: str, new: str) -> BuildOutcome:
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return self.rebuild(rel)

    def served(self) -> Tree:
        assert self.current is not None
        return tree(self.current)

    def _copy(self) -> Path:
        self.colds += 1
        copy = self.scratch / f"cold-{self.colds}"
        shutil.copytree(self.root, copy, symlinks=True,
                        ignore=shutil.ignore_patterns(".briefgen-cache"))
        return copy

    def cold(self) -> Tree:
        """What a fresh full build (no cache) of the site as it is now publishes."""
        copy = self._copy()
        build(BuildOptions(copy, base_url=BASE_URL, now=NOW, cache=False, jobs=1,
                           output=copy / "out"))
        return tree(copy / "out")

    def cold_diagnostics(self) -> list[Diagnostic]:
        """What a fresh full build of the site as it is now reports (it may fail)."""
        copy = self._copy()
        try:
            result = build(BuildOptions(copy, base_url=BASE_URL, now=NOW, cache=False, jobs=1,
                                        output=copy / "out"))
        except BuildFailed as failed:
            return list(failed.diagnostics)
        return list(result.diagnostics)

    def assert_matches_cold_build(self) -> None:
        served, cold = self.served(), self.cold()
        assert sorted(served) == sorted(cold)
        differ = [rel for rel in cold if served[rel] != cold[rel]]
        assert differ == []
