"""The error overlay: while the last build failed, each HTML response shows every problem on top.

Each diagnostic gets its `path:line:col`, severity, message and the offending lines of the file with
a caret under the column, all HTML-escaped (messages quote front matter, which is the editor's
text, and file lines can hold anything). The page underneath is the last good build.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from briefgen.diagnostics import Diagnostic

__all__ = ["OVERLAY_ID", "overlay_html", "snippet"]

OVERLAY_ID = "briefgen-overlay"
_CONTEXT = 2  # lines shown before and after the offending one
_MAX_LINE = 300  # characters of a line shown
_MAX_SHOWN = 50  # diagnostics listed; the count says how many there are

_STYLE = (
    "position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:75vh;overflow:auto;"
    "margin:0;padding:1rem 1.5rem;background:#1b1b1f;color:#f2f2f2;"
    "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
    "border-bottom:4px solid #e5484d;box-shadow:0 4px 24px rgba(0,0,0,.5);text-align:left"
)

# Its own colours, whatever the page's stylesheet says about buttons: dark on light, 15:1.
_BUTTON = ("font:inherit;margin-top:.5rem;padding:.3rem .8rem;color:#1b1b1f;background:#f2f2f2;"
           "border:1px solid #f2f2f2;border-radius:.25rem;cursor:pointer")


def snippet(bases: Sequence[Path], diag: Diagnostic) -> list[tuple[int, str, bool]]:
    """(line number, text, is the offending line) around diag.line, read from the first base
    folder that has the file; empty when there is no line or the file is not inside a base."""
    if diag.line <= 0 or not diag.path or Path(diag.path).is_absolute():
        return []
    for base in bases:
        root = base.resolve()
        path = (root / diag.path).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            continue
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return []
        first = max(1, diag.line - _CONTEXT)
        last = min(len(lines), diag.line + _CONTEXT)
        return [(n, lines[n - 1][:_MAX_LINE], n == diag.line) for n in range(first, last + 1)]
    return []


def _item(bases: Sequence[Path], diag: Diagnostic) -> str:
    rows = snippet(bases, diag)
    width = len(str(rows[-1][0])) if rows else 1
    code = []
    for number, text, here in rows:
        mark = ">" if here else " "
        code.append(escape(f"{mark} {number:>{width}} | {text}"))
        if here and diag.col > 0:
            code.append(" " * (width + 5 + diag.col - 1) + "^")
    listing = ("<pre style=\"margin:.4rem 0 0;padding:.5rem;background:#000;color:#ddd;"
               "overflow:auto;white-space:pre\">" + "\n".join(code) + "</pre>") if code else ""
    colour = "#ff8589" if diag.severity == "error" else "#f5c451"
    return (f"<li style=\"margin:0 0 1rem\"><div><span data-where style=\"color:#9ecbff\">"
            f"{escape(_where(diag))}</span>: <strong style=\"color:{colour}\">"
            f"{escape(diag.severity)}</strong>: <span data-message>{escape(diag.message)}</span>"
            f"</div>{listing}</li>")


def _where(diag: Diagnostic) -> str:
    if not diag.line:
        return diag.path
    return f"{diag.path}:{diag.line}:{diag.col or 1}"


def overlay_html(diagnostics: Sequence[Diagnostic], bases: Sequence[Path],
                 have_good_build: bool) -> str:
    """The overlay element for a failed build (errors first, then warnings; no info lines)."""
    shown = [d for d in diagnostics if d.severity == "error"]
    shown += [d for d in diagnostics if d.severity == "warning"]
    errors = sum(1 for d in shown if d.severity == "error")
    underneath = ("The page below is the last good build; it updates when the build succeeds."
                  if have_good_build else "There is no good build yet; this page updates when "
                  "the build succeeds.")
    items = "".join(_item(bases, d) for d in shown[:_MAX_SHOWN])
    more = (f"<p>... and {len(shown) - _MAX_SHOWN} more (see the terminal).</p>"
            if len(shown) > _MAX_SHOWN else "")
    return (f"<div id=\"{OVERLAY_ID}\" role=\"alert\" style=\"{_STYLE}\">"
            f"<p style=\"margin:0 0 .75rem;font-weight:bold;color:#ff8589\">The build failed with "
            f"{errors} error{'s' if errors != 1 else ''}. Fix the file and save: the preview "
            f"rebuilds by itself.</p><p style=\"margin:0 0 1rem;color:#bbb\">{underneath}</p>"
            f"<ol style=\"margin:0;padding-left:1.5rem\">{items}</ol>{more}"
            f"<button type=\"button\" onclick=\"this.parentNode.remove()\" style=\"{_BUTTON}\">"
            f"Hide until the next build</button></div>")
