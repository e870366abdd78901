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

The index is built once per process and rebuilt when the catalogue changes: a treatment or category saved or
deleted in this process marks it stale at once (search's AppConfig connects `stale`), and changes made elsewhere
are found by comparing the catalogue's rows at most every CHECK_SECONDS. Under tests the rows are compared on the
first call of each test (the root conftest marks the index stale: a rolled-back test may have changed them).
"""

from __future__ import annotations

import bisect
import hashlib
import os
import threading
import time
from typing import Any

from rapidfuzz import fuzz, process

from pamper.catalog.models import Treatment
from pamper.catalog.vocabulary import Vocabulary, vocabulary

from .meaning import KIND_RANK, GroupRef, Hit, Term, TreatmentRef, Understanding, language_now
from .text import fold, squash

__all__ = ["KIND_RANK", "GroupRef", "Hit", "Term", "TreatmentRef", "Understanding"]

CHECK_SECONDS = float("inf") if os.environ.get("PAMPER_TESTING") == "1" else 30.0
CONFIDENT = 80.0  # at least this: understood
CLOSE = 70.0  # other treatments at least this close are offered as alternatives
SUGGEST = 45.0  # when nothing is understood, these are offered as "did you mean"
OTHER_LANGUAGE = 0.5  # a word from another language than the visitor's loses ties ('gel': polish in English)
# Everyday words for variants, beyond the variant's own name.
VARIANT_ALIASES = {
    "needle-free": ("needle free", "needlefree", "no needle", "no needles", "without needles", "needleless", "eporex"),
}
MAX_WORDS = 8
GROUP_FUZZY = 88.0  # a group word misspelt ('massages', 'epilaton') still names the group


class Catalogue:
    """The in-memory matcher over one version of the catalogue."""

    def __init__(self, treatments: list[TreatmentRef], terms: list[Term], groups: tuple[GroupRef, ...] = (),
                 group_terms: tuple[Term, ...] = ()) -> None:
        self.treatments = {t.id: t for t in treatments}
        self.exact: dict[str, list[Term]] = {}
        for term in terms:
            self.exact.setdefault(term.folded, []).append(term)
            self.exact.setdefault(term.folded.replace(" ", ""), []).append(term)
        self.choices = sorted({t.folded for t in terms})
        # (the term from one of its words on, the term): autocomplete finds 'fillers' in 'lip fillers'
        self.word_starts = sorted({(text[i:], text) for text in self.exact for i in range(len(text))
                                   if i == 0 or text[i - 1] == " "})
        self.groups = groups
        self.group_exact: dict[str, list[Term]] = {}
        for term in group_terms:
            self.group_exact.setdefault(term.folded, []).append(term)
        self.group_choices = sorted(self.group_exact)
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

    def _hits_for(self, folded: str, cutoff: float = CLOSE, language: str = "en") -> list[Hit]:
        """Every treatment the folded query could mean, best first."""
        best: dict[int, Hit] = {}
        for gram, cover in _grams(folded):
            for term in self.exact.get(gram, []) + self.exact.get(gram.replace(" ", ""), []):
                self._keep(best, term, 100.0 * cover, language)
            if len(gram) >= 4:
                self._fuzzy(best, gram, cover, cutoff, language)
        return sorted(best.values(), key=lambda h: h.order)

    def _fuzzy(self, best: dict[int, Hit], gram: str, cover: float, cutoff: float, language: str) -> None:
        for choice, score, _ in process.extract(gram, self.choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=8):
            if len(choice) < 4 and score < 100:
                continue  # 'tan' vs 'tanning': too short to trust a near miss
            for term in self.exact.get(choice, []):
                self._keep(best, term, score * cover, language)

    def _keep(self, best: dict[int, Hit], term: Term, score: float, language: str = "en") -> None:
        if term.language and term.language != language:
            score -= OTHER_LANGUAGE
        hit = Hit(self.treatments[term.treatment_id], score, term.kind, term.label, term.position)
        if term.treatment_id not in best or hit.order < best[term.treatment_id].order:
            best[term.treatment_id] = hit

    def _group_for(self, folded: str, language: str) -> tuple[GroupRef, float, str] | None:
        """The group a run of the query's words names (exactly, or a near miss of a long word), with its score."""
        found: tuple[float, int, str] | None = None
        for gram, cover in _grams(folded):
            candidates = [(100.0, t) for t in self.group_exact.get(gram, [])]
            if len(gram) >= 5 and not candidates:
                for choice, score, _ in process.extract(gram, self.group_choices, scorer=fuzz.ratio,
                                                        score_cutoff=GROUP_FUZZY, limit=3):
                    candidates += [(score, t) for t in self.group_exact[choice] if len(choice) >= 5]
            for score, term in candidates:
                score = score * cover - (OTHER_LANGUAGE if term.language and term.language != language else 0.0)
                if found is None or score > found[0]:
                    found = (score, term.treatment_id, term.label)
        if found is None:
            return None
        return self.groups[found[1]], found[0], found[2]

    def _variant_in(self, folded: str, treatment: TreatmentRef) -> str | None:
        padded = f" {folded} "
        name = f" {fold(treatment.english_name)} {fold(treatment.name)} "
        for phrase, variant in self.variant_phrases.items():
            if variant in treatment.variants and f" {phrase} " in padded and f" {phrase} " not in name:
                return variant
        return None

    # -- public --------------------------------------------------------------

    def understand(self, query: str, language: str | None = None) -> Understanding:
        """What the query means: the best treatment or group, the others close to it, or suggestions.

        `language` (two letters; the active language when None) breaks ties between words that mean
        different things in different languages.
        """
        language = (language or language_now())[:2]
        key = (language, query)
        if key not in self._memo:
            self._memo[key] = self._understand(query, language)
            if len(self._memo) > 4096:
                self._memo.clear()
        return self._memo[key]  # type: ignore[return-value]

    def _understand(self, query: str, language: str) -> Understanding:
        folded = fold(query)
        if not folded:
            return Understanding(query=query)
        hits = self._hits_for(folded, language=language)
        group = self._group_for(folded, language)
        if group is not None and group[1] >= CONFIDENT and (not hits or group[1] >= hits[0].score):
            return Understanding(query=query, kind="group", term=group[2], group=group[0],
                                 exact=group[1] >= 100.0 - OTHER_LANGUAGE)
        if not hits or hits[0].score < CONFIDENT:
            near = tuple(h.treatment for h in self._hits_for(folded, SUGGEST, language)[:6])
            return Understanding(query=query, suggestions=near or self._popular(), near_misses=bool(near))
        top = hits[0]
        same_condition = [h for h in hits if h.kind == "condition" and fold(h.label) == fold(top.label)]
        close = [h.treatment for h in hits[1:] if h.score >= max(CLOSE, top.score - 15)][:6]
        return Understanding(
            query=query,
            treatment=top.treatment,
            kind=top.kind,
            term=top.label,
            exact=top.score >= 100.0 - OTHER_LANGUAGE and squash(top.label) == squash(query),
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

    def suggest(self, query: str, limit: int = 8, language: str | None = None) -> list[Hit]:
        """Autocomplete: treatments whose names or synonyms start with the text, then close matches."""
        folded = fold(query)
        if not folded:
            return []
        language = (language or language_now())[:2]
        best: dict[int, Hit] = {}
        # The term or one of its words starts with the text: a bisect into every word-start of every term.
        for j in range(bisect.bisect_left(self.word_starts, (folded, "")), len(self.word_starts)):
            start, text = self.word_starts[j]
            if not start.startswith(folded):
                break
            for term in self.exact[text]:
                if term.kind in ("name", "synonym"):
                    self._keep(best, term, 100.0 - 0.1 * (len(text) - len(folded)), language)
        for hit in self._hits_for(folded, language=language):
            best.setdefault(hit.treatment.id, hit)
        return sorted(best.values(), key=lambda h: h.order)[:limit]

    def suggest_groups(self, query: str, limit: int = 3, language: str | None = None) -> list[tuple[GroupRef, str]]:
        """Groups with a word in the visitor's language (or English) starting with the text: (group, word)."""
        folded = fold(query)
        language = (language or language_now())[:2]
        if len(folded) < 2:
            return []
        found: dict[str, tuple[int, GroupRef, str]] = {}
        for text in self.group_choices[bisect.bisect_left(self.group_choices, folded):]:
            if not text.startswith(folded):
                break
            for term in self.group_exact[text]:
                if term.language in (language, "en", ""):
                    group = self.groups[term.treatment_id]
                    rank = (term.language != language) * 100 + len(text)
                    if group.slug not in found or rank < found[group.slug][0]:
                        found[group.slug] = (rank, group, term.label)
        return [(g, w) for _, g, w in sorted(found.values(), key=lambda x: x[0])][:limit]


def _grams(folded: str) -> list[tuple[str, float]]:
    """Every run of the query's words (longest first) with how much of the query it covers (0.85-1.0)."""
    words = folded.split()[:MAX_WORDS]
    whole = " ".join(words)
    out = []
    for n in range(len(words), 0, -1):
        for i in range(len(words) - n + 1):
            gram = " ".join(words[i : i + n])
            out.append((gram, 0.85 + 0.15 * len(gram) / len(whole)))
    return out


# ---------------------------------------------------------------------------
# Building and caching


# (id, slug, name, synonyms, conditions, variants, category slug, category name[, translations,
# category translations]): the English columns, then optionally the other languages.
CatalogueRow = tuple[Any, ...]


def build_catalogue(rows: list[CatalogueRow], words: Vocabulary | None = None) -> Catalogue:
    """The matcher over (id, slug, name, synonyms, conditions, variants, category slug, category name) rows.

    `words` (the shipped vocabulary when None) adds each language's words for the treatments and the
    groups; slugs the rows do not have are skipped, so a test's small catalogue works too.
    """
    words = vocabulary() if words is None else words
    treatments, terms, by_slug, by_category = [], [], {}, {}
    for tid, slug, name, synonyms, conditions, variants, cat_slug, cat_name, *more in rows:
        translations: dict[str, dict[str, Any]] = more[0] if more else {}
        cat_translations: dict[str, dict[str, Any]] = more[1] if len(more) > 1 else {}
        names = tuple(sorted((lang, t["name"]) for lang, t in (translations or {}).items() if t.get("name")))
        ref = TreatmentRef(tid, slug, name, cat_name, tuple(variants or ()), names)
        treatments.append(ref)
        terms += _translated_terms(tid, translations or {}, cat_translations or {})
        by_slug[slug] = ref
        by_category.setdefault(cat_slug, []).append(ref)
        terms.append(Term(fold(name), name, "name", tid, 0))
        terms += [Term(fold(s), s, "synonym", tid, i) for i, s in enumerate(synonyms or ()) if fold(s)]
        extra = words.treatment_words.get(slug, ())
        terms += [Term(fold(w), w, "synonym", tid, len(synonyms or ()) + i, language)
                  for i, (language, w) in enumerate(extra) if fold(w)]
        for i, concern in enumerate(conditions or ()):
            terms += [Term(fold(concern), concern, "condition", tid, i)] if fold(concern) else []
            terms += [Term(fold(w), w, "condition", tid, i, language)
                      for language, w in words.condition_words.get(concern.casefold(), ()) if fold(w)]
        terms.append(Term(fold(cat_name), cat_name, "category", tid, 0))
    groups, group_terms = [], []
    for group in words.groups:
        members = by_category.get(group.category or "", []) if group.category else [
            by_slug[s] for s in group.treatments if s in by_slug]
        if len(members) < 2:
            continue  # a group of one is that treatment: its words would only hide it
        index = len(groups)
        groups.append(GroupRef(group.slug, tuple(sorted(group.names.items())), tuple(members)))
        named = [*words.group_words.get(group.slug, ()), *sorted(group.names.items())]  # its names are words too
        group_terms += [Term(fold(w), w, "group", index, i, language) for i, (language, w) in enumerate(named)
                        if fold(w)]
    return Catalogue(treatments, terms, tuple(groups), tuple(group_terms))


TRANSLATED_AFTER = 1000  # position offset of the translations' synonyms and concerns


def _translated_terms(tid: int, translations: dict[str, dict[str, Any]],
                      cat_translations: dict[str, dict[str, Any]]) -> list[Term]:
    """A treatment's words from the catalogue's translations (pamper/catalog/i18n.py), each tagged with its
    language: its name, synonyms and concerns there, and its category's name."""
    terms = []
    for language, values in translations.items():
        words = [("name", [values.get("name", "")]), ("synonym", values.get("synonyms", [])),
                 ("condition", values.get("conditions", []))]
        # After the vocabulary's curated words on a tie (TRANSLATED_AFTER): the catalogue's words are for reading.
        terms += [Term(fold(w), w, kind, tid, i + (TRANSLATED_AFTER if kind != "name" else 0), language)
                  for kind, found in words for i, w in enumerate(found) if isinstance(w, str) and fold(w)]
    terms += [Term(fold(v["name"]), v["name"], "category", tid, 0, language)
              for language, v in cat_translations.items() if fold(v.get("name", ""))]
    return terms


def _catalogue_rows() -> list[CatalogueRow]:
    return list(
        Treatment.objects.order_by("id").values_list(
            "id", "slug", "name", "synonyms", "conditions", "variants", "category__slug", "category__name",
            "translations", "category__translations",
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

    def stale(self) -> None:
        """Compare the rows on the next call (the index is kept when they are unchanged)."""
        self.checked = float("-inf")


_cache = _Cache()


def catalogue() -> Catalogue:
    """The matcher for the current catalogue (built once per process, refreshed on change)."""
    return _cache.get()


def understand(query: str, language: str | None = None) -> Understanding:
    return catalogue().understand(query, language)


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


def stale(*args: Any, **kwargs: Any) -> None:
    """Have the next call compare the catalogue's rows with the index's (a receiver of the catalogue's
    post_save and post_delete, and each test's start)."""
    _cache.stale()
