"""The Markdown renderer: safe links, safe heading ids, extensions, highlighting, summaries."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from markdown_it.rules_core.normalize import normalize

from briefgen.markdown import SUMMARY_CHARS, create_markdown, heading_slug, render_markdown

MD = create_markdown()


def html(text: str, base_path: str = "/") -> str:
    return render_markdown(MD, text, base_path).html


# --- links that could run script ----------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "java\tscript:alert(1)",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
])
@pytest.mark.parametrize("form", ["[x]({})", "![x]({})", "[x]\n\n[x]: {}", "<{}>"])
def test_script_capable_link_never_becomes_a_link(form: str, target: str) -> None:
    out = html(form.format(target))
    assert "<a " not in out
    assert "<img " not in out
    assert "href=" not in out
    assert "src=" not in out


def test_ordinary_links_and_images_are_kept() -> None:
    assert html("[a](https://example.org/x) ![i](data:image/png;base64,iVBOR)") == (
        '<p><a href="https://example.org/x">a</a> '
        '<img src="data:image/png;base64,iVBOR" alt="i" /></p>\n')


def test_percent_encoded_scheme_stays_a_harmless_relative_link() -> None:
    assert html("[x](%6Aavascript:alert(1))") == (
        '<p><a href="%6Aavascript:alert(1)">x</a></p>\n')


# --- heading ids --------------------------------------------------------------------------------

@pytest.mark.parametrize(("heading", "expected"), [
    ("\\_\\_proto\\_\\_", "h-__proto__"),
    ("Location", "h-location"),
    ("constructor", "h-constructor"),
    ("`document`", "h-document"),
    ("Window", "h-window"),
    ("2026 outlook", "h-2026-outlook"),
    ("What the <em>minister</em> said", "what-the-minister-said"),
    ("Привет мир", "привет-мир"),
    ("नमस्ते दुनिया", "नमस्ते-दुनिया"),
    ("???", "section"),
])
def test_heading_ids_are_slugs_prefixed_against_dom_clobbering(heading: str,
                                                                expected: str) -> None:
    rendered = render_markdown(MD, f"## {heading}\n")
    assert rendered.headings[0][:2] == (2, expected)
    assert f'<h2 id="{expected}">' in rendered.html


def test_heading_slug_prefixes_names_that_clobber_globals() -> None:
    assert heading_slug("__proto__") == "h-__proto__"
    assert heading_slug("__anything") == "h-__anything"
    assert heading_slug("Location") == "h-location"
    assert heading_slug("constructor") == "h-constructor"
    assert heading_slug("Normal heading") == "normal-heading"


def test_repeated_headings_get_distinct_ids_and_h1_gets_none() -> None:
    rendered = render_markdown(MD, "# Top\n\n## Same\n\n## Same\n\n#### Deep\n\n##### Deeper\n")
    assert rendered.headings == [(1, "", "Top"), (2, "same", "Same"), (2, "same-1", "Same"),
                                 (4, "deep", "Deep"), (5, "", "Deeper")]


# --- extensions ---------------------------------------------------------------------------------

def test_tables_render() -> None:
    assert html("| a | b |\n|---|--:|\n| 1 | 2 |\n") == (
        "<table>\n<thead>\n<tr>\n<th>a</th>\n<th style=\"text-align:right\">b</th>\n</tr>\n"
        "</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td style=\"text-align:right\">2</td>\n</tr>\n"
        "</tbody>\n</table>\n")


def test_strikethrough_renders() -> None:
    assert html("~~withdrawn~~ claim") == "<p><s>withdrawn</s> claim</p>\n"


def test_footnotes_render_with_back_references() -> None:
    out = html("Claim.[^1]\n\n[^1]: The note.\n")
    assert '<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>' in out
    assert '<li id="fn1" class="footnote-item"><p>The note. ' in out
    assert '<a href="#fnref1" class="footnote-backref">' in out


def test_fenced_python_is_highlighted_with_pygments_classes() -> None:
    out = html("```python\ndef f():\n    return '<b>'\n```\n")
    # Pygments releases differ in whether they escape ' (&#39;): accept either, nothing else
    assert out.replace("&#39;", "'") == (
        '<pre class="highlight"><code class="language-python">'
        '<span class="k">def</span><span class="w"> </span><span class="nf">f</span>'
        '<span class="p">():</span>\n'
        '    <span class="k">return</span> <span class="s1">\'&lt;b&gt;\'</span>\n'
        "</code></pre>\n\n")


def test_fenced_block_in_an_unknown_language_is_escaped_plainly() -> None:
    assert html("```no-such-language\n<script>alert(1)</script>\n```\n") == (
        '<pre><code class="language-no-such-language">&lt;script&gt;alert(1)&lt;/script&gt;\n'
        "</code></pre>\n")


def test_language_name_cannot_break_out_of_the_class_attribute() -> None:
    out = html('```python"><script>\nx = 1\n```\n')
    assert "<script>" not in out


def test_raw_html_is_kept_by_default() -> None:
    assert html("<div class=\"box\">raw</div>\n\nA <b>b</b>") == (
        '<div class="box">raw</div>\n<p>A <b>b</b></p>\n')


def test_raw_html_is_escaped_when_switched_off() -> None:
    md = create_markdown(raw_html=False)
    assert render_markdown(md, "<script>alert(1)</script>\n\nA <b>b</b>").html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n<p>A &lt;b&gt;b&lt;/b&gt;</p>\n")


# --- sub-path deploys ---------------------------------------------------------------------------

def test_root_relative_links_and_images_get_the_base_path() -> None:
    out = html("[a](/x/) ![i](/img/a.png) [b](//cdn.example/x) [c](https://e.org/) "
               "[d](rel/x) [e](#f)", "/sub/")
    assert out == (
        '<p><a href="/sub/x/">a</a> <img src="/sub/img/a.png" alt="i" /> '
        '<a href="//cdn.example/x">b</a> <a href="https://e.org/">c</a> '
        '<a href="rel/x">d</a> <a href="#f">e</a></p>\n')


def test_root_relative_links_in_raw_html_get_the_base_path() -> None:
    out = html('<figure><img src="/img/map.png" alt="Map"></figure>\n\n'
               "See <a href='/about/'>us</a>, <a href=\"//cdn.example/x\">cdn</a>, "
               '<a href="https://e.org/">e</a> and <a title="/x">t</a>.', "/sub/")
    assert out == (
        '<figure><img src="/sub/img/map.png" alt="Map"></figure>\n'
        "<p>See <a href='/sub/about/'>us</a>, <a href=\"//cdn.example/x\">cdn</a>, "
        '<a href="https://e.org/">e</a> and <a title="/x">t</a>.</p>\n')


def test_root_relative_links_are_unchanged_at_the_domain_root() -> None:
    assert html("[a](/x/)") == '<p><a href="/x/">a</a></p>\n'


# --- line endings and NUL -----------------------------------------------------------------------

def _with_stock_normalize() -> MarkdownIt:
    """The same parser with markdown-it's own normalize rule put back."""
    md = create_markdown()
    md.core.ruler.at("normalize", normalize)
    return md


