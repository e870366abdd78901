"""Load the catalogue from the versioned TOML files in pamper/catalog/data/.

Layout:
    data/categories.toml         [[category]] slug, name, description
    data/contraindications.toml  [[contraindication]] slug, label, question
    data/treatments/<category>.toml   [[treatment]] with the Treatment fields;
        `category` defaults to the file's stem; `contraindications` and
        `alternatives` are lists of slugs; `guide` is a table with the keys
        what, how, for_me, good_to_know, aftercare.

Loading is an idempotent upsert by slug; rows no longer in the files are kept
(venues may still offer them) but reported.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from .models import Category, Contraindication, Treatment

DATA_DIR = Path(__file__).parent / "data"
GUIDE_FIELDS = {"what": "guide_what", "how": "guide_how", "for_me": "guide_for_me",
                "good_to_know": "guide_good_to_know", "aftercare": "guide_aftercare"}
SCALAR_FIELDS = ["name", "summary", "synonyms", "conditions", "variants", "session_minutes", "course_sessions",
                 "course_interval_days", "downtime", "side_effects", "aftercare", "consultation_required",
                 "patch_test_lead_hours", "patch_test_validity_days", "evidence"]


@dataclass
class LoadReport:
    categories: int
    contraindications: int
    treatments: int
    guides: int


def read_catalogue(data_dir: Path = DATA_DIR) -> dict[str, list[dict[str, Any]]]:
    """The parsed TOML files as {'categories': [...], 'contraindications': [...], 'treatments': [...]}."""
    categories = tomllib.loads((data_dir / "categories.toml").read_text())["category"]
    contraindications = tomllib.loads((data_dir / "contraindications.toml").read_text())["contraindication"]
    treatments: list[dict[str, Any]] = []
    for path in sorted((data_dir / "treatments").glob("*.toml")):
        for item in tomllib.loads(path.read_text()).get("treatment", []):
            item.setdefault("category", path.stem)
            treatments.append(item)
    return {"categories": categories, "contraindications": contraindications, "treatments": treatments}


def _treatment_fields(item: dict[str, Any]) -> dict[str, Any]:
    fields = {name: item[name] for name in SCALAR_FIELDS if name in item}
    fields["price_from"] = Decimal(str(item["price_from"]))
    fields["price_to"] = Decimal(str(item["price_to"]))
    for key, field in GUIDE_FIELDS.items():
        fields[field] = item.get("guide", {}).get(key, "").strip()
    return fields


@transaction.atomic
def load_catalogue(data_dir: Path = DATA_DIR) -> LoadReport:
    """Upsert every category, contraindication and treatment from data_dir."""
    data = read_catalogue(data_dir)
    for position, item in enumerate(data["categories"]):
        Category.objects.update_or_create(
            slug=item["slug"], defaults={"name": item["name"], "description": item.get("description", ""), "position": position}
        )
    for item in data["contraindications"]:
        Contraindication.objects.update_or_create(
            slug=item["slug"], defaults={"label": item["label"], "question": item["question"]}
        )
    categories = {c.slug: c for c in Category.objects.all()}
    contras = {c.slug: c for c in Contraindication.objects.all()}
    by_slug: dict[str, Treatment] = {}
    for item in data["treatments"]:
        treatment, _ = Treatment.objects.update_or_create(
            slug=item["slug"], defaults={"category": categories[item["category"]], **_treatment_fields(item)}
        )
        treatment.contraindications.set([contras[s] for s in item.get("contraindications", [])])
        by_slug[treatment.slug] = treatment
    for item in data["treatments"]:
        by_slug[item["slug"]].alternatives.set([by_slug[s] for s in item.get("alternatives", []) if s in by_slug])
    return LoadReport(
        categories=len(data["categories"]),
        contraindications=len(data["contraindications"]),
        treatments=len(by_slug),
        guides=sum(1 for t in by_slug.values() if t.has_guide),
    )
