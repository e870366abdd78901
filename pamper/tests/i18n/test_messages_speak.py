"""What a page says after something happened (a booking made, a visit cancelled, too many sign-in attempts) and a new
owner's checklist come in the page's language: these sentences were English on every page, because they were built
in views and actions without gettext (unmarked.sentences_in_python now finds such sentences)."""

from __future__ import annotations

import datetime as dt

from django.contrib.messages import get_messages
from django.test import Client

from pamper.accounts import lockout
from pamper.bookings.models import Booking, Status
from pamper.tests.factories import BookingFactory, UserFactory
from pamper.tests.world import NOW, World, at
from pamper.venues.models import Venue


def said(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_confirmed_booking_says_so_in_french(world: World) -> None:
    held = BookingFactory(customer=world.customer, service=world.facial_service, staff=world.staff, start=at(4, 10),
                          status=Status.HELD, hold_expires_at=NOW + dt.timedelta(minutes=10))
    answer = world.browser("customer").post(f"/fr/bookings/{held.pk}/checkout/", {"notes": ""})
    assert answer.status_code == 302 and Booking.objects.get(pk=held.pk).status == Status.CONFIRMED
    assert said(answer) == ["C'est réservé. Nous vous avons envoyé les détails par e-mail."]


def test_the_workspace_says_what_it_did_in_german(world: World) -> None:
    client = world.treated(world.customer)  # so the practitioner below may open the record
    visit = BookingFactory(client=client, customer=world.customer, service=world.facial_service, staff=world.staff,
                           start=at(4, 10), status=Status.CONFIRMED)
    owner = world.browser("owner")
    answer = owner.post(f"/de/partner/{world.venue.pk}/bookings/{visit.pk}/cancel/", {"reason": "Krank"})
    assert answer.status_code == 302
    assert said(answer) == [f"Termin von {client.name} storniert. Die Zeit ist wieder frei."]
    # A practitioner reads the client's record but may not edit its details: the refusal is German too.
    refused = world.browser("practitioner").post(f"/de/partner/{world.venue.pk}/clients/{client.pk}/",
                                                 {"name": "X"})
    assert refused.status_code == 403
    assert "Ihre Rolle erlaubt es nicht, Kundendaten zu bearbeiten." in refused.content.decode()


def test_a_new_venues_checklist_reads_in_german(world: World) -> None:
    Venue.objects.filter(pk=world.venue.pk).update(is_published=False)
    page = world.browser("owner").get(f"/de/partner/{world.venue.pk}/").content.decode()
    for step in ("Öffnungszeiten", "Eine Leistung mit Preis", "Ein Teammitglied, das sie ausführt",
                 "Seine oder ihre Wochenschichten"):
        assert step in page, step
    assert "A team member who performs it" not in page


def test_too_many_sign_in_attempts_say_so_in_spanish(client: Client, db, frozen) -> None:  # type: ignore[no-untyped-def]
    UserFactory(email="nora@example.com", password="correct horse battery staple", name="Nora")
    for attempt in range(lockout.MAX_PER_ACCOUNT):
        client.post("/es/accounts/login/", {"email": "nora@example.com", "password": f"guess-{attempt}"},
                    REMOTE_ADDR=f"198.51.100.{attempt}")
    locked = client.post("/es/accounts/login/", {"email": "nora@example.com", "password": "guess"},
                         REMOTE_ADDR="192.0.2.77")
    assert locked.status_code == 429
    assert "Demasiados intentos de inicio de sesión en esta cuenta. Por tu seguridad" in locked.content.decode()
