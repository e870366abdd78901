"""Load the catalogue from the versioned TOML files in pamper/catalog/data/.

Layout:
    data/categories.toml         [[category]] slug, name, description
    data/contraindications.toml  [[contraindication]] slug, label, question
    data/treatments/<category>.toml   [[treatment]] with the Treatment fields;
        `category` defaults to the file's stem; `contraindications` and
        `alternatives` are lists of slugs; `guide` is a table with the keys
        what, how, for_me, good_to_know, aftercare.

One treatment, every key (optional keys marked):

    [[treatment]]
    slug = "mesotherapy"                  # unique, lower-case, hyphens
    name = "Mesotherapy"
    summary = "One or two plain sentences."
    synonyms = ["meso therapy", ...]      # what people type: everyday UK words, brand names
    conditions = ["cellulite", ...]       # concerns it is used for (search finds it by these)
    variants = ["needle-free"]            # optional: named variants a venue may offer
    session_minutes = 20                  # a typical session
    course_sessions = 6                   # 1 when it is a one-off
    course_interval_days = 7              # optional: the shortest usual gap between course sessions
    downtime = "None"                     # free text
    pain = "A quick sting."               # optional: how it feels, does it hurt (landing pages' questions)
    side_effects = ["..."]
    aftercare = ["..."]                   # short imperative lines, shown as a list
    contraindications = ["pregnancy"]     # slugs from contraindications.toml
    alternatives = ["microneedling"]      # treatment slugs (any category)
    consultation_required = true
    patch_test_lead_hours = 24            # optional: omit when no patch (allergy) test is needed
    patch_test_validity_days = 180        # required with patch_test_lead_hours
    evidence = "What the evidence says, plainly."
    price_from = 150                      # typical UK price of one session, GBP
    price_to = 300

    [treatment.guide]                     # optional: the full guide, paragraphs split by blank lines
    what = '''...'''
    how = '''...'''
    for_me = '''...'''
    good_to_know = '''...'''
    aftercare = '''...'''

The other languages (pamper/catalog/i18n.py) sit beside the English source, each optional:

    data/translations/<lang>/catalogue.toml
        [category.<slug>]          name, description
        [treatment.<slug>]         name, summary, synonyms, variants (same length and order as the English
                                   ones); optionally downtime, pain, side_effects, aftercare, evidence, conditions
        [contraindication.<slug>]  label, question, why
    data/translations/<lang>/guides/<slug>.toml
        conditions, downtime, pain, side_effects, aftercare, evidence, and a [guide] table (what, how, for_me,
        good_to_know, aftercare), as in the English entry

A missing file or key falls back to English when the page is shown; an unknown slug or key, or a value of the
wrong type, is a problem like any other.

Loading is an idempotent upsert by slug in one transaction: a second load of
the same files writes nothing. Rows no longer in the files are kept (venues
may still offer them) and reported as stale. The files are checked first; any
problem (an unknown slug, a missing key) raises CatalogueError listing them
all, and nothing is written.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import translation

from pamper.lib.languages import codes

from .models import Category, Contraindication, Treatment
from .practitioner_rules import RulesError, read_rules

DATA_DIR = Path(__file__).parent / "data"
PRACTITIONER_RULES = "practitioner_rules.toml"  # who may perform what (practitioner_rules.py), checked here too
GUIDE_FIELDS = {"what": "guide_what", "how": "guide_how", "for_me": "guide_for_me",
                "good_to_know": "guide_good_to_know", "aftercare": "guide_aftercare"}
SCALAR_FIELDS = ["name", "summary", "synonyms", "conditions", "variants", "session_minutes", "course_sessions",
                 "course_interval_days", "downtime", "pain", "side_effects", "aftercare", "consultation_required",
                 "patch_test_lead_hours", "patch_test_validity_days", "evidence"]
REQUIRED_KEYS = ["slug", "name", "summary", "synonyms", "conditions", "session_minutes", "course_sessions",
                 "downtime", "side_effects", "aftercare", "contraindications", "alternatives",
                 "consultation_required", "evidence", "price_from", "price_to"]
LIST_FIELDS = ["synonyms", "conditions", "variants", "side_effects", "aftercare"]
# Model defaults for keys a file may leave out, so removing a key from a file clears it on the next load.
OPTIONAL_DEFAULTS: dict[str, Any] = {"variants": [], "course_interval_days": None, "patch_test_lead_hours": None,
                                     "patch_test_validity_days": None, "pain": ""}


TRANSLATIONS = "translations"
# Keys a translation may give, per kind: {key: (attname on the model, type)}.
TRANSLATABLE: dict[str, dict[str, tuple[str, type]]] = {
    "category": {"name": ("name", str), "description": ("description", str)},
    "contraindication": {"label": ("label", str), "question": ("question", str), "why": ("why", str)},
    "treatment": {"name": ("name", str), "summary": ("summary", str), "synonyms": ("synonyms", list),
                  "variants": ("variants", list), "conditions": ("conditions", list), "downtime": ("downtime", str),
                  "pain": ("pain", str), "side_effects": ("side_effects", list), "aftercare": ("aftercare", list),
                  "evidence": ("evidence", str)},
}
GUIDE_FILE_KEYS = ["conditions", "downtime", "pain", "side_effects", "aftercare", "evidence", "guide"]
Translations = dict[str, dict[str, dict[str, dict[str, Any]]]]  # kind -> slug -> language -> {attname: value}


def translation_languages() -> list[str]:
    """The served languages other than English, each of which may have a translations folder."""
    return [code for code in codes() if code != "en"]


class CatalogueError(ValueError):
    """The data files are inconsistent; `problems` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("The catalogue files have problems:\n- " + "\n- ".join(problems))
        self.problems = problems


