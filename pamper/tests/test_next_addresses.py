"""A `next` address a person brings with them sends them back only to a path on this site.

The consent form, the questionnaire and the favourite heart checked `next` for another host alone, so a bare
word (`next=foo`) reached Django's redirect(), which reads it as a URL name: a 500 after the consent was signed
or the favourite kept. Every page now reads `next` through pamper.lib.nexturl.next_path; a source walk keeps it
the only reader.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pamper.tests.world import World

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[1]  # the pamper package
BAD = ["foo", "bookings:mine", "//evil.example/", "https://evil.example/x", "javascript:alert(1)", " /x"]


@pytest.mark.parametrize("target", BAD)
def test_consent_questionnaire_and_favourite_go_home_for_a_next_off_the_site(world: World, target: str) -> None:
    browser = world.browser("customer")
    consent = browser.post(f"/account/health/consent/{world.venue.pk}/{world.meso.pk}/",
                           {"version": 1, "typed_name": "Customer Person", "agree": "on", "next": target})
    assert consent.status_code == 302 and consent["Location"] == "/account/health/"
    form = browser.get(f"/account/health/questionnaire/{world.venue.pk}/{world.meso.pk}/")
    version = form.context["version"]
    answers = {q["slug"]: ("no" if q["kind"] == "yesno" else "") for q in version.questions}
    done = browser.post(f"/account/health/questionnaire/{world.venue.pk}/{world.meso.pk}/?next={target}",
                        {"version": version.version, **answers})
    assert done.status_code == 302 and done["Location"] == "/account/health/"
    heart = browser.post(f"/venues/{world.venue.slug}/favourite/", {"favourite": "1", "next": target})
    assert heart.status_code == 302 and heart["Location"] == f"/venues/{world.venue.slug}/"


def test_a_path_on_the_site_is_followed(world: World) -> None:
    heart = world.browser("customer").post(f"/venues/{world.venue.slug}/favourite/",
                                           {"favourite": "1", "next": "/account/favourites/"})
    assert heart.status_code == 302 and heart["Location"] == "/account/favourites/"


def test_next_is_checked_in_one_place() -> None:
    """Django's url_has_allowed_host_and_scheme lets a bare word through: only next_path may call it."""
    callers = sorted(str(path.relative_to(SOURCE)) for path in SOURCE.rglob("*.py")
                     if "url_has_allowed_host_and_scheme" in path.read_text(encoding="utf-8")
                     and "tests" not in path.parts)
    assert callers == ["lib/nexturl.py"]
