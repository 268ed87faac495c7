"""Markdown blocks from trafilatura's XML tree: headings, quotes, lists, tables, safe links."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

__all__ = ["escape_block_start", "safe_link", "to_blocks"]

_BLOCK_START = re.compile(r"^(#{1,6}\s|>|[-+*]\s|\d{1,9}[.)]\s|={3,}|-{3,}|`{3,}|~{3,})")


def escape_block_start(text: str) -> str:
    """Backslash a paragraph's first character when Markdown would read it as a heading, quote,
    list item, rule or code fence ('1. ' -> '1\\. ')."""
    match = _BLOCK_START.match(text)
    if not match:
        return text
    marker = match.group()
    if marker[0].isdigit():
        digits = re.match(r"\d+", marker)
        end = digits.end() if digits else 0
        return text[:end] + "\\" + text[end:]
    return "\\" + text


def safe_link(target: str, base: str) -> str:
    """An absolute http(s) URL for a link target, or '' when it has any other scheme."""
    target = "".join(target.split())
    if not target:
        return ""
    absolute = urljoin(base, target) if base else target
    if urlsplit(absolute).scheme.lower() not in ("http", "https") or not urlsplit(absolute).netloc:
        return ""
    return absolute.replace(" ", "%20").replace(")", "%29").replace("(", "%28")


def _inline(el: Any, base: str) -> str:
    parts = [el.text or ""]
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        inner = _inline(child, base)
        if tag == "hi":
            rend = child.get("rend", "")
            if inner.strip() and "#b" in rend:
                inner = f"**{inner.strip()}**"
            elif inner.strip() and ("#i" in rend or "#u" in rend):
                inner = f"*{inner.strip()}*"
        elif tag == "ref":
            link = safe_link(child.get("target", ""), base)
            label = inner.strip().replace("[", "\\[").replace("]", "\\]")
            inner = f"[{label}]({link})" if link and label else inner
        elif tag == "code":
            inner = f"`{inner}`" if "`" not in inner else inner
        elif tag == "lb":
            inner = "\n"
        elif tag in ("graphic", "note"):
            inner = ""
        parts.append(inner)
        parts.append(child.tail or "")
    return "".join(parts)


def _clean(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _list(el: Any, base: str, depth: int = 0) -> list[str]:
    ordered = el.get("rend", "") in ("ol", "ordered")
    lines = []
    number = 0
    for item in el:
        if item.tag != "item":
            continue
        number += 1
        nested = [child for child in item if child.tag == "list"]
        for child in nested:
            item.remove(child)
        text = _clean(_inline(item, base)).replace("\n", " ")
        marker = f"{number}." if ordered else "-"
        if text:
            lines.append("  " * depth + f"{marker} {text}")
        for child in nested:
            lines.extend(_list(child, base, depth + 1))
    return lines


def _table(el: Any, base: str) -> str:
    rows = []
    for row in el.iter("row"):
        cells = [_clean(_inline(cell, base)).replace("\n", " ").replace("|", "\\|")
                 for cell in row if cell.tag == "cell"]
        if cells:
            rows.append(cells)
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
    lines.insert(1, "|" + " --- |" * width)
    return "\n".join(lines)


def _blocks(el: Any, base: str) -> list[str]:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "head":
        match = re.search(r"\d", el.get("rend", ""))
        level = min(max(int(match.group()) if match else 2, 2), 6)
        text = _clean(_inline(el, base)).replace("\n", " ")
        return ["#" * level + " " + text] if text else []
    if tag == "p":
        text = _clean(_inline(el, base))
        return [escape_block_start(text)] if text else []
    if tag == "list":
        lines = _list(el, base)
        return ["\n".join(lines)] if lines else []
    if tag == "table":
        table = _table(el, base)
        return [table] if table else []
    if tag == "code":
        code = (el.text or "").strip("\n")
        return [f"```\n{code}\n```"] if code.strip() and "```" not in code else []
    if tag == "quote":
        inner = [b for child in el for b in _blocks(child, base)]
        own = _clean(el.text or "")
        if own:
            inner.insert(0, own)
        if not inner:
            return []
        quoted = "\n>\n".join("\n".join("> " + line for line in b.split("\n")) for b in inner)
        return [quoted]
    if tag in ("graphic", "lb"):
        return []
    if len(el):
        blocks = []
        if (el.text or "").strip():
            blocks.append(escape_block_start(_clean(el.text)))
        for child in el:
            blocks.extend(_blocks(child, base))
            if (child.tail or "").strip():
                blocks.append(escape_block_start(_clean(child.tail)))
        return blocks
    text = _clean(_inline(el, base))
    return [escape_block_start(text)] if text else []


def to_blocks(body: Any, base: str = "") -> list[str]:
    """The Markdown blocks of trafilatura's <body>/<main> element, in order."""
    return [b for child in body for b in _blocks(child, base)]
