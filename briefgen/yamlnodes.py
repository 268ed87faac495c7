"""Safe YAML to a node tree with positions: C parser when available, no object construction."""

from __future__ import annotations

import yaml

__all__ = ["MAX_YAML_BYTES", "YamlSyntaxError", "compose"]

try:  # pragma: no cover - depends on how PyYAML was built
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

MAX_YAML_BYTES = 256 * 1024


class YamlSyntaxError(Exception):
    """Malformed YAML, with the 0-based line and column the parser stopped at."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


_UNCLOSED = {"while parsing a flow sequence": "the list opened with '[' here",
             "while parsing a flow mapping": "the mapping opened with '{' here"}


_UNCLOSED_WHAT = {"[": "the list opened with '[' here", "{": "the mapping opened with '{' here"}


def _is_tab(text: str, exc: yaml.MarkedYAMLError) -> bool:
    """Whether PyYAML stopped at a tab (its words for it vary with where the tab is)."""
    if "tab" in (exc.problem or ""):
        return True
    mark = exc.problem_mark
    if mark is None:
        return False
    lines = text.split("\n")
    return mark.line < len(lines) and lines[mark.line][mark.column:mark.column + 1] == "\t"


def _unclosed_flow(text: str) -> tuple[int, int, str] | None:
    """The 0-based line and column of the outermost '[' or '{' that opens a flow collection and
    is never closed, skipping quoted text, comments and brackets inside plain text."""
    stack: list[tuple[int, int, str]] = []
    for number, line in enumerate(text.split("\n")):
        value_starts = True  # where a value may begin: a line's start, after ': ', '- ', '[', ','
        quote = ""
        i = 0
        while i < len(line):
            char = line[i]
            if quote:
                if quote == '"' and char == "\\":
                    i += 1
                elif char == quote:
                    quote = ""
            elif char == "#" and (i == 0 or line[i - 1] in " \t"):
                break
            elif char in " \t":
                pass
            elif char in "[{" and (value_starts or stack):
                stack.append((number, i, char))
                value_starts = True
            elif char in "]}" and stack:
                stack.pop()
                value_starts = False
            elif char in "\"'" and value_starts:
                quote = char
            elif (char == "," and stack) or (char in ":-" and line[i + 1:i + 2] in ("", " ", "\t")):
                value_starts = True
            else:
                value_starts = False
            i += 1
    return stack[0] if stack else None


def compose(text: str) -> yaml.Node | None:
    """Parse one YAML document into nodes (never Python objects, so no tag can run code)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_YAML_BYTES:
        raise YamlSyntaxError(
            f"YAML block is larger than {MAX_YAML_BYTES // 1024} KiB; refusing to parse it", 0, 0
        )
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(p for p in (exc.context, exc.problem) if p) or "malformed YAML"
        line, col = (mark.line, mark.column) if mark is not None else (0, 0)
        opened = _UNCLOSED.get(exc.context or "")
        unclosed = _unclosed_flow(text) if exc.context == "while parsing a flow node" else None
        if opened and exc.context_mark is not None:
            # The parser stops where it gave up, often lines later; the editor needs the bracket.
            line, col = exc.context_mark.line, exc.context_mark.column
            message = f"{opened} is never closed ({exc.problem})"
        elif unclosed is not None:
            # `title: [` and then the end of the front matter: the parser stops at the end (the
            # closing '---' in the file), the bracket is what the editor has to fix
            line, col, bracket = unclosed
            message = f"{_UNCLOSED_WHAT[bracket]} is never closed"
        elif _is_tab(text, exc):
            message = ("a tab character here; YAML indents with spaces only (replace the tab "
                       "with spaces)")
        raise YamlSyntaxError(f"malformed YAML: {message}", line, col) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"malformed YAML: {exc}", 0, 0) from None
