"""The seven languages: URL prefixes, the switcher, hreflang, the API's Accept-Language, stored languages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from pamper.lib.languages import from_accept_language, message_language
from pamper.tests.factories import UserFactory, VenueFactory

PREFIXES = {"en": "", "fr": "/fr", "de": "/de", "es": "/es", "it": "/it", "nl": "/nl", "pt": "/pt"}


@pytest.mark.django_db
@pytest.mark.parametrize("code", list(PREFIXES))
def test_each_language_has_its_prefix_lang_and_alternates(client: Client, code: str) -> None:
    response = client.get(f"{PREFIXES[code]}/treatments/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}">' in html
    assert response["Content-Language"] == code
    for other, prefix in PREFIXES.items():
        assert f'<link rel="alternate" hreflang="{other}" href="{prefix}/treatments/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="/treatments/">' in html
    # The switcher on every page: a labelled select and a button, the current language chosen.
    assert 'name="language"' in html and 'for="language-choice"' in html
    assert f'<option value="{code}" lang="{code}" selected>' in html


@pytest.mark.django_db
def test_english_is_unprefixed_and_an_unknown_prefix_is_a_404(client: Client) -> None:
    assert client.get("/en/treatments/").status_code == 404
    assert client.get("/xx/treatments/").status_code == 404
    # A French browser at / still reads English: the prefix alone decides.
    response = client.get("/treatments/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_links_inside_a_french_page_stay_french(client: Client) -> None:
    html = client.get("/fr/treatments/").content.decode()
    assert 'href="/fr/search/"' in html
    assert 'href="/search/"' not in html


@pytest.mark.django_db
def test_switcher_goes_to_the_same_page_and_stores_a_signed_in_language(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.post("/i18n/language/", {"language": "de", "next": "/fr/treatments/?x=1"})
    assert response.status_code == 302 and response["Location"] == "/de/treatments/?x=1"
    user.refresh_from_db()
    assert user.language == "de"
    response = client.post("/i18n/language/", {"language": "en", "next": "/de/search/"})
    assert response["Location"] == "/search/"
    user.refresh_from_db()
    assert user.language == "en"


@pytest.mark.django_db
def test_switcher_ignores_unknown_languages_and_foreign_next(client: Client) -> None:
    user = UserFactory(language="fr")
    client.force_login(user)
    response = client.post("/i18n/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302 and "evil" not in response["Location"]
    user.refresh_from_db()
    assert user.language == "fr"
    assert client.get("/i18n/language/").status_code == 405


def test_accept_language_picks_the_first_served_language() -> None:
    assert from_accept_language("de-AT,de;q=0.9,en;q=0.5") == "de"
    assert from_accept_language("ja,pt-BR;q=0.8") == "pt"
    assert from_accept_language("ja") == "en"
    assert from_accept_language("") == "en"
    assert from_accept_language("*") == "en"


@pytest.mark.django_db
def test_message_language_prefers_the_person_then_the_venue_then_its_country() -> None:
    assert message_language("it", "fr", "FR") == "it"
    assert message_language("", "fr", "GB") == "fr"
    assert message_language("", "", "DE") == "de"
    assert message_language(None, None, "US") == "en"
    assert VenueFactory.build(country="ES", language="").message_language == "es"
    assert VenueFactory.build(country="ES", language="en").message_language == "en"


@pytest.mark.django_db
def test_api_follows_accept_language_and_keeps_its_codes(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 404
    assert response["Content-Language"] == "de"
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("code", list(PREFIXES))
def test_every_pages_language_links_match_djangos_translate_url(world, client: Client, code: str) -> None:  # type: ignore[no-untyped-def]
    """The hreflang links swap the language prefix instead of resolving and reversing the page seven times: the
    same addresses as Django's translate_url gives, for pages with and without arguments and a query string."""
    import html
    import re

    from django.urls import translate_url
    from django.utils import translation

    service = world.venue.services.order_by("id").first()
    paths = ["/", "/treatments/", f"/treatments/{world.meso.slug}/", "/search/?q=mesotherapy&radius_km=10",
             f"/venues/{world.venue.slug}/", f"/venues/{world.venue.slug}/book/?service={service.id}",
             "/accounts/login/"]
    for english in paths:
        path, _, query = f"{PREFIXES[code]}{english}".partition("?")
        response = client.get(path, {k: v for k, _, v in (p.partition("=") for p in query.split("&") if p)})
        assert response.status_code == 200, path
        links = re.findall(r'<link rel="alternate" hreflang="(\w\w)" href="([^"]+)">', response.content.decode())
        found = {other: html.unescape(href) for other, href in links}
        with translation.override(code):  # a /fr/ path resolves while French is active
            expected = {other: translate_url(path, other) + (f"?{query}" if query else "") for other in PREFIXES}
        assert found == expected, path


@pytest.mark.django_db
def test_a_page_in_english_and_french_loads_no_other_languages_catalogue(world, client: Client) -> None:  # type: ignore[no-untyped-def]
    """Each language's catalogue is loaded into the process the first time something is written in it (about
    0.65 MB each). Linking to the other languages must not load theirs: a web process serving English and French
    holds two, not seven."""
    from django.utils.translation import trans_real

    trans_real._translations.clear()
    for path in ("/", "/treatments/", "/fr/treatments/", f"/venues/{world.venue.slug}/", "/fr/search/?q=mesotherapie"):
        assert client.get(path).status_code == 200
    assert set(trans_real._translations) <= {"en", "en-us", "fr", settings.LANGUAGE_CODE}
