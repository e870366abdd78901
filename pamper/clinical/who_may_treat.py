"""Who may treat: a practitioner's credentials against a treatment's rule, on one date. Pure: no database.

The rule (`pamper.catalog.practitioner_rules.Rule`) says, for one treatment in one country, which
registrations may perform it on their own, whether someone else may under a named supervising
professional, and whether a training certificate, insurance and a minimum customer age are needed. The
practitioner's `Credentials` are plain values read by pamper.practitioners.

A credential counts on a date when it is verified and the date is no later than its `valid_until` (its
last valid day; None: no end). So a registration that lapses before a future booking's day counts as
missing for that booking. Answers are a `Decision`: `code` None (allowed) or one of the refusal codes
below, and `missing`, the reasons in words a page can list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pamper.catalog.practitioner_rules import Rule

NOT_QUALIFIED = "practitioner_not_qualified"
TOO_YOUNG = "customer_too_young"
NEEDS_PRESCRIBER = "prescriber_consultation_required"
ONE_DAY = dt.timedelta(days=1)
PRESCRIBING = frozenset({"doctor", "dentist"})  # prescribers by registration (UK); nurses, pharmacists... by rights


@dataclass(frozen=True, slots=True)
class Credential:
    """One credential: a registration (`profession`, `body`), prescribing rights, a training certificate
    (`treatment`), insurance, or a supervision (`treatment`, `supervisor`)."""

    kind: str  # registration | prescriber | training | insurance | supervision
    valid_until: dt.date | None = None
    verified: bool = True
    profession: str = ""
    body: str = ""
    treatment: str = ""  # training and supervision: the treatment slug covered ("" covers every treatment)
    supervisor: Credentials | None = None

    def counts_on(self, day: dt.date) -> bool:
        return self.verified and (self.valid_until is None or day <= self.valid_until)

    def covers(self, slug: str) -> bool:
        return self.treatment in ("", slug)


@dataclass(frozen=True, slots=True)
class Credentials:
    """Everything recorded for one practitioner."""

    items: tuple[Credential, ...] = ()

    def valid(self, kind: str, day: dt.date) -> list[Credential]:
        return [c for c in self.items if c.kind == kind and c.counts_on(day)]

    def professions_on(self, day: dt.date) -> set[str]:
        return {c.profession for c in self.valid("registration", day)}

    def is_prescriber_on(self, day: dt.date) -> bool:
        """Doctors and dentists prescribe by their registration; other professions need recorded prescribing rights."""
        professions = self.professions_on(day)
        return bool(professions & PRESCRIBING) or (bool(professions) and bool(self.valid("prescriber", day)))


@dataclass(frozen=True, slots=True)
class Decision:
    code: str | None = None
    missing: tuple[str, ...] = field(default_factory=tuple)

    @property
    def allowed(self) -> bool:
        return self.code is None


ALLOWED = Decision()


def _supervised(rule: Rule, credentials: Credentials, day: dt.date) -> bool:
    """A recorded supervision for this treatment, by a supervisor registered in an accepted profession that day."""
    return any(
        s.covers(rule.treatment) and s.supervisor is not None and s.supervisor.professions_on(day) & rule.professions
        for s in credentials.valid("supervision", day)
    )


def may_treat(rule: Rule | None, credentials: Credentials, on_date: dt.date,
              customer_age: int | None = None) -> Decision:
    """May this practitioner give the treatment of `rule` on `on_date` to a customer of `customer_age`?

    `rule` None: the treatment is not restricted. `customer_age` None: not known (the medical questionnaire
    asks it); a known age under the rule's minimum refuses with customer_too_young before anything else.
    Otherwise practitioner_not_qualified with what is missing, or allowed.
    """
    if rule is None:
        return ALLOWED
    if customer_age is not None and rule.min_age is not None and customer_age < rule.min_age:
        return Decision(TOO_YOUNG, (f"under {rule.min_age}",))
    missing: list[str] = []
    if not credentials.professions_on(on_date) & rule.professions:
        if not rule.supervised:
            missing.append("registration")
        elif not _supervised(rule, credentials, on_date):
            missing.append("supervision")
    if rule.training and not any(c.covers(rule.treatment) for c in credentials.valid("training", on_date)):
        missing.append("training")
    if rule.insurance and not credentials.valid("insurance", on_date):
        missing.append("insurance")
    return Decision(NOT_QUALIFIED, tuple(missing)) if missing else ALLOWED


def _ends(credentials: Credentials) -> Iterable[dt.date]:
    for c in credentials.items:
        if c.valid_until is not None:
            yield c.valid_until
        if c.supervisor is not None:
            yield from _ends(c.supervisor)


def qualified_days(rule: Rule | None, credentials: Credentials, first: dt.date,
                   last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The spans of days first..last (inclusive pairs) on which may_treat allows this practitioner (age aside).

    A credential's validity only changes the day after its `valid_until`, so only those days are tested.
    """
    if last < first:
        return []
    turns = sorted({first} | {end + ONE_DAY for end in _ends(credentials) if first < end + ONE_DAY <= last})
    spans: list[tuple[dt.date, dt.date]] = []
    for i, start in enumerate(turns):
        end = turns[i + 1] - ONE_DAY if i + 1 < len(turns) else last
        if not may_treat(rule, credentials, start).allowed:
            continue
        if spans and spans[-1][1] + ONE_DAY == start:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


@dataclass(frozen=True, slots=True)
class Prescription:
    """A prescription recorded for one client: the treatment, whether its prescriber held prescribing rights
    when they assessed the client face to face, and the days it covers."""

    treatment: str
    by_prescriber: bool
    issued_on: dt.date
    valid_until: dt.date


def prescription_needed(rule: Rule | None, prescriptions: Sequence[Prescription], on_date: dt.date) -> Decision:
    """prescriber_consultation_required when `rule` is a prescription-only medicine and no prescription by a
    prescriber, for this treatment, covers `on_date`; else allowed."""
    if rule is None or not rule.prescription_only:
        return ALLOWED
    if any(p.treatment == rule.treatment and p.by_prescriber and p.issued_on <= on_date <= p.valid_until
           for p in prescriptions):
        return ALLOWED
    return Decision(NEEDS_PRESCRIBER, ("prescription",))
