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

Sending (`briefgen send`), layered so that each module uses only those listed before it:

- `recipients.py`: the subscriber CSV read row by row, bad rows and repeats reported at path:line;
- `smtpurl.py`: the `--smtp` URL (STARTTLS required off loopback), login from the environment;
- `ledger.py`: the send ledger beside the CSV (fsynced per step, locked, resumable) and the
  refusal of lists and ledgers in folders that get published;
- `transport.py`: one SMTP session (smtplib), every failure sorted into retry, skip or stop;
- `send.py`: `send_all`, one message per reader with a safe To, paced, retried and reported;
- `sendcommand.py`: the `briefgen send` command: compose per language, send, report, exit code.
"""
