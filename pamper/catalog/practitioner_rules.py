"""Who may perform a treatment, per country: the rules in data/practitioner_rules.toml as plain values.

`rule_for(slug, country)` answers the rule that applies to a treatment at a venue in `country`: the
country's own rule, or, when the treatment has rules elsewhere but none there, the strictest of them
(`Rule.fallback` is then True, so pages can say so). A treatment with no rule at all answers None: anyone
who performs it at the venue may do it. The file is read once per process; `read_rules` checks it and
raises RulesError listing every problem (the catalogue loader runs the same check against its slugs).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).parent / "data" / "practitioner_rules.toml"
TIERS = ("green", "amber", "red")
PROFESSIONS = ("doctor", "nurse", "dentist", "pharmacist", "other_registered")
FLAGS = ("supervised", "prescription_only", "training", "insurance")
STRICTEST = "*"  # the country of a fallback rule


class RulesError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("The practitioner rules have problems:\n- " + "\n- ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Rule:
    """What a practitioner needs to perform `treatment` in `country` (STRICTEST for a fallback)."""

    treatment: str
    country: str
    tier: str
    professions: frozenset[str]
    supervised: bool = False
    prescription_only: bool = False
    training: bool = False
    insurance: bool = False
    min_age: int | None = None
    sources: tuple[str, ...] = ()
    version: str = ""

    @property
    def fallback(self) -> bool:
        return self.country == STRICTEST


@dataclass(frozen=True, slots=True)
class RuleBook:
    version: str
    rules: dict[tuple[str, str], Rule]
    # rule_for's answers by (treatment, country): every bookable service asks on every booking and availability
    # read, and the strictest fallback is otherwise worked out again each time over the whole book.
    resolved: dict[tuple[str, str], Rule | None] = field(default_factory=dict, compare=False, repr=False)

    def treatments(self) -> set[str]:
        return {slug for slug, _ in self.rules}

    def countries(self, slug: str) -> list[Rule]:
        """The treatment's own rules, by country."""
        return sorted((r for (s, _), r in self.rules.items() if s == slug), key=lambda r: r.country)


def _check(item: dict[str, Any], index: int) -> list[str]:
    where = f"rule {index + 1} ({item.get('treatment', '?')}, {item.get('country', '?')})"
    problems = [f"{where}: missing {key}" for key in ("treatment", "country", "tier", "professions", "sources")
                if key not in item]
    if item.get("tier") not in TIERS:
        problems.append(f"{where}: tier must be one of {', '.join(TIERS)}")
    unknown = set(item.get("professions", [])) - set(PROFESSIONS)
    if unknown:
        problems.append(f"{where}: unknown professions {sorted(unknown)}")
    if not item.get("sources") or not all(str(s).startswith("https://") for s in item.get("sources", [])):
        problems.append(f"{where}: every rule needs at least one https source")
    country = str(item.get("country", ""))
    if len(country) != 2 or not country.isupper():
        problems.append(f"{where}: country must be an ISO 3166-1 alpha-2 code")
    extra = set(item) - {"treatment", "country", "tier", "professions", "min_age", "sources", *FLAGS}
    if extra:
        problems.append(f"{where}: unknown keys {sorted(extra)}")
    return problems


def parse_rules(data: dict[str, Any], known_treatments: set[str] | None = None) -> RuleBook:
    """The rule book from the parsed TOML; RulesError listing every problem (unknown slugs when given)."""
    version = str(data.get("version", ""))
    problems = [] if version else ["the file has no version"]
    rules: dict[tuple[str, str], Rule] = {}
    for index, item in enumerate(data.get("rule", [])):
        found = _check(item, index)
        if known_treatments is not None and item.get("treatment") not in known_treatments:
            found.append(f"rule {index + 1}: unknown treatment {item.get('treatment')!r}")
        key = (item.get("treatment"), item.get("country"))
        if key in rules:
            found.append(f"rule {index + 1}: a second rule for {key}")
        problems.extend(found)
        if not found:
            rules[key] = Rule(item["treatment"], item["country"], item["tier"], frozenset(item["professions"]),
                              *(bool(item.get(flag, False)) for flag in FLAGS), min_age=item.get("min_age"),
                              sources=tuple(item["sources"]), version=version)
    if problems:
        raise RulesError(problems)
    return RuleBook(version, rules)


def read_rules(path: Path = DATA_FILE, known_treatments: set[str] | None = None) -> RuleBook:
    with path.open("rb") as handle:
        return parse_rules(tomllib.load(handle), known_treatments)


@lru_cache(maxsize=1)
def rule_book() -> RuleBook:
    """The shipped rule book, read once per process."""
    return read_rules()


def strictest(rules: list[Rule]) -> Rule:
    """One rule that every one of `rules` would allow: the professions they all accept, every requirement any
    makes, the highest minimum age, the highest tier, every source."""
    first = rules[0]
    ages = [r.min_age for r in rules if r.min_age is not None]
    return Rule(
        first.treatment, STRICTEST, max((r.tier for r in rules), key=TIERS.index),
        frozenset.intersection(*(r.professions for r in rules)),
        supervised=all(r.supervised for r in rules), prescription_only=any(r.prescription_only for r in rules),
        training=any(r.training for r in rules), insurance=any(r.insurance for r in rules),
        min_age=max(ages) if ages else None, sources=tuple(dict.fromkeys(s for r in rules for s in r.sources)),
        version=first.version,
    )


def rule_for(slug: str | None, country: str, book: RuleBook | None = None) -> Rule | None:
    """The rule for treatment `slug` at a venue in `country`: its own, the strictest known, or None (no rule)."""
    book = book or rule_book()
    if slug is None:
        return None
    key = (slug, country.upper())
    try:
        return book.resolved[key]
    except KeyError:
        pass
    rule = book.rules.get(key)
    if rule is None:
        known = book.countries(slug)
        rule = strictest(known) if known else None
    book.resolved[key] = rule
    return rule
