"""The build benchmark: cold build, no-op rebuild, one-briefing edit, template edit, peak memory.

    python -m benchmarks.run --sizes 1000,4000,10000 --repeat 3
    python -m benchmarks.run --sizes 1000 --compare "hugo --quiet"    # time another command
    python -m benchmarks.run --sizes 1000 --citations-off              # cost of citations

Each figure is the median of --repeat runs of `python -m briefgen build` in a child process on the
deterministic corpus from benchmarks/corpus.py; peak memory is the child's maximum resident set.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import generate

__all__ = ["main", "measure"]

_NO_CITATIONS = (
    "import briefgen.markdown as m; m.citations_plugin = lambda md: None; "
    "from briefgen.cli import main; main()"
)


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one run of command (which must succeed)."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{shlex.join(command)} failed in {cwd}:\n{stderr[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def _median(command: list[str], cwd: Path, repeat: int,
            before: object = None) -> tuple[float, float]:
    times, peaks = [], []
    for _ in range(repeat):
        if callable(before):
            before()
        seconds, peak = measure(command, cwd)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def _touch_briefing(root: Path, counter: list[int]) -> None:
    path = sorted((root / "content" / "briefings").rglob("*.md"))[0]
    counter[0] += 1
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\nEdit number {counter[0]}.\n")


def _touch_template(root: Path, counter: list[int]) -> None:
    template = root / "themes" / "default" / "templates" / "_byline.html"
    if not template.exists():
        from briefgen.theme import bundled_themes_dir

        template.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bundled_themes_dir() / "default" / "templates" / "_byline.html", template)
    counter[0] += 1
    with template.open("a", encoding="utf-8") as handle:
        handle.write(f"{{# edit {counter[0]} #}}\n")


def run_size(size: int, workdir: Path, repeat: int, command: list[str]) -> dict[str, float]:
    root = workdir / f"corpus-{size}"
    if not root.exists():
        generate(root, size)
    def clean() -> None:
        for folder in ("site", ".briefgen-cache"):
            shutil.rmtree(root / folder, ignore_errors=True)

    clean()
    cold, peak = _median(command, root, repeat, before=clean)
    noop, _ = _median(command, root, repeat)  # the cold build left its cache: nothing to do
    counter = [0]
    edit, _ = _median(command, root, repeat, before=lambda: _touch_briefing(root, counter))
    template, _ = _median(command, root, repeat, before=lambda: _touch_template(root, counter))
    pages = sum(1 for _ in (root / "site").rglob("*.html"))
    return {"size": size, "cold": cold, "noop": noop, "edit": edit, "template": template,
            "peak": peak, "pages_per_s": pages / cold}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "briefgen-bench")
    parser.add_argument("--compare", help="another build command to time on the same corpus")
    parser.add_argument("--citations-off", action="store_true",
                        help="build with the citation plugin disabled, to measure its cost")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.compare:
        command = shlex.split(args.compare)
    elif args.citations_off:
        command = [sys.executable, "-c", _NO_CITATIONS, "build"]
    else:
        command = [sys.executable, "-m", "briefgen", "build"]
    print(f"command: {shlex.join(command)}  (median of {args.repeat})")
    print(f"{'briefings':>9} {'cold s':>8} {'no-op s':>8} {'edit s':>8} {'template s':>10} "
          f"{'peak MiB':>9} {'pages/s':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        r = run_size(size, args.workdir, args.repeat, command)
        print(f"{size:>9} {r['cold']:>8.2f} {r['noop']:>8.2f} {r['edit']:>8.2f} "
              f"{r['template']:>10.2f} {r['peak']:>9.0f} {r['pages_per_s']:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
