"""A briefing's rendered body made fit for an inbox: absolute links, nothing a mail client runs."""

from __future__ import annotations

from html import escape
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml.etree import ParserError

__all__ = ["DROPPED", "LINK_SCHEMES", "absolute", "email_body"]

# Elements that run, submit, embed or style from outside: gone with their content.
DROPPED = ("script", "noscript", "style", "link", "meta", "base", "form", "input", "button",
            "select", "textarea", "iframe", "frame", "frameset", "object", "embed", "applet",
            "template", "audio", "video", "canvas", "svg", "math")
LINK_SCHEMES = ("http", "https", "mailto")


def absolute(url: str, page_url: str) -> str:
    """A link as the email carries it: relative ones resolved against the briefing's page;
    '' when its scheme is not http(s) or mailto (javascript:, data:, file:...)."""
    joined = urljoin(page_url, url.strip())
    return joined if urlsplit(joined).scheme.lower() in LINK_SCHEMES else ""


def email_body(html: str, page_url: str) -> str:
    """The body HTML with every href and src absolute (a citation's #source.N goes to the Sources
    list of the briefing's web page), no script, form, embed or style element, no event
    handler attribute, and an alt (empty when the editor gave none) on every image."""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except ParserError:  # nothing but whitespace
        return ""
    for element in list(root.iter(*DROPPED)):
        element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in list(element.attrib):
            if name.lower().startswith("on") or name.lower() in ("srcset", "formaction"):
                del element.attrib[name]
        for name in ("href", "src"):
            value = element.get(name)
            if value is None:
                continue
            link = absolute(value, page_url)
            if link:
                element.set(name, link)
            else:
                del element.attrib[name]
        if element.tag == "img" and element.get("alt") is None:
            element.set("alt", "")
    return escape(root.text or "", quote=False) + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root)
