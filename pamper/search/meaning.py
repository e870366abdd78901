"""What a query was understood to mean: the plain values the matcher hands back (no database)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language, gettext, ngettext

KIND_RANK = {"name": 0, "synonym": 1, "condition": 2, "category": 3}


@dataclass(frozen=True)
class TreatmentRef:
    id: int
    slug: str
    english_name: str
    category: str
    variants: tuple[str, ...]
    names: tuple[tuple[str, str], ...] = ()  # (language, name) from the catalogue's translations

    @property
    def name(self) -> str:
        """The name in the active language; English when the catalogue has no translation."""
        return dict(self.names).get(language_now()) or self.english_name


@dataclass(frozen=True)
class GroupRef:
    """A word meaning several treatments ("nails", "waxing"): the search covers them all."""

    slug: str
    names: tuple[tuple[str, str], ...]  # (language, name)
    treatments: tuple[TreatmentRef, ...]

    def label(self, language: str = "en") -> str:
        names = dict(self.names)
        return names.get(language[:2]) or names["en"]

    @property
    def name(self) -> str:
        return self.label(language_now())


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
    group: GroupRef | None = None

    @property
    def found(self) -> bool:
        return self.treatment is not None or self.group is not None

    @property
    def treatment_ids(self) -> tuple[int, ...]:
        """The treatments to search: the one understood, or every treatment of the group."""
        if self.group is not None:
            return tuple(t.id for t in self.group.treatments)
        return (self.treatment.id,) if self.treatment else ()

    @property
    def understood_as(self) -> str | None:
        """'Showing Mesotherapy for "mesotherepy"' and its kin; None when nothing matched."""
        query = self.query.strip()
        if self.group is not None:
            count = len(self.group.treatments)
            return ngettext("Showing %(name)s: %(count)d treatment for '%(query)s'",
                            "Showing %(name)s: %(count)d treatments for '%(query)s'", count) % {
                "name": self.group.name, "count": count, "query": query}
        if self.treatment is None:
            return None
        name = self.treatment.name
        if self.variant:
            name = gettext("%(name)s (%(variant)s preferred)") % {"name": name, "variant": self.variant}
        if self.kind == "condition" and self.condition_count > 1:
            return gettext("Showing %(name)s, one of %(count)d treatments for '%(query)s'") % {
                "name": name, "count": self.condition_count, "query": query}
        if self.exact and self.kind == "name" and not self.variant:
            return gettext("Showing %(name)s") % {"name": name}
        return gettext("Showing %(name)s for '%(query)s'") % {"name": name, "query": query}


@dataclass(frozen=True)
class Term:
    folded: str
    label: str
    kind: str
    treatment_id: int  # for a group's word: the group's index in Catalogue.groups
    position: int
    language: str = ""  # "" for the catalogue's own (English) names: no language loses to them


def language_now() -> str:
    """The active language's two-letter code ('en' outside a request)."""
    return (get_language() or "en")[:2]
