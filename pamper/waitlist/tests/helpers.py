"""The waitlist tests' diary: the shared world's clinic with one free 90-minute window on Wednesday 4 March."""

from __future__ import annotations

import datetime as dt
import json

from pamper.bookings import actions as booking_actions
from pamper.bookings.models import Booking, Status
from pamper.clinical.models import Consultation
from pamper.tests.factories import BookingFactory, client_of
from pamper.tests.world import World, at
from pamper.venues import actions as venue_actions
from pamper.waitlist.models import Entry, PartOfDay

DAY = dt.date(2026, 3, 4)


def fill_day(world: World) -> Booking:
    """Dr Ada is away on 4 March but for 10:00-11:30, which a 90-minute booking fills. Returns that booking."""
    venue_actions.add_time_off(staff=world.staff, start=at(4, 9), end=at(4, 10))
    venue_actions.add_time_off(staff=world.staff, start=at(4, 11, 30), end=at(4, 18))
    return BookingFactory(client=client_of(world.other_customer, world.venue), customer=world.other_customer,
                          service=world.hair_service, staff=world.staff, start=at(4, 10), status=Status.CONFIRMED)


def free_it(booking: Booking) -> None:
    booking_actions.cancel_booking(booking=booking, by_venue=True, reason="The client cannot come.")


def entry(world: World, customer, service=None, **extra) -> Entry:  # type: ignore[no-untyped-def]
    """An entry written directly (as join_waitlist would, minus its 'free now' check), for races and setups."""
    fields = {"first_day": DAY, "last_day": DAY, "part_of_day": PartOfDay.ANY}
    fields.update(extra)
    return Entry.objects.create(customer=customer, venue=world.venue, service=service or world.facial_service, **fields)


def passed_hair_test(world: World, user) -> None:  # type: ignore[no-untyped-def]
    """`user` had a passed hair-colour patch test last week and answered its questionnaire."""
    applied = at(1, 9) - dt.timedelta(days=6)
    Consultation.objects.create(venue=world.venue, client=client_of(user, world.venue), treatment=world.hair,
                                outcome="passed", applied_at=applied, read_at=applied + dt.timedelta(hours=48))
    api = world.api(user.email.split("@")[0])
    query = f"/api/v1/pathway/questionnaire?venue_id={world.venue.pk}&treatment_id={world.hair.pk}"
    form = api.get(query).json()
    answers = {q["slug"]: False if q["kind"] == "yesno" else "" for q in form["questions"]}
    body = {"venue_id": world.venue.pk, "treatment_id": world.hair.pk, "version": form["version"], "answers": answers}
    response = api.post("/api/v1/pathway/questionnaire", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
