"""The booking checks cannot fail open: every path that puts a visit in the diary runs them, and with none
registered (the clinical pathway check missing) nothing is booked."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from pamper.bookings import actions, hooks
from pamper.bookings.models import Booking, BookingItem, Source, Status
from pamper.clinical import actions as clinical_actions
from pamper.clinical import pathway
from pamper.errors import Refusal
from pamper.practitioners import checks as practitioner_checks
from pamper.venues.models import ServiceKind

from . import helpers as h

pytestmark = pytest.mark.django_db

START = h.utc(2026, 5, 5, 9)  # Tuesday 10:00 in London


@contextlib.contextmanager
def unregistered(register: Any, unregister: Any, fn: Any) -> Iterator[None]:
    unregister(fn)
    try:
        yield
    finally:
        register(fn)


@contextlib.contextmanager
def refusing_check() -> Iterator[list[str]]:
    """A second check that refuses every visit and records which path asked."""
    seen: list[str] = []

    def refuse(**kwargs: Any) -> None:
        seen.append("moved" if kwargs["booking"] is not None else "new")
        raise Refusal(422, "refused_by_check", "Refused by the test's check.")

    hooks.register_booking_check(refuse)
    try:
        yield seen
    finally:
        hooks.unregister_booking_check(refuse)


def diary() -> list[tuple[int, str, dt.datetime]]:
    return list(Booking.objects.order_by("pk").values_list("pk", "status", "start"))


def test_without_the_pathway_check_no_path_books(shop: h.Shop) -> None:
    held = actions.hold_visit(venue=shop.venue, services=[shop.cut], start=START, customer=h.customer())
    booked = actions.book_visit(venue=shop.venue, services=[shop.cut], start=START + dt.timedelta(hours=2),
                                customer=h.customer())
    before = diary()
    with (unregistered(hooks.register_booking_check, hooks.unregister_booking_check, pathway.check_visit),
          unregistered(functools.partial(hooks.register_booking_check, first=True), hooks.unregister_booking_check,
                       practitioner_checks.check_visit)):
        attempts = [
            lambda: actions.book_visit(venue=shop.venue, services=[shop.colour], start=START, customer=h.customer()),
            lambda: actions.book_visit(venue=shop.venue, services=[shop.colour], start=START, client=held.client,
                                       source=Source.PARTNER),
            lambda: actions.hold_visit(venue=shop.venue, services=[shop.colour], start=START, customer=h.customer()),
            lambda: actions.confirm_hold(booking=held),
            lambda: actions.reschedule_booking(booking=booked, start=START + dt.timedelta(hours=4)),
        ]
        for attempt in attempts:
            with pytest.raises(ImproperlyConfigured, match="unchecked"):
                attempt()
    assert diary() == before
    assert Booking.objects.get(pk=held.pk).status == Status.HELD


def test_every_booking_path_runs_the_checks(shop: h.Shop, frozen: Any) -> None:
    customer = h.customer()
    held = actions.hold_visit(venue=shop.venue, services=[shop.cut], start=START, customer=customer)
    expired = actions.hold_visit(venue=shop.venue, services=[shop.cut], start=START + dt.timedelta(hours=6),
                                 customer=customer)
    booked = actions.book_visit(venue=shop.venue, services=[shop.cut], start=START + dt.timedelta(hours=2),
                                customer=customer)
    Booking.objects.filter(pk=expired.pk).update(hold_expires_at=h.utc(2026, 5, 4, 6))  # ran out an hour ago
    before = diary()
    with refusing_check() as seen:
        attempts = [
            lambda: actions.book_visit(venue=shop.venue, services=[shop.colour], start=START, customer=customer),
            lambda: actions.book_visit(venue=shop.venue, services=[shop.colour], start=START, client=held.client,
                                       source=Source.PARTNER),
            lambda: actions.hold_visit(venue=shop.venue, services=[shop.colour], start=START, customer=customer),
            lambda: actions.confirm_hold(booking=held),
            lambda: actions.confirm_hold(booking=expired),  # booked again at the same time: checked again
            lambda: actions.reschedule_booking(booking=booked, start=START + dt.timedelta(hours=4)),
            lambda: actions.reschedule_booking(booking=booked, start=START + dt.timedelta(hours=4), by_venue=True),
        ]
        for attempt in attempts:
            with pytest.raises(Refusal) as refused:
                attempt()
            assert refused.value.code == "refused_by_check"
    assert seen == ["new", "new", "new", "moved", "new", "moved", "moved"]
    assert diary() == before


def test_a_consultation_is_not_released_without_the_clinical_handler(shop: h.Shop) -> None:
    consultation = h.service(shop.venue, minutes=30, name="Consultation", kind=ServiceKind.CONSULTATION)
    shop.anna.services.add(consultation)
    visit = actions.book_visit(venue=shop.venue, services=[consultation], start=START, customer=h.customer())
    haircut = actions.book_visit(venue=shop.venue, services=[shop.cut], start=START + dt.timedelta(hours=2),
                                 customer=h.customer())
    with unregistered(hooks.register_release_handler, hooks.unregister_release_handler,
                      clinical_actions.cancel_waiting_treatments):
        with pytest.raises(ImproperlyConfigured, match="release"):
            actions.cancel_booking(booking=visit, by_venue=True, reason="Practitioner ill")
        actions.cancel_booking(booking=haircut, by_venue=True, reason="Stylist ill")  # no consultation: no handler
    assert Booking.objects.get(pk=visit.pk).status != Status.CANCELLED
    assert BookingItem.objects.get(booking=visit).active
    assert Booking.objects.get(pk=haircut.pk).status == Status.CANCELLED
