"""Understanding "what" against the real catalogue: typos, synonyms, concerns, variants."""

from __future__ import annotations

import pytest

from pamper.catalog.models import Treatment
from pamper.search import understand
from pamper.search.text import fold, squash

pytestmark = pytest.mark.usefixtures("catalogue")


@pytest.mark.parametrize(("text", "slug"), [
    ("mesotherapy", "mesotherapy"),
    ("mesotherepy", "mesotherapy"),
    ("meso therapy", "mesotherapy"),
    ("Mesotherapy", "mesotherapy"),
    ("MÉSOTHÉRAPIE", "mesotherapy"),
    ("mesolift", "mesotherapy"),
    ("gel nails", "gel-manicure"),
    ("balayage", "balayage"),
    ("balayge", "balayage"),
    ("brazilian wax", "brazilian-wax"),
    ("brazillian wax", "brazilian-wax"),
    ("botox", "anti-wrinkle-injections"),
    ("cheap botox near me", "anti-wrinkle-injections"),
    ("microbalding", "microblading"),
])
def test_typos_synonyms_and_accents_find_the_treatment(text, slug):
    assert understand.understand(text).treatment.slug == slug


def test_a_typo_says_what_was_understood():
    meant = understand.understand("mesotherepy")
    assert meant.understood_as == "Showing Mesotherapy for 'mesotherepy'"


def test_the_exact_name_needs_no_explanation():
    assert understand.understand("Mesotherapy").understood_as == "Showing Mesotherapy"


def test_a_concern_finds_mesotherapy_among_the_treatments_for_it():
    meant = understand.understand("cellulite")
    offered = [meant.treatment.slug, *(t.slug for t in meant.alternatives)]
    assert "mesotherapy" in offered
    assert meant.kind == "condition"
    assert "treatments for 'cellulite'" in meant.understood_as
    for_cellulite = {t.slug for t in Treatment.objects.all() if "cellulite" in t.conditions}
    assert set(offered) <= for_cellulite and len(offered) > 1


@pytest.mark.parametrize("text", ["needle free mesotherapy", "needle-free mesotherapy", "no needles"])
def test_needle_free_is_understood_as_mesotherapy_preferring_the_variant(text):
    meant = understand.understand(text)
    assert meant.treatment.slug == "mesotherapy"
    assert meant.variant == "needle-free"
    assert "needle-free preferred" in meant.understood_as


def test_a_variant_in_the_name_itself_is_not_a_preference():
    assert understand.understand("brazilian wax").variant is None
    assert understand.understand("hollywood wax").variant == "hollywood"


def test_text_that_matches_nothing_gets_suggestions_not_a_guess():
    meant = understand.understand("xyzzy qwerty")
    assert meant.treatment is None and meant.understood_as is None
    assert meant.suggestions


def test_a_near_miss_is_offered_as_a_suggestion():
    meant = understand.understand("mesothrpy lft")
    names = [t.slug for t in meant.suggestions] if meant.treatment is None else [meant.treatment.slug]
    assert "mesotherapy" in names


def test_autocomplete_completes_the_start_of_a_name():
    hits = understand.suggest_treatments("meso")
    assert hits[0].treatment.slug == "mesotherapy"
    assert understand.suggest_treatments("bal")[0].treatment.slug == "balayage"
    assert understand.suggest_treatments("") == []


def test_the_matcher_follows_catalogue_changes():
    assert understand.understand("glowdrops").treatment is None
    meso = Treatment.objects.get(slug="mesotherapy")
    meso.synonyms = [*meso.synonyms, "glowdrops"]
    meso.save()
    assert understand.understand("glowdrops").treatment.slug == "mesotherapy"


def test_folding():
    assert fold("  Épilation à la CIRE! ") == "epilation a la cire"
    assert fold("Straße") == "strasse" and fold("Tromsø") == "tromso"
    assert squash("meso-therapy") == squash("Mesotherapy")