@dataclass
class LoadReport:
    categories: int
    contraindications: int
    treatments: int
    guides: int
    created: int = 0
    updated: int = 0
    stale: list[str] = field(default_factory=list)
    unknown_translations: list[str] = field(default_factory=list)


def read_catalogue(data_dir: Path = DATA_DIR) -> dict[str, list[dict[str, Any]]]:
    """The parsed TOML files as {'categories': [...], 'contraindications': [...], 'treatments': [...]}.

    Raises CatalogueError when a file is not valid TOML.
    """
    try:
        categories = tomllib.loads((data_dir / "categories.toml").read_text("utf-8"))["category"]
        contraindications = tomllib.loads((data_dir / "contraindications.toml").read_text("utf-8"))["contraindication"]
        treatments: list[dict[str, Any]] = []
        for path in sorted((data_dir / "treatments").glob("*.toml")):
            for item in tomllib.loads(path.read_text("utf-8")).get("treatment", []):
                item.setdefault("category", path.stem)
                item["_file"] = path.name
                treatments.append(item)
    except (tomllib.TOMLDecodeError, OSError, KeyError) as exc:
        raise CatalogueError([f"cannot read the files in {data_dir}: {exc!r}"]) from exc
    return {"categories": categories, "contraindications": contraindications, "treatments": treatments}


def read_translations(data_dir: Path = DATA_DIR) -> tuple[Translations, list[str]]:
    """Every translation file under data_dir/translations, as kind -> slug -> language -> {attname: value},
    and the problems found reading them (a file that is not valid TOML, a key that is not translatable, a wrong type).
    """
    found: Translations = {kind: {} for kind in TRANSLATABLE}
    problems: list[str] = []
    for language in translation_languages():
        folder = data_dir / TRANSLATIONS / language
        catalogue = _read_toml(folder / "catalogue.toml", problems)
        for kind in TRANSLATABLE:
            for slug, entry in catalogue.get(kind, {}).items():
                where = f"{language}/catalogue.toml: {kind}.{slug}"
                _keep(found[kind], slug, language, _translated_keys(kind, entry, where, problems))
        problems += [f"{language}/catalogue.toml: unknown table {k!r}" for k in catalogue if k not in TRANSLATABLE]
        for path in sorted((folder / "guides").glob("*.toml")):
            guide = _read_toml(path, problems)
            where = f"{language}/guides/{path.name}"
            problems += [f"{where}: unknown key {k!r}" for k in guide if k not in GUIDE_FILE_KEYS]
            values = _translated_keys("treatment", {k: v for k, v in guide.items() if k != "guide"}, where, problems)
            for key, text in guide.get("guide", {}).items():
                if key not in GUIDE_FIELDS or not isinstance(text, str):
                    problems.append(f"{where}: [guide] {key!r} is not a guide section of text")
                elif text.strip():
                    values[GUIDE_FIELDS[key]] = text.strip()
            _keep(found["treatment"], path.stem, language, values)
    return found, problems


def _read_toml(path: Path, problems: list[str]) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
        problems.append(f"cannot read {path}: {exc}")
        return {}


def _translated_keys(kind: str, entry: dict[str, Any], where: str, problems: list[str]) -> dict[str, Any]:
    """{attname: value} for the entry's non-empty translatable keys; problems for the rest."""
    values = {}
    for key, value in entry.items():
        if key not in TRANSLATABLE[kind]:
            problems.append(f"{where}: unknown key {key!r}")
            continue
        attname, kind_of = TRANSLATABLE[kind][key]
        if not isinstance(value, kind_of) or (kind_of is list and not all(isinstance(v, str) for v in value)):
            problems.append(f"{where}: {key!r} must be {'a list of strings' if kind_of is list else 'a string'}")
        elif value:
            values[attname] = value.strip() if isinstance(value, str) else value
    return values


