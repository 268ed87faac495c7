"""`briefgen serve` as a user runs it: the URL printed, pages served, Ctrl-C exits 0, SIGTERM stops
it as quickly, a taken port explained, the next free port said clearly."""

from __future__ import annotations

import errno
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.diagnostics import BriefgenError
from briefgen.serve.app import ServeOptions, bind
from briefgen.serve.http import PreviewServer
from tests.serve.kit import BRIEFING, SITE, get, wait_until

REPO = Path(__file__).resolve().parents[2]


def _ctrl_c_as_at_a_terminal() -> None:
    # A shell without job control starts a background command with SIGINT ignored, and Python
    # leaves an ignored SIGINT ignored: under `nohup pytest &` our Ctrl-C would never reach serve.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def serve(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "briefgen", "--site", str(root), "serve",
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_ctrl_c_as_at_a_terminal)


def test_serve_prints_the_url_serves_the_site_and_ctrl_c_exits_0(
        make_site: Callable[..., Path]) -> None:
    root = make_site(SITE)
    proc = serve(root, "--port", "0")
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        port = int(match.group(1))
        wait_until(lambda: get(port, BRIEFING).status == 200, timeout=60, what="the first build")
        assert "The harbour reopened on Monday." in get(port, BRIEFING).text
    finally:
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Stopping the preview." in err and "Traceback" not in err
    assert not (root / "site").exists()  # the published folder is never touched


def test_a_taken_port_asked_for_is_a_clear_error(make_site: Callable[..., Path]) -> None:
    root = make_site(SITE)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = serve(root, "--port", str(port))
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in err and "--port" in err
    assert "Traceback" not in err


def test_without_a_port_the_next_free_one_is_taken_and_said(tmp_path: Path) -> None:
    logs: list[str] = []
    tried: list[int] = []

    def make(port: int) -> PreviewServer:
        tried.append(port)
        if port < 8002:
            raise OSError(errno.EADDRINUSE, "Address already in use")
        return "server"  # type: ignore[return-value]

    assert bind(ServeOptions(tmp_path), make, logs.append) == "server"
    assert tried == [8000, 8001, 8002]
    assert logs == ["Port 8000 is in use, so the preview uses port 8002 instead."]


def test_when_every_port_is_taken_the_message_says_so(tmp_path: Path) -> None:
    def make(port: int) -> PreviewServer:
        raise OSError(errno.EADDRINUSE, "Address already in use")

    with pytest.raises(BriefgenError, match=r"ports 8000-8019 on 127\.0\.0\.1 are all in use"):
        bind(ServeOptions(tmp_path), make, lambda _m: None)


def test_serve_without_a_site_is_a_usage_error(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "briefgen", "--site", str(tmp_path), "serve"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "no briefgen.yaml" in proc.stderr


def started(root: Path) -> tuple[subprocess.Popen[str], int]:
    """`briefgen serve` on any free port, once it has said where it serves."""
    proc = serve(root, "--port", "0")
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert match, line + (proc.stderr.read() if proc.stderr else "")
    return proc, int(match.group(1))


def test_sigterm_stops_the_preview_in_under_half_a_second(
        make_site: Callable[..., Path]) -> None:
    proc, port = started(make_site(SITE))
    try:
        wait_until(lambda: get(port, BRIEFING).status == 200, timeout=60, what="the first build")
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        took = time.monotonic() - sent
    finally:
        proc.kill()
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Stopping the preview." in err and "Traceback" not in err
    assert took < 0.5, f"SIGTERM took {took:.2f} s to stop the preview"


def test_sigterm_during_the_first_build_stops_at_once_as_ctrl_c_does(tmp_path: Path) -> None:
    """The signal does not wait for the first build to finish before the preview stops (the
    demo site: its first build takes about a second)."""
    root = tmp_path / "demo"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "briefgen.yaml", root / "briefgen.yaml")
    proc, _port = started(root)
    try:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    finally:
        proc.kill()
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    stopping = err.index("Stopping the preview.")
    built = err.find("Built in")
    assert built == -1 or stopping < built, err


def test_a_signal_during_a_rebuild_stops_the_preview_without_waiting_for_it(
        tmp_path: Path) -> None:
    """Ctrl-C or SIGTERM while the build process is busy: the preview stops, the build is
    abandoned (never reported as built)."""
    from benchmarks.corpus import generate

    root = generate(tmp_path / "corpus", 150)
    proc, port = started(root)
    assert proc.stderr is not None
    try:
        wait_until(lambda: get(port, "/").status == 200, timeout=120, what="the first build")
        template = root / "themes/default/templates/404.html"
        template.parent.mkdir(parents=True, exist_ok=True)
        template.write_text("{% extends 'base.html' %}")  # a full rebuild of every page
        lines: list[str] = []
        while "rebuilding" not in (lines[-1] if lines else ""):
            lines.append(proc.stderr.readline())
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    finally:
        proc.kill()
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Stopping the preview." in err and "Traceback" not in err
    assert "Rebuilt in" not in err, err  # it did not wait for the rebuild
