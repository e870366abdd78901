"""The treatments A–Z, category pages and guide pages, as a visitor sees them."""

from __future__ import annotations

import re

import pytest

from pamper.catalog.models import Category, Treatment

pytestmark = pytest.mark.usefixtures("catalogue")

# A script that runs inline (data blocks, JSON and JSON-LD, never run: the CSP does not cover them).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.IGNORECASE)


def html(response) -> str:
    return response.content.decode()


def test_a_to_z_groups_treatments_by_category_with_anchor_links(client):
    response = client.get("/treatments/")
    page = html(response)
    assert response.status_code == 200
    for category in Category.objects.all():
        assert f'href="#{category.slug}"' in page
        assert f'id="{category.slug}"' in page
    for treatment in Treatment.objects.all():
        assert f'href="/treatments/{treatment.slug}/"' in page
    # Alphabetical within a category.
    hair = page[page.index('id="hair"'):page.index('id="nails"')]
    assert hair.index("Balayage") < hair.index("Hair colour") < hair.index("Men&#x27;s haircut")


def test_category_page_lists_its_treatments(client):
    response = client.get("/treatments/category/brows-lashes/")
    page = html(response)
    assert response.status_code == 200
    assert "Eyelash tint" in page and "Lash lift" in page
    assert "Balayage" not in page


def test_unknown_category_is_the_site_404(client):
    response = client.get("/treatments/category/nope/")
    assert response.status_code == 404
    assert "We couldn" in html(response)


def test_mesotherapy_guide_page_shows_the_promised_facts(client):
    response = client.get("/treatments/mesotherapy/")
    page = html(response)
    assert response.status_code == 200
    for text in ["<h1", "Mesotherapy", "What it is", "How it works", "Is it for me?", "Good to know", "Aftercare",
                 "at least 24 hours", "4-6 mm", "10-20 minutes", "1-5 days", "Dr Michel Pistor", "1958", "1987",
                 "no solid scientific or medical evidence that it works", "Eporex", "needle-free",
                 "Consultation first", "Required before the first treatment", "6 sessions, at least 7 days apart",
                 "£75–£350 a session", "Not for you if", "Pregnant or breastfeeding", "What the evidence says"]:
        assert text in page, text
    assert 'href="/treatments/microneedling/"' in page  # an alternative


def test_guide_page_has_a_find_near_you_form(client):
    page = html(client.get("/treatments/mesotherapy/"))
    form = page[page.index('<form id="find" class="card find-near"'):]
    form = form[:form.index("</form>")]
    assert 'method="get"' in form and 'action="/search/"' in form
    assert "Find Mesotherapy near you" in form
    assert 'name="near"' in form and '<label for="find-near">' in form
    assert 'name="lat"' in form and 'name="lng"' in form and "data-locate" in form
    assert '<option value="Mesotherapy">' in form and '<option value="Mesotherapy needle-free">' in form
    assert "/static/catalog/locate.js" in page


def test_a_treatment_without_variants_sends_its_name(client):
    page = html(client.get("/treatments/eyebrow-tint/"))
    assert '<input type="hidden" name="q" value="Eyebrow tint">' in page
    assert "Find Eyebrow tint near you" in page


@pytest.mark.parametrize("slug", ["hair-colour", "eyelash-tint", "eyebrow-tint", "balayage"])
def test_colour_and_tint_pages_state_the_48_hour_patch_test(client, slug):
    page = html(client.get(f"/treatments/{slug}/"))
    assert "Patch test at least 48 hours before" in page
    assert "Required at least 48 hours before the treatment" in page


def test_a_treatment_without_a_guide_still_gets_a_useful_page(client):
    treatment = Treatment.objects.get(slug="haircut")
    assert not treatment.has_guide
    response = client.get("/treatments/haircut/")
    page = html(response)
    assert response.status_code == 200
    assert treatment.summary in page
    assert "About 1 hour" in page and "Aftercare checklist" in page
    assert "We have not written a full guide" in page
    assert "Find Haircut and blow-dry near you" in page
    assert "What it is" not in page


def test_every_treatment_page_renders_without_inline_scripts(client, django_assert_max_num_queries):
    for slug in Treatment.objects.values_list("slug", flat=True):
        with django_assert_max_num_queries(6):
            response = client.get(f"/treatments/{slug}/")
        assert response.status_code == 200, slug
        assert not INLINE_SCRIPT.search(html(response)), slug
        assert 'style="' not in html(response), slug


@pytest.mark.parametrize("path", ["/treatments/no-such-thing/", "/treatments/MESOTHERAPY/"])
def test_unknown_treatment_is_the_site_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "We couldn" in html(response)
