"""The site header and footer kept per language (venues.templatetags.site_chrome) stay right for every page: its own
address in the sign-in and language links (escaped as before), its own CSRF token, the reader's language, and a
signed-in person's own header, never a visitor's."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.test import Client
from django.utils.html import escape

from pamper.gallery.models import Photo, Role
from pamper.gallery.templatetags.gallery_tags import picture
from pamper.tests.world import World

TOKEN = re.compile(r'csrfmiddlewaretoken" value="([^"]+)"')


def test_each_page_gets_its_own_address_and_token(world: World) -> None:
    client = Client()
    for path in ("/treatments/", "/search/?q=%22%3Cb%3E&near=a+b"):
        answer = client.get(path)
        html = answer.content.decode()
        asked = answer.wsgi_request.get_full_path()
        assert f'href="/accounts/login/?next={escape(quote(asked, safe="/"))}"' in html
        assert f'<input type="hidden" name="next" value="{escape(asked)}">' in html
        tokens = TOKEN.findall(html)
        assert tokens and len(set(tokens)) == 1
        assert f'"X-CSRFToken": "{tokens[0]}"' in html
        assert "Placeholder" not in html


def test_the_chrome_speaks_the_page_language(world: World) -> None:
    html = Client().get(f"/fr/venues/{world.venue.slug}/").content.decode()
    assert 'href="/fr/treatments/"' in html and 'href="/fr/accounts/login/?next=/fr/venues/' in html
    assert '<option value="fr" lang="fr" selected>' in html
    english = Client().get(f"/venues/{world.venue.slug}/").content.decode()
    assert 'href="/treatments/"' in english and '<option value="en" lang="en" selected>' in english


def test_a_signed_in_person_reads_their_own_header(world: World) -> None:
    Client().get("/treatments/")  # a visitor's chrome is kept first
    html = world.browser("customer").get("/treatments/").content.decode()
    assert "Customer" in html and "/accounts/logout/" in html and "/accounts/login/" not in html
    tokens = TOKEN.findall(html)
    assert len(tokens) == 2 and len(set(tokens)) == 1  # sign-out and language forms, the page's one token


def test_picture_markup(world: World) -> None:
    photo = Photo(pk=7, venue=world.venue, role=Role.COVER, alt_text='The "front" room', width=960, height=540,
                  renditions={"webp": {"480": "a.webp", "960": "b.webp"},
                              "jpeg": {"960": "d.jpg", "480": "c.jpg", "1200": "e.jpg"}})
    assert picture(photo, sizes="96px", css="round") == (
        '<picture class="photo round"><source type="image/webp" srcset="/photos/7/480.webp 480w, /photos/7/960.webp '
        '960w" sizes="96px"><img src="/photos/7/960.jpeg" srcset="/photos/7/480.jpeg 480w, /photos/7/960.jpeg 960w, '
        '/photos/7/1200.jpeg 1200w" sizes="96px" alt="The &quot;front&quot; room" width="960" height="540" '
        'loading="lazy" decoding="async"></picture>')
    assert 'loading="lazy"' not in picture(photo, eager=True)
    assert picture(None) == ""


def test_the_guide_link_names_the_treatment_as_the_catalogue_writes_it(world) -> None:  # type: ignore[no-untyped-def]
    """'About hydrafacial', 'About endermologie (lpg)': the link lower-cased the treatment's name, which broke brand
    names and every German noun ('Über mesotherapie')."""
    from pamper.catalog.models import Treatment

    Treatment.objects.filter(pk=world.meso.pk).update(name="Mesotherapy (LPG) by HydraFacial")
    english = Client().get(f"/venues/{world.venue.slug}/").content.decode()
    assert "About Mesotherapy (LPG) by HydraFacial" in english
    Treatment.objects.filter(pk=world.facial.pk).update(translations={"de": {"name": "Gesichtsbehandlung"}})
    german = Client().get(f"/de/venues/{world.venue.slug}/").content.decode()
    assert "Über Gesichtsbehandlung" in german and "Über gesichtsbehandlung" not in german
