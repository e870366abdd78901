"""Understanding "what": free text to a catalogue treatment, with typo tolerance.

The catalogue is small (about a hundred treatments, a thousand names), so it
is held in memory: every name, synonym, condition and category name, folded
(lower case, no accents, no punctuation). A query is matched in three steps:

1. the whole query, folded or without spaces ("meso therapy"), is a known
   term: an exact match;
2. a run of its words is a known term ("cheap botox", "mesotherapy for
   cellulite"), scored by how much of the query it covers;
3. rapidfuzz's ratio between each run of words and each term catches typos
   ("mesotherepy", "brazillian wax").

Names and synonyms beat conditions, which beat categories; among equals the
term listed first for a treatment wins (a treatment lists its main concern
first). A variant (needle-free, full leg, hollywood) named in the query is
reported so the ranking can prefer venues offering it.

The index is built once per process and rebuilt when the catalogue changes
(checked at most every CHECK_SECONDS; on every call under tests).
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from pamper.catalog.models import Treatment

from .text import fold, squash

CHECK_SECONDS = 0.0 if os.environ.get("PAMPER_TESTING") == "1" else 30.0
CONFIDENT = 80.0  # at least this: understood
CLOSE = 70.0  # other treatments at least this close are offered as alternatives
SUGGEST = 45.0  # when nothing is understood, these are offered as "did you mean"
KIND_RANK = {"name": 0, "synonym": 1, "condition": 2, "category": 3}
# Everyday words for variants, beyond the variant's own name.
VARIANT_ALIASES = {
    "needle-free": ("needle free", "needlefree", "no needle", "no needles", "without needles", "needleless", "eporex"),
}
MAX_WORDS = 8


@dataclass(frozen=True)
class TreatmentRef:
    id: int
    slug: str
    name: str
    category: str
    variants: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    """Why a treatment matched: the term, its kind, where it sits in the treatment's list, the score."""

    treatment: TreatmentRef
    score: float
    kind: str
    label: str
    position: int

    @property
    def order(self) -> tuple:
        return (-round(self.score, 6), KIND_RANK[self.kind], self.position, self.treatment.name)


@dataclass(frozen=True)
class Understanding:
    query: str
    treatment: TreatmentRef | None = None
    kind: str | None = None
    term: str | None = None
    exact: bool = False
    variant: str | None = None
    alternatives: tuple[TreatmentRef, ...] = ()
    condition_count: int = 0
    suggestions: tuple[TreatmentRef, ...] = field(default=())
    near_misses: bool = False  # the suggestions resemble the text (else a few popular treatments)

    @property
    def understood_as(self) -> str | None:
        """'Showing Mesotherapy for "mesotherepy"' and its kin; None when nothing matched."""
        if self.treatment is None:
            return None
        name = self.treatment.name + (f" ({self.variant} preferred)" if self.variant else "")
        if self.kind == "condition" and self.condition_count > 1:
            return f"Showing {name}, one of {self.condition_count} treatments for '{self.query.strip()}'"
        if self.exact and self.kind == "name" and not self.variant:
            return f"Showing {name}"
        return f"Showing {name} for '{self.query.strip()}'"


@dataclass(frozen=True)
class Term:
    folded: str
    label: str
    kind: str
    treatment_id: int
    position: int


