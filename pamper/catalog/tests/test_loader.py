"""The catalogue files load, are consistent, carry the facts the product promises, and reload idempotently."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from pamper.catalog.loader import DATA_DIR, CatalogueError, check_catalogue, load_catalogue, read_catalogue
from pamper.catalog.models import Category, Contraindication, Treatment

REQUIRED_CATEGORIES = ["hair", "nails", "face", "body", "massage", "hair-removal", "brows-lashes", "aesthetics",
                       "wellness"]
FORTY_EIGHT_HOUR_TREATMENTS = ["hair-colour", "highlights", "balayage", "eyelash-tint", "eyebrow-tint", "lash-lift",
                               "brow-lamination", "henna-brows"]
# Every fact of /work/shared/product/mesotherapy-facts.md, as words the guide must contain.
MESOTHERAPY_FACTS = [
    "mesoderm", "middle layer of the skin", "vitamins", "minerals", "amino acids", "homeopathic",
    "tailor", "mesos", "therapeia", "Dr Michel Pistor", "1958", "French press", "French Academy of Medicine",
    "1987", "medical specialty", "no solid scientific or medical evidence that it works", "cellulite",
    "aminophylline", "emphysema", "isoproterenol", "break down fat", "mesolift", "vitamin D", "collagen", "elastin",
    "metabolism", "circulation", "Toning", "weight loss", "consultation", "doctor", "medical-history", "photos",
    "two small test injections", "at least 24 hours", "4-6 mm", "10-20 minutes", "topical anaesthetic",
    "course", "diet and activity", "not a preventive treatment", "15-20 minutes", "1-5 days", "discolouration",
    "chemical peel", "infection", "everyday activities", "creams", "targeted exercise", "one-size-fits-all",
    "needle-free", "electric roller", "Eporex",
]


def snapshot() -> dict[str, Any]:
    """Everything the loader writes, by primary key, for before/after comparison."""
    return {
        "categories": list(Category.objects.order_by("pk").values()),
        "contraindications": list(Contraindication.objects.order_by("pk").values()),
        "treatments": list(Treatment.objects.order_by("pk").values()),
        "contra_links": sorted(
            Treatment.contraindications.through.objects.values_list("pk", "treatment_id", "contraindication_id")),
        "alt_links": sorted(
            Treatment.alternatives.through.objects.values_list("pk", "from_treatment_id", "to_treatment_id")),
    }


def copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_the_files_load_with_enough_categories_treatments_and_guides(catalogue):
    assert catalogue.categories >= 9
    assert catalogue.treatments >= 60
    assert catalogue.guides >= 15
    assert Treatment.objects.count() == catalogue.treatments
    assert sum(1 for t in Treatment.objects.all() if t.has_guide) == catalogue.guides
    assert set(REQUIRED_CATEGORIES) <= set(Category.objects.values_list("slug", flat=True))
    for category in Category.objects.all():
        assert category.treatments.count() >= 5, category.slug


def test_every_contraindication_and_alternative_slug_resolves(catalogue):
    data = read_catalogue()
    assert check_catalogue(data) == []
    for item in data["treatments"]:
        treatment = Treatment.objects.get(slug=item["slug"])
        assert sorted(treatment.contraindications.values_list("slug", flat=True)) == sorted(item["contraindications"])
        assert sorted(treatment.alternatives.values_list("slug", flat=True)) == sorted(item["alternatives"])
        assert treatment.slug not in item["alternatives"]


def test_every_treatment_has_full_structured_data(catalogue):
    for t in Treatment.objects.all():
        assert t.summary and t.synonyms and t.conditions and t.downtime and t.aftercare and t.evidence, t.slug
        assert 5 <= t.session_minutes <= 240, t.slug
        assert t.course_sessions >= 1, t.slug
        if t.course_sessions > 1:
            assert t.course_interval_days, t.slug
        assert 0 < t.price_from <= t.price_to, t.slug
        assert (t.patch_test_lead_hours is None) == (t.patch_test_validity_days is None), t.slug


def test_guides_have_every_section_with_real_prose(catalogue):
    for t in Treatment.objects.all():
        if not t.has_guide:
            continue
        sections = dict(t.guide_sections())
        assert list(sections) == ["What it is", "How it works", "Is it for me?", "Good to know", "Aftercare"], t.slug
        assert sum(len(text.split()) for text in sections.values()) >= 350, t.slug
        for heading, text in sections.items():
            assert len([p for p in text.split("\n\n") if p.strip()]) >= 2, (t.slug, heading)


def test_uk_everyday_words_are_synonyms(catalogue):
    def names(slug: str) -> set[str]:
        t = Treatment.objects.get(slug=slug)
        return {t.name.lower(), *(s.lower() for s in t.synonyms)}

    assert {"gel nails", "shellac"} <= names("gel-manicure")
    assert "balayage" in names("balayage")
    assert {"brazilian wax", "brazilian"} <= names("brazilian-wax")
    assert {"botox", "anti-wrinkle injections"} <= names("anti-wrinkle-injections")


@pytest.mark.parametrize("slug", FORTY_EIGHT_HOUR_TREATMENTS)
def test_colour_and_tint_treatments_need_a_48_hour_patch_test_valid_six_months(catalogue, slug):
    treatment = Treatment.objects.get(slug=slug)
    assert treatment.patch_test_lead_hours == 48
    assert treatment.patch_test_validity_days == 180


def test_mesotherapy_pathway_data(catalogue):
    meso = Treatment.objects.get(slug="mesotherapy")
    assert meso.consultation_required is True
    assert (meso.patch_test_lead_hours, meso.patch_test_validity_days) == (24, 180)
    assert meso.variants == ["needle-free"]
    assert meso.course_sessions >= 4 and 7 <= meso.course_interval_days <= 14
    assert {"cellulite", "skin rejuvenation", "mesolift", "sagging skin", "loose skin",
            "toning"} <= set(meso.conditions)
    assert {"meso therapy", "mesolift", "needle-free mesotherapy", "no needles"} <= set(meso.synonyms)
    assert meso.has_guide
    assert "no solid scientific or medical evidence" in meso.evidence


@pytest.mark.parametrize("fact", MESOTHERAPY_FACTS)
def test_mesotherapy_guide_carries_every_fact(catalogue, fact):
    meso = Treatment.objects.get(slug="mesotherapy")
    guide = " ".join(text for _, text in meso.guide_sections())
    assert fact.lower() in guide.lower()


def test_loading_twice_changes_nothing(catalogue):
    before = snapshot()
    again = load_catalogue()
    assert (again.created, again.updated, again.stale) == (0, 0, [])
    assert snapshot() == before


def test_reload_applies_edits_and_keeps_removed_treatments(catalogue, tmp_path):
    data_dir = copy_data(tmp_path)
    path = data_dir / "treatments" / "hair.toml"
    text = path.read_text()
    text = text.replace('name = "Blow-dry"', 'name = "Blow-dry and style"')
    text = text.replace('alternatives = ["haircut", "keratin-smoothing"]', 'alternatives = ["haircut"]')
    path.write_text(text)
    (data_dir / "treatments" / "wellness.toml").write_text(
        (data_dir / "treatments" / "wellness.toml").read_text().replace('slug = "reiki"', 'slug = "reiki-healing"'))

    report = load_catalogue(data_dir)

    blow_dry = Treatment.objects.get(slug="blow-dry")
    assert blow_dry.name == "Blow-dry and style"
    assert list(blow_dry.alternatives.values_list("slug", flat=True)) == ["haircut"]
    assert (report.created, report.updated) == (1, 1)
    assert report.stale == ["reiki"]
    assert Treatment.objects.filter(slug="reiki").exists()


def test_removing_an_optional_key_clears_it(catalogue, tmp_path):
    data_dir = copy_data(tmp_path)
    path = data_dir / "treatments" / "brows-lashes.toml"
    text = path.read_text()
    start = text.index('slug = "henna-brows"')
    end = text.index("[[treatment]]", start)
    block = text[start:end].replace("patch_test_lead_hours = 48\n", "").replace("patch_test_validity_days = 180\n", "")
    path.write_text(text[:start] + block + text[end:])

    load_catalogue(data_dir)

    henna = Treatment.objects.get(slug="henna-brows")
    assert (henna.patch_test_lead_hours, henna.patch_test_validity_days) == (None, None)


@pytest.mark.django_db
def test_inconsistent_files_raise_every_problem_and_write_nothing(tmp_path):
    data_dir = copy_data(tmp_path)
    path = data_dir / "treatments" / "nails.toml"
    text = path.read_text()
    text = text.replace('contraindications = ["skin-infection"]\nalternatives = ["gel-manicure", "builder-gel-nails"]',
                        'contraindications = ["no-such-thing"]\nalternatives = ["gel-manicure", "unicorn-facial"]')
    path.write_text(text)

    with pytest.raises(CatalogueError) as caught:
        load_catalogue(data_dir)

    assert any("no-such-thing" in p for p in caught.value.problems)
    assert any("unicorn-facial" in p for p in caught.value.problems)
    assert Treatment.objects.count() == 0 and Category.objects.count() == 0


@pytest.mark.django_db
def test_invalid_toml_is_a_catalogue_error(tmp_path):
    data_dir = copy_data(tmp_path)
    (data_dir / "treatments" / "face.toml").write_text("[[treatment]\nslug = ")
    with pytest.raises(CatalogueError, match="cannot read"):
        load_catalogue(data_dir)


@pytest.mark.django_db
def test_missing_keys_and_bad_prices_are_reported(tmp_path):
    data_dir = copy_data(tmp_path)
    (data_dir / "treatments" / "extra.toml").write_text(
        '[[treatment]]\nslug = "odd"\nname = "Odd"\ncategory = "nails"\nprice_from = 50\nprice_to = 10\n'
        'patch_test_lead_hours = 48\n')
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(data_dir)
    problems = "\n".join(caught.value.problems)
    assert "missing 'summary'" in problems
    assert "price_from is above price_to" in problems
    assert "patch_test_lead_hours and patch_test_validity_days together" in problems


@pytest.mark.django_db
def test_loading_is_fast():
    started = time.perf_counter()
    load_catalogue()
    load_catalogue()
    assert time.perf_counter() - started < 2.0


@pytest.mark.django_db
def test_command_reports_counts_and_refuses_broken_files(tmp_path, capsys):
    call_command("load_catalog")
    out = capsys.readouterr().out
    count = Treatment.objects.count()
    assert f"{count} treatments" in out and "with a full guide" in out

    broken = copy_data(tmp_path)
    (broken / "treatments" / "hair.toml").write_text('[[treatment]]\nslug = "x"\n')
    with pytest.raises(CommandError, match="missing"):
        call_command("load_catalog", "--data-dir", str(broken))
