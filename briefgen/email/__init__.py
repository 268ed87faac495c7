"""The email edition (issue 15): briefings and digests as messages ready to send.

- `select.py`: which briefings an email carries (named, the newest, a day's or week's digest) and
  in which language;
- `compose.py`: the public entry, `compose(root, Selection(...))`: runs the engine up to the site
  model and makes one message per briefing or digest;
- `render.py`: an email's subject, date and both parts, from the theme's `email/` templates, the
  HTML part's CSS inlined with css-inline;
- `markup.py`: a body's HTML made fit for an inbox (absolute links, nothing that runs);
- `plaintext.py`: the text part's body from the Markdown tokens, 72 columns, numbered references;
- `headers.py`: the headers, built safely with the stdlib `email` package;
- `command.py`: the `briefgen email` command and the `.eml` files.
"""
