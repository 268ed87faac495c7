"""The dependency index: which output jobs' keys were made from which memoised digests.

Recorded while a full build collects its jobs (digests.recording): every job key is a digest of
digests, so its provenance names each card, briefing, source, citing and outlet digest it covers,
directly or through another one. Inverted, that says which jobs must be looked at again when one
of those digests changes: the render-key contract (docs/performance.md) turned into an index.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from briefgen.digests import Provenance
from briefgen.jobs import Job

__all__ = ["DependencyIndex"]


class DependencyIndex:
    """Memoised digests (kind, object) -> the positions of the jobs whose keys were made from
    them."""

    def __init__(self, provenance: Provenance, jobs: list[Job]) -> None:
        self._numbers = {(kind, id(obj)): n for n, (kind, obj) in enumerate(provenance.entries)}
        self._objects = [obj for _kind, obj in provenance.entries]  # keeps each id() valid
        self._readers: list[list[int]] = [[] for _ in provenance.entries]
        self._weights: list[int] = []
        for position, job in enumerate(jobs):
            numbers = provenance.of(job.key)
            self._weights.append(len(numbers))
            for number in numbers:
                self._readers[number].append(position)

    @classmethod
    def restore(cls, entries: list[tuple[str, Any]], readers: list[list[int]],
                weights: list[int]) -> DependencyIndex:
        """An index from what state() gave (its objects unpickled together with the model)."""
        index = cls.__new__(cls)
        index._numbers = {(kind, id(obj)): n for n, (kind, obj) in enumerate(entries)}
        index._objects = [obj for _kind, obj in entries]
        index._readers = readers
        index._weights = weights
        return index

    def state(self) -> tuple[list[tuple[str, Any]], list[list[int]], list[int]]:
        """The entries (kind, object), each one's readers, and each job's weight."""
        kinds = {n: kind for (kind, _id), n in self._numbers.items()}
        entries = [(kinds[n], obj) for n, obj in enumerate(self._objects)]
        return entries, self._readers, self._weights

    def __len__(self) -> int:
        return len(self._readers)

    def weight(self, position: int) -> int:
        """How many digests the key of the job at position was made from."""
        return self._weights[position]

    def readers(self, kind: str, obj: Any) -> list[int]:
        """Positions of the jobs whose keys include obj's `kind` digest (none if no key did)."""
        number = self._numbers.get((kind, id(obj)))
        return [] if number is None else self._readers[number]

    def jobs_reading(self, entries: Iterable[tuple[str, Any]]) -> list[int]:
        """Positions, in job order, of every job reading any of the entries."""
        found: set[int] = set()
        for kind, obj in entries:
            found.update(self.readers(kind, obj))
        return sorted(found)
