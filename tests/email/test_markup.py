"""The body HTML made fit for an inbox: absolute links, nothing that runs, alt on images."""

from __future__ import annotations

from briefgen.email.markup import absolute, email_body

PAGE = "https://example.org/desk/briefings/2026/03/x/"


def test_relative_links_and_fragments_resolve_against_the_page() -> None:
    html = email_body('<p><a href="/desk/about/">a</a> <a href="#source.1">1</a> '
                      '<img src="pic.png" alt="A pic"></p>', PAGE)
    assert html == ('<p><a href="https://example.org/desk/about/">a</a> '
                    f'<a href="{PAGE}#source.1">1</a> '
                    f'<img src="{PAGE}pic.png" alt="A pic"></p>')


def test_what_a_client_would_run_or_submit_is_dropped() -> None:
    html = email_body('<p onclick="x()">Hi <a href="javascript:alert(1)">j</a></p>'
                      '<script>alert(2)</script><form><input name="q"></form>'
                      '<iframe src="https://evil.example/"></iframe><style>p{}</style>', PAGE)
    assert html == "<p>Hi <a>j</a></p>"


def test_an_image_without_alt_gets_an_empty_one_and_text_stays_escaped() -> None:
    assert email_body('1 &lt; 2 <img src="https://cdn.example.org/x.png">', PAGE) == (
        '1 &lt; 2 <img src="https://cdn.example.org/x.png" alt="">')


def test_only_http_https_and_mailto_links_are_kept() -> None:
    assert absolute("mailto:desk@example.org", PAGE) == "mailto:desk@example.org"
    assert absolute(" data:text/html,x", PAGE) == ""
    assert absolute("file:///etc/passwd", PAGE) == ""
    assert absolute("//cdn.example.org/x.png", PAGE) == "https://cdn.example.org/x.png"
