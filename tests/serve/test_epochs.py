"""Build epochs: an in-place update of the served folder waits for the requests reading it, and
requests arriving meanwhile wait for it, so none sees it half-updated."""

from __future__ import annotations

import threading
from pathlib import Path

from briefgen.serve.epochs import Epochs


def test_an_update_in_place_waits_for_readers_and_readers_wait_for_it(tmp_path: Path) -> None:
    epochs = Epochs(tmp_path)
    served = epochs.publish(epochs.next_target()).path
    events: list[str] = []
    reading, updating, updated = threading.Event(), threading.Event(), threading.Event()

    def update() -> None:
        updating.set()
        with epochs.exclusive(served):
            events.append("update")
        updated.set()

    def late_reader() -> None:
        with epochs.acquire() as epoch:
            assert epoch is not None and epoch.path == served
            events.append("late reader")

    with epochs.acquire():  # a request reading the served folder
        reading.set()
        writer = threading.Thread(target=update)
        writer.start()
        assert updating.wait(30)
        assert not updated.wait(0.2)  # still held up by this reader
        events.append("first reader done")
    writer.join(30)
    later = threading.Thread(target=late_reader)
    later.start()
    later.join(30)
    assert events == ["first reader done", "update", "late reader"]


def test_a_reader_arriving_during_an_update_waits_for_its_end(tmp_path: Path) -> None:
    epochs = Epochs(tmp_path)
    served = epochs.publish(epochs.next_target()).path
    events: list[str] = []
    inside, release = threading.Event(), threading.Event()

    def update() -> None:
        with epochs.exclusive(served):
            inside.set()
            assert release.wait(30)
            events.append("update done")

    def reader() -> None:
        with epochs.acquire():
            events.append("read")

    writer = threading.Thread(target=update)
    writer.start()
    assert inside.wait(30)
    request = threading.Thread(target=reader)
    request.start()
    request.join(0.2)
    assert request.is_alive()  # waiting for the update
    release.set()
    writer.join(30)
    request.join(30)
    assert events == ["update done", "read"]
