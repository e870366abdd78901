"""The pure who-may-treat rules, checked as a generated matrix against an oracle written from the sources.

Matrix: treatment x practitioner credential set x country x date around an expiry. The oracle below
restates the shipped data in plain terms (who may inject what in Great Britain and France, and the strictest
of the two elsewhere), so a change to practitioner_rules.toml that loosens a rule fails here.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from pamper.catalog.loader import check_practitioner_rules, read_catalogue
from pamper.catalog.practitioner_rules import RulesError, parse_rules, rule_book, rule_for
from pamper.clinical.who_may_treat import (
    NEEDS_PRESCRIBER,
    NOT_QUALIFIED,
    TOO_YOUNG,
    Credential,
    Credentials,
    Prescription,
    may_treat,
    prescription_needed,
    qualified_days,
)

EXPIRY = dt.date(2027, 3, 31)  # the day the expiring credentials last count
DAYS = {"before": EXPIRY - dt.timedelta(days=1), "last day": EXPIRY, "after": EXPIRY + dt.timedelta(days=1)}
INJECTABLES = ("anti-wrinkle-injections", "dermal-fillers", "lip-fillers")
TREATMENTS = (*INJECTABLES, "facial")
COUNTRIES = ("GB", "FR", "DE")


def _reg(profession: str, until: dt.date | None = None, verified: bool = True) -> Credential:
    return Credential("registration", until, verified, profession=profession, body="GMC")


def _basics(until: dt.date | None = None) -> tuple[Credential, ...]:
    trainings = tuple(Credential("training", until, treatment=t) for t in INJECTABLES)
    return (*trainings, Credential("insurance", until))


NURSE = Credentials((_reg("nurse"),))
NURSE_LAPSING = Credentials((_reg("nurse", EXPIRY),))

# name -> (credentials, oracle: the facts about the person on a day)
SETS: dict[str, Credentials] = {
    "doctor": Credentials((_reg("doctor"), *_basics())),
    "nurse prescriber": Credentials((_reg("nurse"), Credential("prescriber"), *_basics())),
    "dentist": Credentials((_reg("dentist"), *_basics())),
    "doctor, registration lapsing": Credentials((_reg("doctor", EXPIRY), *_basics())),
    "doctor, insurance lapsing": Credentials((_reg("doctor"), *_basics()[:-1], Credential("insurance", EXPIRY))),
    "doctor, unverified": Credentials((_reg("doctor", verified=False), *_basics())),
    "doctor, no training": Credentials((_reg("doctor"), Credential("insurance"))),
    "nurse, no insurance": Credentials((_reg("nurse"), *_basics()[:-1])),
    "aesthetic practitioner, supervised": Credentials(
        (*_basics(), Credential("supervision", supervisor=NURSE, treatment="anti-wrinkle-injections"))),
    "aesthetic practitioner, supervisor lapsing": Credentials(
        (*_basics(), Credential("supervision", supervisor=NURSE_LAPSING))),
    "aesthetic practitioner, supervision lapsing": Credentials(
        (*_basics(), Credential("supervision", EXPIRY, supervisor=NURSE))),
    "aesthetic practitioner, unsupervised": Credentials(_basics()),
    "skin therapist": Credentials(),
}


def _oracle(treatment: str, name: str, country: str, day: str) -> str | None:
    """The expected refusal code (None: allowed), from the facts, not from the code under test."""
    if treatment == "facial":
        return None
    lapsed = day == "after"
    doctor_only = country in ("FR", "DE")  # France reserves injections to doctors; elsewhere the strictest applies
    registered = {
        "doctor": "doctor", "nurse prescriber": "nurse", "dentist": "dentist", "nurse, no insurance": "nurse",
        "doctor, registration lapsing": None if lapsed else "doctor", "doctor, insurance lapsing": "doctor",
        "doctor, no training": "doctor",
    }.get(name)
    supervised = {
        "aesthetic practitioner, supervised": treatment == "anti-wrinkle-injections",
        "aesthetic practitioner, supervisor lapsing": not lapsed,
        "aesthetic practitioner, supervision lapsing": not lapsed,
    }.get(name, False)
    may_perform = registered == "doctor" if doctor_only else (registered is not None or supervised)
    trained = name != "doctor, no training" and name != "skin therapist"
    insured = name not in ("nurse, no insurance", "skin therapist") and not (
        name == "doctor, insurance lapsing" and lapsed)
    return None if (may_perform and trained and insured) else NOT_QUALIFIED


MATRIX = list(itertools.product(TREATMENTS, SETS, COUNTRIES, DAYS))


@pytest.mark.parametrize(("treatment", "name", "country", "day"), MATRIX, ids=["|".join(m) for m in MATRIX])
def test_matrix(treatment: str, name: str, country: str, day: str) -> None:
    rule = rule_for(treatment, country)
    decision = may_treat(rule, SETS[name], DAYS[day], customer_age=30)
    assert decision.code == _oracle(treatment, name, country, day), decision.missing


def test_the_matrix_is_big_and_mixed() -> None:
    codes = [_oracle(*m) for m in MATRIX]
    assert len(MATRIX) >= 400
    assert codes.count(None) > 50 and codes.count(NOT_QUALIFIED) > 50


@pytest.mark.parametrize("country", ["GB", "DE"])  # France's rule names no age: the data does not invent one
def test_a_customer_under_the_minimum_age_is_refused_first(country: str) -> None:
    rule = rule_for("anti-wrinkle-injections", country)
    assert may_treat(rule, SETS["skin therapist"], EXPIRY, customer_age=17).code == TOO_YOUNG
    assert may_treat(rule, SETS["doctor"], EXPIRY, customer_age=18).allowed
    assert may_treat(rule, SETS["doctor"], EXPIRY, customer_age=None).allowed


def test_unknown_country_gets_the_strictest_rule_and_says_so() -> None:
    rule = rule_for("anti-wrinkle-injections", "DE")
    assert rule is not None and rule.fallback
    assert rule.professions == {"doctor"} and not rule.supervised and rule.prescription_only and rule.min_age == 18
    assert not rule_for("anti-wrinkle-injections", "GB").fallback
    assert rule_for("facial", "DE") is None and rule_for(None, "GB") is None


def test_what_is_missing_is_named() -> None:
    rule = rule_for("dermal-fillers", "GB")
    decision = may_treat(rule, SETS["aesthetic practitioner, unsupervised"], EXPIRY)
    assert decision.missing == ("supervision",)
    assert may_treat(rule, SETS["skin therapist"], EXPIRY).missing == ("supervision", "training", "insurance")
    assert may_treat(rule_for("dermal-fillers", "FR"), SETS["skin therapist"], EXPIRY).missing[0] == "registration"


def test_qualified_days_end_the_day_a_credential_lapses() -> None:
    rule = rule_for("anti-wrinkle-injections", "GB")
    first, last = EXPIRY - dt.timedelta(days=10), EXPIRY + dt.timedelta(days=10)
    assert qualified_days(rule, SETS["doctor"], first, last) == [(first, last)]
    assert qualified_days(rule, SETS["doctor, registration lapsing"], first, last) == [(first, EXPIRY)]
    assert qualified_days(rule, SETS["aesthetic practitioner, supervisor lapsing"], first, last) == [(first, EXPIRY)]
    assert qualified_days(rule, SETS["skin therapist"], first, last) == []
    assert qualified_days(None, SETS["skin therapist"], first, last) == [(first, last)]


def test_qualified_days_agree_with_may_treat_day_by_day() -> None:
    first = EXPIRY - dt.timedelta(days=3)
    for name, creds in SETS.items():
        for country in COUNTRIES:
            rule = rule_for("anti-wrinkle-injections", country)
            spans = qualified_days(rule, creds, first, first + dt.timedelta(days=6))
            for offset in range(7):
                day = first + dt.timedelta(days=offset)
                inside = any(a <= day <= b for a, b in spans)
                assert inside == may_treat(rule, creds, day).allowed, (name, country, day)


def test_prescription_only_needs_a_prescribers_prescription_covering_the_day() -> None:
    rule = rule_for("anti-wrinkle-injections", "GB")
    good = Prescription("anti-wrinkle-injections", True, EXPIRY, EXPIRY + dt.timedelta(days=90))
    assert prescription_needed(rule, [], EXPIRY).code == NEEDS_PRESCRIBER
    assert prescription_needed(rule, [good], EXPIRY).allowed
    assert prescription_needed(rule, [good], EXPIRY - dt.timedelta(days=1)).code == NEEDS_PRESCRIBER
    not_prescriber = Prescription("anti-wrinkle-injections", False, EXPIRY, EXPIRY + dt.timedelta(days=90))
    assert prescription_needed(rule, [not_prescriber], EXPIRY).code == NEEDS_PRESCRIBER
    other = Prescription("dermal-fillers", True, EXPIRY, EXPIRY + dt.timedelta(days=90))
    assert prescription_needed(rule, [other], EXPIRY).code == NEEDS_PRESCRIBER
    assert prescription_needed(rule_for("dermal-fillers", "GB"), [], EXPIRY).allowed


def test_the_shipped_rules_are_versioned_sourced_and_name_catalogue_treatments() -> None:
    book = rule_book()
    assert book.version and set(book.treatments()) == set(INJECTABLES)
    assert all(r.sources and r.version == book.version for r in book.rules.values())
    assert check_practitioner_rules(read_catalogue()) == []


def test_a_bad_rules_file_lists_every_problem() -> None:
    data = {"rule": [{"treatment": "nope", "country": "gb", "tier": "purple", "professions": ["wizard"],
                      "sources": ["http://x"]}]}
    with pytest.raises(RulesError) as caught:
        parse_rules(data, known_treatments={"facial"})
    text = str(caught.value)
    for words in ("no version", "tier", "wizard", "https", "alpha-2", "unknown treatment"):
        assert words in text