@pytest.mark.parametrize("source", [
    "# Title\r\n\r\nOne\r\ntwo\rthree\n\n- a\r- b\r\n",
    "NUL \0 inside `co\0de` and [li\0nk](/x\0y)\r\n\r\n```\r\nx\0\r\n```\r\n",
    "\r\r\n\n\r",
    "# Plain\n\nA paragraph with [a link](/x) and *emphasis*.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "",
])
def test_line_endings_and_nul_render_as_markdown_its_own_normalize_makes_them(
        source: str) -> None:
    stock = _with_stock_normalize()
    for base_path in ("/", "/sub/"):
        ours = render_markdown(MD, source, base_path)
        theirs = render_markdown(stock, source, base_path)
        assert ours == theirs
    assert "\r" not in html(source) and "\0" not in html(source)


# --- summaries ----------------------------------------------------------------------------------

def test_first_paragraph_is_plain_text_with_line_breaks_as_spaces() -> None:
    rendered = render_markdown(MD, "# Title\n\nFirst *para* with `code` and [a link](https://e.org)\n"
                          "on two lines.\n\nSecond para.\n")
    assert rendered.first_paragraph == "First para with code and a link on two lines."


def test_first_paragraph_skips_blockquotes_and_lists() -> None:
    assert render_markdown(MD, "> quoted\n\n- item\n\nReal para.\n").first_paragraph == "Real para."


def test_long_first_paragraph_is_cut_at_a_word_with_an_ellipsis() -> None:
    summary = render_markdown(MD, "word " * 100).first_paragraph
    assert len(summary) <= SUMMARY_CHARS + 1
    assert summary.endswith("word…")
    assert summary == ("word " * 48).strip() + "…"


def test_body_without_paragraphs_has_an_empty_summary() -> None:
    assert render_markdown(MD, "## Only a heading\n").first_paragraph == ""
