"""The email edition (issue 15): `headers.py` builds an email's headers safely.

Still to come: the message (text and HTML parts), selection and the `briefgen email` command.
"""