def _keep(table: dict[str, dict[str, dict[str, Any]]], slug: str, language: str, values: dict[str, Any]) -> None:
    if values:
        table.setdefault(slug, {}).setdefault(language, {}).update(values)


def check_translations(data: dict[str, list[dict[str, Any]]], found: Translations) -> list[str]:
    """Problems between the translations and the English source: unknown slugs, variants that do not pair up."""
    problems = []
    english = {t["slug"]: t for t in data["treatments"]}
    limits = _text_limits()
    for slug, languages in found["treatment"].items():
        for language, values in languages.items():
            if "variants" in values and slug in english and len(values["variants"]) != len(
                    english[slug].get("variants", [])):
                problems.append(f"{language}: treatment {slug!r} has {len(values['variants'])} variants, "
                                f"English has {len(english[slug].get('variants', []))}")
            problems += [f"{language}: treatment {slug!r}: {k!r} is longer than {limits[k]} characters"
                         for k, v in values.items() if k in limits and isinstance(v, str) and len(v) > limits[k]]
    return problems


def unknown_translations(data: dict[str, list[dict[str, Any]]], found: Translations) -> list[str]:
    """Translations of slugs the English files do not have (a typo, or a row since removed: it is kept, like
    stale rows, and reported rather than refused)."""
    kinds = {"category": "categories", "contraindication": "contraindications", "treatment": "treatments"}
    return [f"{kind} {slug!r}" for kind, rows in kinds.items()
            for slug in sorted(set(found[kind]) - {row["slug"] for row in data[rows]})]