class Catalogue:
    """The in-memory matcher over one version of the catalogue."""

    def __init__(self, treatments: list[TreatmentRef], terms: list[Term]) -> None:
        self.treatments = {t.id: t for t in treatments}
        self.exact: dict[str, list[Term]] = {}
        for term in terms:
            self.exact.setdefault(term.folded, []).append(term)
            self.exact.setdefault(term.folded.replace(" ", ""), []).append(term)
        self.choices = sorted({t.folded for t in terms})
        self.variant_phrases = self._variant_phrases(treatments)
        self._memo: dict[tuple[str, str], object] = {}

    @staticmethod
    def _variant_phrases(treatments: list[TreatmentRef]) -> dict[str, str]:
        phrases: dict[str, str] = {}
        for treatment in treatments:
            for variant in treatment.variants:
                phrases[fold(variant)] = variant
                for alias in VARIANT_ALIASES.get(variant, ()):
                    phrases[fold(alias)] = variant
        return phrases

    # -- scoring -------------------------------------------------------------

    def _hits_for(self, folded: str, cutoff: float = CLOSE) -> list[Hit]:
        """Every treatment the folded query could mean, best first."""
        words = folded.split()[:MAX_WORDS]
        best: dict[int, Hit] = {}
        whole = " ".join(words)
        for n in range(len(words), 0, -1):
            for i in range(len(words) - n + 1):
                gram = " ".join(words[i : i + n])
                cover = 0.85 + 0.15 * len(gram) / len(whole)
                for term in self.exact.get(gram, []) + self.exact.get(gram.replace(" ", ""), []):
                    self._keep(best, term, 100.0 * cover)
                if len(gram) >= 4:
                    self._fuzzy(best, gram, cover, cutoff)
        return sorted(best.values(), key=lambda h: h.order)

    def _fuzzy(self, best: dict[int, Hit], gram: str, cover: float, cutoff: float) -> None:
        for choice, score, _ in process.extract(gram, self.choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=8):
            if len(choice) < 4 and score < 100:
                continue  # 'tan' vs 'tanning': too short to trust a near miss
            for term in self.exact.get(choice, []):
                self._keep(best, term, score * cover)

    def _keep(self, best: dict[int, Hit], term: Term, score: float) -> None:
        hit = Hit(self.treatments[term.treatment_id], score, term.kind, term.label, term.position)
        if term.treatment_id not in best or hit.order < best[term.treatment_id].order:
            best[term.treatment_id] = hit

    def _variant_in(self, folded: str, treatment: TreatmentRef) -> str | None:
        padded = f" {folded} "
        name = f" {fold(treatment.name)} "
        for phrase, variant in self.variant_phrases.items():
            if variant in treatment.variants and f" {phrase} " in padded and f" {phrase} " not in name:
                return variant
        return None

    # -- public --------------------------------------------------------------

    def understand(self, query: str) -> Understanding:
        """What the query means: the best treatment, the others close to it, or suggestions."""
        key = ("u", query)
        if key not in self._memo:
            self._memo[key] = self._understand(query)
            if len(self._memo) > 4096:
                self._memo.clear()
        return self._memo[key]  # type: ignore[return-value]

    def _understand(self, query: str) -> Understanding:
        folded = fold(query)
        if not folded:
            return Understanding(query=query)
        hits = self._hits_for(folded)
        if not hits or hits[0].score < CONFIDENT:
            near = tuple(h.treatment for h in self._hits_for(folded, SUGGEST)[:6])
            return Understanding(query=query, suggestions=near or self._popular(), near_misses=bool(near))
        top = hits[0]
        same_condition = [h for h in hits if h.kind == "condition" and fold(h.label) == fold(top.label)]
        close = [h.treatment for h in hits[1:] if h.score >= max(CLOSE, top.score - 15)][:6]
        return Understanding(
            query=query,
            treatment=top.treatment,
            kind=top.kind,
            term=top.label,
            exact=top.score >= 100.0 and squash(top.label) == squash(query),
            variant=self._variant_in(folded, top.treatment),
            alternatives=tuple(close),
            condition_count=len(same_condition) if top.kind == "condition" else 0,
        )

    def _popular(self) -> tuple[TreatmentRef, ...]:
        """One treatment per category, for text that resembles nothing."""
        first: dict[str, TreatmentRef] = {}
        for treatment in sorted(self.treatments.values(), key=lambda t: t.name):
            first.setdefault(treatment.category, treatment)
        return tuple(first.values())[:8]

    def suggest(self, query: str, limit: int = 8) -> list[Hit]:
        """Autocomplete: treatments whose names or synonyms start with the text, then close matches."""
        folded = fold(query)
        if not folded:
            return []
        best: dict[int, Hit] = {}
        for text, terms in self.exact.items():
            if f" {folded}" not in f" {text}":
                continue  # neither the term nor one of its words starts with the text
            for term in terms:
                if term.kind in ("name", "synonym"):
                    self._keep(best, term, 100.0 - 0.1 * (len(text) - len(folded)))
        for hit in self._hits_for(folded):
            best.setdefault(hit.treatment.id, hit)
        return sorted(best.values(), key=lambda h: h.order)[:limit]


# ---------------------------------------------------------------------------
# Building and caching


CatalogueRow = tuple[int, str, str, list, list, list, str, str]


def build_catalogue(rows: list[CatalogueRow]) -> Catalogue:
    """The matcher over (id, slug, name, synonyms, conditions, variants, category slug, category name) rows."""
    treatments, terms = [], []
    for tid, slug, name, synonyms, conditions, variants, _cat_slug, cat_name in rows:
        treatments.append(TreatmentRef(tid, slug, name, cat_name, tuple(variants or ())))
        terms.append(Term(fold(name), name, "name", tid, 0))
        terms += [Term(fold(s), s, "synonym", tid, i) for i, s in enumerate(synonyms or ()) if fold(s)]
        terms += [Term(fold(c), c, "condition", tid, i) for i, c in enumerate(conditions or ()) if fold(c)]
        terms.append(Term(fold(cat_name), cat_name, "category", tid, 0))
    return Catalogue(treatments, terms)


def _catalogue_rows() -> list[CatalogueRow]:
    return list(
        Treatment.objects.order_by("id").values_list(
            "id", "slug", "name", "synonyms", "conditions", "variants", "category__slug", "category__name"
        )
    )


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.catalogue: Catalogue | None = None
        self.digest = ""
        self.checked = 0.0

    def get(self) -> Catalogue:
        now = time.monotonic()
        if self.catalogue is not None and now - self.checked < CHECK_SECONDS:
            return self.catalogue
        with self.lock:
            rows = _catalogue_rows()
            digest = hashlib.sha1(repr(rows).encode(), usedforsecurity=False).hexdigest()
            if self.catalogue is None or digest != self.digest:
                self.catalogue, self.digest = build_catalogue(rows), digest
            self.checked = now
            return self.catalogue

    def reset(self) -> None:
        with self.lock:
            self.catalogue, self.digest, self.checked = None, "", 0.0


_cache = _Cache()


def catalogue() -> Catalogue:
    """The matcher for the current catalogue (built once per process, refreshed on change)."""
    return _cache.get()


def understand(query: str) -> Understanding:
    return catalogue().understand(query)


def suggest_treatments(query: str, limit: int = 8) -> list[Hit]:
    """Autocomplete hits for the treatments endpoint: each has .treatment, .label, .kind, .score."""
    return catalogue().suggest(query, limit)


def ranked_treatment_ids(query: str) -> list[int]:
    """Ids of every treatment the text may mean (prefixes, synonyms, concerns, typos), best first."""
    found = catalogue()
    return [hit.treatment.id for hit in found.suggest(query, limit=len(found.treatments))]


def reset() -> None:
    """Forget the built index (tests; after loading a new catalogue in the same process)."""
    _cache.reset()
