"""Text normalisation shared by the treatment and place matchers. No database."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
# Letters that NFKD does not split into an ASCII letter plus an accent.
_SPECIAL = str.maketrans({"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "þ": "th", "ı": "i", "ð": "d"})


def fold(text: str) -> str:
    """Lower case, accents removed, anything but letters and digits turned into single spaces.

    'Épilation  à la cire' -> 'epilation a la cire'; 'needle-free' -> 'needle free'.
    Letters outside the Latin script vanish (they have no ASCII form).
    """
    lowered = text.casefold()
    if not lowered.isascii():
        lowered = unicodedata.normalize("NFKD", lowered.translate(_SPECIAL)).encode("ascii", "ignore").decode()
    return _NON_WORD.sub(" ", lowered).strip()


def squash(text: str) -> str:
    """fold() without the spaces: 'meso therapy' and 'mesotherapy' meet here."""
    return fold(text).replace(" ", "")
