"""What people type, in each language: words for treatments and for groups of treatments.

Data, not code: pamper/catalog/data/vocabulary/groups.toml defines the groups (words that mean several
treatments: "nails", "waxing", "lashes") and <language>.toml lists, per treatment slug and per group slug,
the words people use in that language (everyday names, brand-like words, plurals, common misspellings).
The treatments' own names, synonyms and conditions (treatments/*.toml) stay the English base; this adds to
them. Read once per process (a few hundred kilobytes of TOML, no database); `check_vocabulary` lists every
slug that names nothing, and the catalogue's tests run it.
"""

from __future__ import annotations

import dataclasses
import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data" / "vocabulary"
LANGUAGES = ("en", "fr", "de", "es", "it", "nl", "pt")


@dataclass(frozen=True)
class Group:
    """Several treatments under one word: a whole category, or treatments listed by slug."""

    slug: str
    names: dict[str, str]
    category: str | None
    treatments: tuple[str, ...]

    def name(self, language: str) -> str:
        return self.names.get(language[:2]) or self.names["en"]


@dataclass(frozen=True)
class Vocabulary:
    groups: tuple[Group, ...]
    # (language, word) pairs per treatment slug and per group slug, in file order.
    treatment_words: dict[str, tuple[tuple[str, str], ...]]
    group_words: dict[str, tuple[tuple[str, str], ...]]
    # (language, word) pairs per English concern, as the treatments list it ("acne scars").
    condition_words: dict[str, tuple[tuple[str, str], ...]] = dataclasses.field(default_factory=dict)


def read_vocabulary(data_dir: Path = DATA_DIR) -> Vocabulary:
    """The parsed files; a missing language file counts as empty."""
    groups = tuple(
        Group(g["slug"], dict(g["names"]), g.get("category"), tuple(g.get("treatments", ())))
        for g in tomllib.loads((data_dir / "groups.toml").read_text("utf-8"))["group"]
    )
    treatment_words: dict[str, list[tuple[str, str]]] = {}
    group_words: dict[str, list[tuple[str, str]]] = {}
    condition_words: dict[str, list[tuple[str, str]]] = {}
    for language in LANGUAGES:
        path = data_dir / f"{language}.toml"
        if not path.exists():
            continue
        data = tomllib.loads(path.read_text("utf-8"))
        tables = ((treatment_words, data.get("treatments", {})), (group_words, data.get("groups", {})),
                  (condition_words, data.get("conditions", {})))
        for target, table in tables:
            for slug, words in table.items():
                target.setdefault(slug, []).extend((language, w) for w in words)
    return Vocabulary(groups, {k: tuple(v) for k, v in treatment_words.items()},
                      {k: tuple(v) for k, v in group_words.items()},
                      {k.casefold(): tuple(v) for k, v in condition_words.items()})


@functools.cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary, read once per process."""
    return read_vocabulary()


def check_vocabulary(vocab: Vocabulary, treatment_slugs: set[str], category_slugs: set[str],
                     conditions: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Every problem: words for an unknown treatment, group or concern; a group naming nothing known."""
    group_slugs = {g.slug for g in vocab.groups}
    known = {c.casefold() for c in conditions}
    if known:
        problems_c = [f"words for unknown concern {c!r}" for c in sorted(set(vocab.condition_words) - known)]
    else:
        problems_c = []
    problems = [f"words for unknown treatment {s!r}" for s in sorted(set(vocab.treatment_words) - treatment_slugs)]
    problems += [f"words for unknown group {s!r}" for s in sorted(set(vocab.group_words) - group_slugs)]
    for group in vocab.groups:
        if bool(group.category) == bool(group.treatments):
            problems.append(f"group {group.slug!r}: give either a category or treatments")
        if group.category and group.category not in category_slugs:
            problems.append(f"group {group.slug!r}: unknown category {group.category!r}")
        problems += [f"group {group.slug!r}: unknown treatment {s!r}" for s in group.treatments
                     if s not in treatment_slugs]
        if "en" not in group.names:
            problems.append(f"group {group.slug!r}: no English name")
    return problems + problems_c
