"""Text that goes into an email header (a subject) on one line."""

from __future__ import annotations


def one_line(text: object) -> str:
    """`text` with every run of whitespace, line breaks included, made one space, and the ends trimmed.

    A subject is built from names people typed (a venue's, a service's, a staff member's) and those forms keep a
    line break typed or pasted into a name; Django refuses a header holding one (BadHeaderError), so every email
    carrying such a name failed to send. Every subject goes through here.
    """
    return " ".join(str(text).split())
