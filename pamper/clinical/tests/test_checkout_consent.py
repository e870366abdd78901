"""Consent is a step of the pathway checkout, after the questionnaire and before the consultation; the signed
version is kept, so the practitioner can then record the session."""

from __future__ import annotations

import html

from pamper.clinical import actions
from pamper.clinical.models import Consent, TreatmentSession
from pamper.tests.world import NOW, World, at
from pamper.venues.models import Client

from .planting import _consultation_booking


def test_the_checkout_asks_for_consent_then_the_session_can_be_recorded(world: World) -> None:
    browser, checkout = world.browser("customer"), f"/book/pathway/{world.meso_service.pk}/"
    actions.submit_questionnaire(user=world.customer, venue=world.venue, treatment=world.meso, version=None, now=NOW,
                                 answers={"pregnancy": False, "blood-thinners": False})
    page = browser.get(checkout).content.decode()
    assert 'data-step="consent"' in page and "Read and sign the consent form" in page
    refused = browser.post(checkout, {"consultation_start": "2026-03-03T10:00:00+00:00",
                                      "treatment_start": "2026-03-05T10:00:00+00:00"})
    assert refused.status_code == 302 and refused["Location"] == checkout  # no booking before the consent
    signed = browser.post(f"/account/health/consent/{world.venue.pk}/{world.meso.pk}/",
                          {"version": 1, "typed_name": "Customer Person", "agree": "on", "next": checkout})
    assert signed.status_code == 302 and signed["Location"] == checkout
    assert 'data-step="consultation"' in browser.get(checkout).content.decode()
    consent = Consent.objects.get()
    assert (consent.text.treatment_id, consent.text.version, consent.typed_name) == (world.meso.pk, 1,
                                                                                     "Customer Person")

    client = world.treated(world.customer)
    Client.objects.filter(pk=client.pk).update(created_at=at(1, 8))
    booking = _consultation_booking(world, client, at(1, 12))
    recorded = world.browser("practitioner").post(
        f"/partner/clinical/{world.venue.pk}/clients/{client.pk}/session/",
        {"treatment": world.meso.pk, "booking": booking.pk, "performed_at": "2026-03-01T12:10"})
    assert recorded.status_code == 302, recorded.content.decode()[:500]
    assert TreatmentSession.objects.filter(course__client=client).count() == 1


def test_a_reader_of_another_language_reads_the_consent_in_it_and_signs_the_english_version(world: World) -> None:
    """The consent page showed its form in French around an English-only medical text: a customer was asked to
    sign what they might not be able to read. The page now gives a translated copy to read, says that the English
    version is the one signed, and shows that too; the signature still points at the English version."""
    browser = world.browser("customer")
    url = f"/fr/account/health/consent/{world.venue.pk}/{world.meso.pk}/"
    page = html.unescape(browser.get(url).content.decode())
    assert "Je confirme que :" in page and "résultats varient d'une personne à l'autre" in page
    assert "Vous signez la version anglaise" in page
    assert "I confirm that:" in page  # the English version, under the translation
    english = browser.get(url.removeprefix("/fr")).content.decode()
    assert "I confirm that:" in english and "Je confirme" not in english and "translation for you" not in english
    signed = browser.post(url, {"version": 1, "typed_name": "Customer Person", "agree": "on"})
    assert signed.status_code == 302
    assert Consent.objects.get().text.body.count("I confirm that:") == 1
