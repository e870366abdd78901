"""One box: "botox london", "épilation laser près de Lyon", "Maniküre in Berlin" split into what and where.

Pure and fast (it runs on every search typed in one box): no database, only the in-memory matcher and
place index. The text is folded (no case, no accents) into tokens and read in this order:

1. a phrase meaning "near me" at the end ("near me", "près de chez moi", "in meiner Nähe") is taken off:
   the page then asks the browser where the visitor is;
2. the whole text is a known treatment or group word ("hot stone massage"): it is all "what";
3. a connector ("in", "near", "près de", "à", "in der Nähe von", "bei", "cerca de", "en", "vicino a",
   "bij", "in de buurt van", "perto de", "em" ...) followed by a place: split there, the rightmost first;
4. without a connector, the last (or first) one to three words that are exactly a town or a postcode,
   when the rest is understood as a treatment ("botox london", "nails SW1A 1AA", "london botox");
5. text that names a place and no treatment ("Leeds") is all "where".

Weak connectors (one or two letters: "a", "en", "in") need the exact name of a place after them; strong
ones ("near", "près de") also accept a corrected near miss ("near Lodnon").
"""

from __future__ import annotations

from dataclasses import dataclass

from .places import PlaceIndex
from .text import fold
from .understand import Catalogue

STRONG = ("in der nahe von", "in der naehe von", "in de buurt van", "in the area of", "close to", "pres de",
          "proche de", "autour de", "aux alentours de", "cerca de", "alrededor de", "vicino a", "nei pressi di",
          "perto de", "nearby", "near", "around", "nahe", "naehe", "rund um", "nabij", "vlakbij", "dichtbij",
          "omgeving")
WEAK = ("in", "at", "a", "au", "aux", "en", "em", "no", "na", "bei", "bij", "um", "te", "dans", "sur", "zona",
        "in zona", "a la", "da")
NEAR_ME = ("near me", "nearby", "close to me", "around me", "near my location", "pres de chez moi", "pres de moi",
           "autour de moi", "a proximite", "in meiner nahe", "in meiner naehe", "in der nahe", "hier in der nahe",
           "cerca de mi", "cerca de aqui", "cerca", "vicino a me", "qui vicino", "vicino", "in de buurt",
           "bij mij in de buurt", "bij mij", "perto de mim", "aqui perto", "perto")
CONNECTORS = sorted(((tuple(c.split()), c in STRONG) for c in {*STRONG, *WEAK}), key=lambda c: -len(c[0]))
MIN_POPULATION = 1000  # without a connector, a place name must be a town of at least this size (or a postcode)
MAX_PLACE_WORDS = 4


@dataclass(frozen=True)
class OneBox:
    what: str  # the treatment words ("" when the text only names a place)
    where: str | None  # the place words as typed, or None when the text names no place
    near_me: bool = False  # the text ends in "near me" (or its kin): ask the browser

    @property
    def split(self) -> bool:
        return self.where is not None or self.near_me


@dataclass(frozen=True)
class _Token:
    text: str  # folded
    word: int  # index of the typed word it comes from


def _tokens(words: list[str]) -> list[_Token]:
    return [_Token(part, i) for i, word in enumerate(words) for part in fold(word).split()]


def _typed(words: list[str], tokens: list[_Token], start: int, end: int) -> str:
    """The typed words behind tokens[start:end]."""
    if start >= end:
        return ""
    return " ".join(words[tokens[start].word : tokens[end - 1].word + 1]).strip(" ,")


class Splitter:
    def __init__(self, catalogue: Catalogue, places: PlaceIndex, language: str = "en",
                 prefer: str | None = None) -> None:
        self.catalogue, self.places, self.language, self.prefer = catalogue, places, language, prefer

    def _understood(self, text: str) -> bool:
        return bool(text) and self.catalogue.understand(text, self.language).found

    def _is_term(self, folded: str) -> bool:
        return folded in self.catalogue.exact or folded in self.catalogue.group_exact

    def _place(self, text: str, *, corrected_ok: bool, big_only: bool) -> bool:
        words = text.split()
        if not text or len(words) > MAX_PLACE_WORDS + 1:
            return False
        answer = self.places.resolve(text, None, self.prefer, fuzzy=corrected_ok)
        if answer.place is None or (answer.corrected and not corrected_ok):
            return False
        if big_only and not answer.from_coordinates:
            return answer.place.population >= MIN_POPULATION or any(ch.isdigit() for ch in text)
        return True

    def split(self, text: str) -> OneBox:
        words = text.split()
        tokens = _tokens(words)
        folded = " ".join(t.text for t in tokens)
        if not tokens:
            return OneBox(text.strip(), None)
        for phrase in NEAR_ME:
            if folded == phrase or folded.endswith(f" {phrase}"):
                n = len(phrase.split())
                what = _typed(words, tokens, 0, len(tokens) - n)
                return OneBox(self.split(what).what if what else "", None, near_me=True)
        if self._is_term(folded):
            return OneBox(text.strip(), None)
        return self._by_connector(words, tokens) or self._by_position(words, tokens) or self._alone(text)

    def _by_connector(self, words: list[str], tokens: list[_Token]) -> OneBox | None:
        texts = [t.text for t in tokens]
        for i in range(len(tokens) - 1, -1, -1):
            for connector, strong in CONNECTORS:
                n = len(connector)
                if tuple(texts[i : i + n]) != connector or i + n >= len(tokens):
                    continue
                where = _typed(words, tokens, i + n, len(tokens))
                if self._place(where, corrected_ok=strong, big_only=False):
                    # 'vicino a Roma': the connector is the longest one ending before the place, not 'a'
                    start = min((j for j in range(i) for c, _ in CONNECTORS if tuple(texts[j : i + n]) == c),
                                default=i)
                    return OneBox(_typed(words, tokens, 0, start), where)
                break  # the longest connector here did not lead to a place; look further left
        return None

    def _by_position(self, words: list[str], tokens: list[_Token]) -> OneBox | None:
        for k in range(min(MAX_PLACE_WORDS, len(tokens) - 1), 0, -1):
            where = _typed(words, tokens, len(tokens) - k, len(tokens))
            what = _typed(words, tokens, 0, len(tokens) - k)
            if self._understood(what) and self._place(where, corrected_ok=False, big_only=True):
                return OneBox(what, where)
        for k in range(min(MAX_PLACE_WORDS, len(tokens) - 1), 0, -1):
            where = _typed(words, tokens, 0, k)
            what = _typed(words, tokens, k, len(tokens))
            if self._understood(what) and self._place(where, corrected_ok=False, big_only=True):
                return OneBox(what, where)
        return None

    def _alone(self, text: str) -> OneBox:
        """All 'what', unless it names no treatment and is a place."""
        if not self._understood(text) and self._place(text, corrected_ok=False, big_only=False):
            return OneBox("", text.strip())
        return OneBox(text.strip(), None)


def split(text: str, catalogue: Catalogue, places: PlaceIndex, language: str = "en",
          prefer: str | None = None) -> OneBox:
    """What and where in one box of text (see the module docstring)."""
    return Splitter(catalogue, places, language, prefer).split(text)
