"""In Chromium, in French and in German: read a treatment guide on the local prefix, search in the local language,
book from the venue page,
and receive the confirmation email in that language through a real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from pamper.bookings.models import Booking, Status
from pamper.bookings.tests import helpers as h
from pamper.lib import clock
from pamper.notifications.tests.conftest import smtp  # noqa: F401 (the real SMTP server fixture)
from pamper.venues.actions.common import reindex

WORDS = {
    "fr": {"book": "Réserver Cut and finish", "heading": "Réserver chez {venue}", "almost": "Presque fini",
           "signin": "Se connecter et continuer",
           "confirm_heading": "Confirmez votre réservation", "confirm": "Confirmer la réservation",
           "guide": "Trouver {treatment} près de chez vous", "subject": "Réservation confirmée : {venue} le",
           "body": "Votre réservation chez {venue} est confirmée.", "price": "45 £GB",
           "name": "Coupe et brushing", "query": "coupe brushing", "left": r"^\(encore \d+:\d\d\)$",
           "booked": "C'est réservé. Nous vous avons envoyé les détails par e-mail."},
    "de": {"book": "Cut and finish buchen", "heading": "Bei {venue} buchen", "almost": "Fast geschafft",
           "signin": "Anmelden und weiter",
           "confirm_heading": "Buchung bestätigen", "confirm": "Buchung bestätigen",
           "guide": "{treatment} in Ihrer Nähe finden", "subject": "Buchung bestätigt: {venue} am",
           "body": "Ihre Buchung bei {venue} ist bestätigt.", "price": "45 £",
           "name": "Haarschnitt mit Föhnen", "query": "haarschnitt föhnen", "left": r"^\(noch \d+:\d\d\)$",
           "booked": "Ihr Termin ist gebucht. Die Details haben wir Ihnen per E-Mail geschickt."},
}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["fr", "de"])
def test_read_a_guide_book_and_get_the_email_in_the_local_language(live_server, page, smtp, language):  # noqa: F811
    words = WORDS[language]
    shop = h.shop()
    customer = h.customer(f"journey-{language}@example.com")
    customer.language = language  # chosen in the profile or with the switcher
    customer.save(update_fields=["language"])
    treatment = shop.cut.treatment
    treatment.translations = {language: {"name": words["name"], "synonyms": [words["query"]]}}
    treatment.save(update_fields=["translations"])
    reindex(shop.venue.pk)  # the venue in the search index
    day = clock.now().astimezone(shop.venue.tz).date() + dt.timedelta(days=3)

    # The guide, on the local prefix, in the local language.
    page.goto(f"{live_server.url}/{language}/treatments/{treatment.slug}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_text(words["guide"].format(treatment=words["name"])).first).to_be_visible()

    # Search in the local language, then open the venue from the results.
    page.goto(f"{live_server.url}/{language}/search/?q={words['query']}&near=London")
    results = page.locator("main")
    expect(results).to_contain_text(words["name"])
    results.locator(f"a[href*='/venues/{shop.venue.slug}/']").first.click()
    assert f"/{language}/venues/{shop.venue.slug}/" in page.url

    # Book from the venue page: every step in the language, links staying under the prefix.
    page.get_by_role("link", name=words["book"]).click()
    expect(page.get_by_role("heading", name=words["heading"].format(venue=shop.venue.name))).to_be_visible()
    assert f"/{language}/venues/" in page.url
    page.locator(f"label.day:has(input[value='{day:%Y-%m-%d}'])").click()
    # The day's own 10:00, not the one of the grid htmx is about to replace.
    page.locator(f"#slots button[value^='{day:%Y-%m-%d}T10:00']").click()

    expect(page.get_by_role("heading", name=words["almost"])).to_be_visible()
    form = page.locator("#signin-form")
    form.locator("input[type=email]").fill(customer.email)
    form.locator("input[type=password]").first.fill(h.PASSWORD)
    form.get_by_role("button", name=words["signin"]).click()

    expect(page.get_by_role("heading", name=words["confirm_heading"])).to_be_visible()
    expect(page.locator("[data-hold-left]")).to_have_text(re.compile(words["left"]))  # the hold's countdown
    page.get_by_role("button", name=words["confirm"]).click()
    expect(page.get_by_test_id("when")).to_contain_text("10:00")
    expect(page.get_by_text(words["booked"])).to_be_visible()
    assert f"/{language}/bookings/" in page.url
    assert Booking.objects.get().status == Status.CONFIRMED

    smtp.inbox.wait_for(1)
    [mail] = smtp.inbox.to(customer.email)
    assert mail["Subject"].strip().startswith(words["subject"].format(venue=shop.venue.name))
    body = mail.get_body(preferencelist=("plain",)).get_content().replace("\xa0", " ").replace("\u202f", " ")
    assert words["body"].format(venue=shop.venue.name) in body
    assert words["price"] in body
