"""The phrase list: what people type in seven languages is understood (issue 15's vocabulary).

tests/data/phrases.tsv holds phrases gathered from salon menus and customers' searches, each with the
treatment (or group of treatments) it must be understood as. At least 95% per language must be
understood correctly; the report prints the share per language (bench/RESULTS.md records it).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from pamper.catalog.models import Category, Treatment
from pamper.catalog.vocabulary import LANGUAGES, check_vocabulary, vocabulary
from pamper.search import understand

PHRASES = Path(__file__).parent / "data" / "phrases.tsv"
REQUIRED_SHARE = 0.95


def read_phrases() -> list[tuple[str, str, str]]:
    rows = []
    for line in PHRASES.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            language, phrase, expected = line.split("\t")
            rows.append((language, phrase, expected))
    return rows


def meaning(phrase: str, language: str, expected: str) -> str | None:
    """What the phrase was understood as; for a concern, the expected treatment when it is among those offered
    for it (the page shows one and links the others: "Showing Mesotherapy, one of 5 treatments for ...")."""
    found = understand.understand(phrase, language)
    if found.group is not None:
        return f"group:{found.group.slug}"
    if found.treatment is None:
        return None
    offered = [found.treatment.slug, *(t.slug for t in found.alternatives)]
    return expected if found.kind == "condition" and expected in offered else found.treatment.slug


def shares(rows: list[tuple[str, str, str]]) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """{language: (understood, total)} and the misses as readable lines."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for language, phrase, expected in rows:
        got = meaning(phrase, language, expected)
        counts[language][1] += 1
        if got == expected:
            counts[language][0] += 1
        else:
            misses.append(f"{language} {phrase!r}: expected {expected}, understood {got}")
    return {k: (v[0], v[1]) for k, v in counts.items()}, misses


def test_the_list_is_large_and_covers_every_language():
    rows = read_phrases()
    assert len(rows) >= 300
    assert {language for language, _, _ in rows} == set(LANGUAGES)
    assert all(sum(1 for r in rows if r[0] == language) >= 40 for language in LANGUAGES)


@pytest.mark.django_db
def test_the_list_names_only_known_treatments_and_groups(catalogue):
    slugs = set(Treatment.objects.values_list("slug", flat=True))
    groups = {g.slug for g in vocabulary().groups}
    for _, phrase, expected in read_phrases():
        kind, _, slug = expected.rpartition(":")
        assert slug in (groups if kind == "group" else slugs), (phrase, expected)


@pytest.mark.django_db
def test_the_vocabulary_files_name_only_known_things(catalogue):
    conditions = {c for row in Treatment.objects.values_list("conditions", flat=True) for c in row}
    problems = check_vocabulary(vocabulary(), set(Treatment.objects.values_list("slug", flat=True)),
                                set(Category.objects.values_list("slug", flat=True)), conditions)
    assert problems == []


@pytest.mark.django_db
def test_at_least_95_percent_of_the_phrases_are_understood_in_every_language(catalogue, capsys):
    counts, misses = shares(read_phrases())
    with capsys.disabled():
        report = ", ".join(f"{k} {v[0]}/{v[1]} ({100 * v[0] / v[1]:.1f}%)" for k, v in sorted(counts.items()))
        print(f"\nphrases understood: {report}")
        for line in misses:
            print("  miss:", line)
    for language, (good, total) in counts.items():
        assert good / total >= REQUIRED_SHARE, (language, misses)
