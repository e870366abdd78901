"""Form errors and refusals a customer reads come in the page's language: these were English on every page."""

from __future__ import annotations

from django.test import Client
from django.utils import translation

from pamper.bookings.forms import VisitForm
from pamper.clinical.forms import ConsentForm
from pamper.tests.world import World


def test_a_missing_consent_tick_and_a_service_not_offered_read_in_the_language_of_the_page(world: World) -> None:
    with translation.override("de"):
        consent = ConsentForm({"version": "1", "typed_name": "Ann Smith"})
        assert not consent.is_valid()
        assert consent.errors["agree"] == ["Setzen Sie das Häkchen, um zuzustimmen."]
    with translation.override("fr"):
        visit = VisitForm({"service": ["999999"]}, services=[world.facial_service], staff=[world.staff])
        assert not visit.is_valid()
        assert visit.errors["service"] == ["Cette prestation ne se réserve pas en ligne ici."]
    with translation.override("es"):
        assert VisitForm({}, services=[world.facial_service], staff=[]).errors["service"] == [
            "Elige al menos un servicio."]


def test_a_stale_reviews_page_link_says_so_in_the_language_of_the_page(world: World, client: Client) -> None:
    answer = client.get(f"/it/venues/{world.venue.slug}/reviews/?cursor=zzz")
    assert answer.status_code == 400
    assert answer.content.decode() == ("Questo link di pagina non è più valido. "
                                       "Torna alla prima pagina delle recensioni.")
