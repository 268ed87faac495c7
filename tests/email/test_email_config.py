"""The 'email:' block of briefgen.yaml: its keys validated and errors reported at line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.config import Config, load_config
from briefgen.diagnostics import Diagnostics

MINIMAL = "title: Test Desk\nbase_url: https://example.org/\n"


def load(tmp_path: Path, text: str) -> tuple[Config | None, list[str]]:
    (tmp_path / "briefgen.yaml").write_text(MINIMAL + text, encoding="utf-8")
    diags = Diagnostics()
    config = load_config(tmp_path, diags)
    return config, [d.format() for d in diags]


def test_email_keys_are_read(tmp_path: Path) -> None:
    config, diags = load(tmp_path, (
        "email:\n"
        "  from: The Desk <desk@example.org>\n"
        "  reply_to: editors@example.org\n"
        "  unsubscribe: https://example.org/unsubscribe\n"
        "  footer: You get this because you asked for it.\n"
        "  digest_title: The Desk Daily\n"))
    assert diags == []
    assert config is not None
    assert (config.email_from, config.email_reply_to, config.email_unsubscribe,
            config.email_footer, config.email_digest_title) == (
        "The Desk <desk@example.org>", "editors@example.org",
        "https://example.org/unsubscribe", "You get this because you asked for it.",
        "The Desk Daily")


def test_email_keys_default_to_empty(tmp_path: Path) -> None:
    config, diags = load(tmp_path, "")
    assert diags == [] and config is not None
    assert (config.email_from, config.email_unsubscribe) == ("", "")


@pytest.mark.parametrize(("text", "message"), [
    ("email:\n  from: nobody\n",
     "briefgen.yaml:4:9: error: 'from' must be an address like"),
    ("email:\n  reply_to: a@b.c\n  from: Desk <not an address>\n",
     "briefgen.yaml:5:9: error: 'from' must be an address like"),
    ("email:\n  unsubscribe: http://example.org/u\n",
     "briefgen.yaml:4:16: error: 'unsubscribe' must use mailto, https"),
    ("email:\n  unsubscribe: /unsubscribe\n",
     "briefgen.yaml:4:16: error: 'unsubscribe' must be an absolute URL"),
    ("email:\n  footer: [a]\n",
     "briefgen.yaml:4:11: error: 'footer' must be text, got a list"),
    ("email:\n  frm: desk@example.org\n",
     "briefgen.yaml:4:3: error: unknown key 'frm' in email (did you mean 'from'?)"),
    ("email: desk@example.org\n",
     "briefgen.yaml:3:8: error: 'email' must be a mapping of keys to values"),
])
def test_bad_email_values_are_errors_at_their_place(tmp_path: Path, text: str,
                                                     message: str) -> None:
    config, diags = load(tmp_path, text)
    assert config is None
    assert len(diags) == 1, diags
    assert diags[0].startswith(message), diags


def test_a_line_break_cannot_get_into_an_address(tmp_path: Path) -> None:
    config, diags = load(tmp_path, 'email:\n  from: "a@b.c\\nBcc: x@y.z"\n')
    assert config is None
    assert diags[0].startswith("briefgen.yaml:4:9: error: 'from' must be an address")