def check_catalogue(data: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Every problem in the parsed data (empty when it is consistent)."""
    categories = {c["slug"] for c in data["categories"]}
    contras = {c["slug"] for c in data["contraindications"]}
    slugs = [t.get("slug", "") for t in data["treatments"]]
    problems = [f"treatment slug {s!r} appears more than once" for s in sorted(set(slugs)) if slugs.count(s) > 1]
    for item in data["treatments"]:
        problems += _check_treatment(item, categories, contras, set(slugs))
    return problems


def check_practitioner_rules(data: dict[str, list[dict[str, Any]]], data_dir: Path = DATA_DIR) -> list[str]:
    """The problems in data_dir's practitioner_rules.toml (when there is one), its slugs checked against `data`."""
    path = data_dir / PRACTITIONER_RULES
    if not path.exists():
        return []
    try:
        read_rules(path, known_treatments={t.get("slug", "") for t in data["treatments"]})
    except RulesError as exc:
        return exc.problems
    except (tomllib.TOMLDecodeError, OSError) as exc:
        return [f"cannot read {path}: {exc!r}"]
    return []


def _check_treatment(item: dict[str, Any], categories: set[str], contras: set[str], slugs: set[str]) -> list[str]:
    where = f"{item.get('_file')}: {item.get('slug', '?')}"
    problems = [f"{where}: missing {key!r}" for key in REQUIRED_KEYS if key not in item]
    if item["category"] not in categories:
        problems.append(f"{where}: unknown category {item['category']!r}")
    problems += [f"{where}: unknown contraindication {s!r}"
                 for s in item.get("contraindications", []) if s not in contras]
    problems += [f"{where}: unknown alternative {s!r}" for s in item.get("alternatives", []) if s not in slugs]
    problems += [f"{where}: {key!r} must be a list of strings" for key in LIST_FIELDS
                 if not all(isinstance(v, str) for v in item.get(key, []))]
    if ("patch_test_lead_hours" in item) != ("patch_test_validity_days" in item):
        problems.append(f"{where}: give patch_test_lead_hours and patch_test_validity_days together")
    problems += [f"{where}: unknown guide section {k!r}" for k in item.get("guide", {}) if k not in GUIDE_FIELDS]
    problems += [f"{where}: {name!r} is longer than {limit} characters" for name, limit in _text_limits().items()
                 if len(str(item.get(name, ""))) > limit]
    try:
        if Decimal(str(item.get("price_from", 0))) > Decimal(str(item.get("price_to", 0))):
            problems.append(f"{where}: price_from is above price_to")
    except InvalidOperation:
        problems.append(f"{where}: prices must be numbers")
    return problems


def _text_limits() -> dict[str, int]:
    """max_length of each Treatment text field (PostgreSQL refuses longer values)."""
    return {f.name: f.max_length for f in Treatment._meta.get_fields() if getattr(f, "max_length", None)}


def _treatment_fields(item: dict[str, Any], category: Category) -> dict[str, Any]:
    fields = {**OPTIONAL_DEFAULTS, **{name: item[name] for name in SCALAR_FIELDS if name in item}}
    fields["category_id"] = category.pk
    fields["translations"] = item.get("translations", {})
    fields["price_from"] = Decimal(str(item["price_from"])).quantize(Decimal("0.01"))
    fields["price_to"] = Decimal(str(item["price_to"])).quantize(Decimal("0.01"))
    for key, name in GUIDE_FIELDS.items():
        fields[name] = item.get("guide", {}).get(key, "").strip()
    return fields


def _upsert_simple(model: type[Category] | type[Contraindication], rows: list[dict[str, Any]]) -> None:
    existing = {obj.slug: obj for obj in model.objects.all()}
    for row in rows:
        obj = existing.get(row["slug"])
        if obj is None:
            model.objects.create(**row)
        elif any(getattr(obj, k) != v for k, v in row.items()):
            model.objects.filter(pk=obj.pk).update(**row)


def _upsert_treatments(items: list[dict[str, Any]], categories: dict[str, Category]) -> tuple[int, int]:
    """Create or update the treatment rows; (created, updated) counts."""
    existing = {t.slug: t for t in Treatment.objects.all()}
    to_create, to_update = [], []
    for item in items:
        fields = _treatment_fields(item, categories[item["category"]])
        current = existing.get(item["slug"])
        if current is None:
            to_create.append(Treatment(slug=item["slug"], **fields))
        elif any(getattr(current, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(current, k, v)
            to_update.append(current)
    Treatment.objects.bulk_create(to_create)
    if to_update:
        Treatment.objects.bulk_update(to_update, ["category_id", *SCALAR_FIELDS, "price_from", "price_to",
                                                  *GUIDE_FIELDS.values(), "translations"])
    return len(to_create), len(to_update)


def _sync_links(through: Any, source: str, target: str, wanted: set[tuple[int, int]], owners: set[int]) -> None:
    """Make the many-to-many rows of `owners` exactly `wanted`, touching only the differences."""
    current = set(through.objects.filter(**{f"{source}__in": owners}).values_list(source, target))
    stale = current - wanted
    for owner, other in stale:
        through.objects.filter(**{source: owner, target: other}).delete()
    through.objects.bulk_create([through(**{source: a, target: b}) for a, b in sorted(wanted - current)])


def load_catalogue(data_dir: Path = DATA_DIR) -> LoadReport:
    """Upsert every category, contraindication and treatment from data_dir; see the module docstring."""
    with translation.override("en"):  # the English columns are compared and written as stored
        return _load(data_dir)


@transaction.atomic
def _load(data_dir: Path) -> LoadReport:
    data = read_catalogue(data_dir)
    found, problems = read_translations(data_dir)
    problems = check_catalogue(data) + check_practitioner_rules(data, data_dir) + problems
    problems += check_translations(data, found)
    if problems:
        raise CatalogueError(problems)
    _upsert_simple(Category, [{"slug": c["slug"], "name": c["name"], "description": c.get("description", ""),
                               "position": i, "translations": found["category"].get(c["slug"], {})}
                              for i, c in enumerate(data["categories"])])
    _upsert_simple(Contraindication, [{"slug": c["slug"], "label": c["label"], "question": c["question"],
                                       "translations": found["contraindication"].get(c["slug"], {})}
                                      for c in data["contraindications"]])
    for item in data["treatments"]:
        item["translations"] = found["treatment"].get(item["slug"], {})
    categories = {c.slug: c for c in Category.objects.all()}
    created, updated = _upsert_treatments(data["treatments"], categories)
    ids = dict(Treatment.objects.values_list("slug", "id"))
    contra_ids = dict(Contraindication.objects.values_list("slug", "id"))
    owners = {ids[t["slug"]] for t in data["treatments"]}
    _sync_links(Treatment.contraindications.through, "treatment_id", "contraindication_id",
                {(ids[t["slug"]], contra_ids[s]) for t in data["treatments"] for s in t["contraindications"]}, owners)
    _sync_links(Treatment.alternatives.through, "from_treatment_id", "to_treatment_id",
                {(ids[t["slug"]], ids[s]) for t in data["treatments"] for s in t["alternatives"]}, owners)
    return LoadReport(
        categories=len(data["categories"]),
        contraindications=len(data["contraindications"]),
        treatments=len(data["treatments"]),
        guides=sum(1 for t in data["treatments"] if t.get("guide", {}).get("what") and t["guide"].get("how")),
        created=created,
        updated=updated,
        stale=sorted(set(ids) - {t["slug"] for t in data["treatments"]}),
        unknown_translations=unknown_translations(data, found),
    )
