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
        opened = _UNCLOSED.get(exc.context or "")
        if opened and exc.context_mark is not None:
            # The parser stops where it gave up, often lines later; the editor needs the bracket.
            mark = exc.context_mark
            message = f"{opened} is never closed ({exc.problem})"
        line, col = (mark.line, mark.column) if mark is not None else (0, 0)
        raise YamlSyntaxError(f"malformed YAML: {message}", line, col) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"malformed YAML: {exc}", 0, 0) from None
