"""The demo customer's mesotherapy, along the whole pathway it advertises (issue 18, point 10).

At Pamper Demo Clinic, customer@example.com answered the medical questionnaire, came to a consultation with a
patch test (read as passed two days later), signed the consent, and had the first two sessions of a course
the catalogue's interval apart, each recorded with a note and a progress photo; the next session is booked. All
of it goes through the clinical and booking actions with `now` set to when it happened, so the booking
engine's own rules (clinical.pathway) let every step through, as they would have then.
"""

from __future__ import annotations

import datetime as dt
import io

from django.db import transaction

from pamper.accounts.models import User
from pamper.bookings import actions as bookings
from pamper.bookings.models import Booking
from pamper.catalog.models import Treatment
from pamper.clinical import actions, documents
from pamper.venues.models import Client, Service, ServiceKind, Staff, Venue


def _weekday_at(day: dt.date, hour: int, venue: Venue) -> dt.datetime:
    """10:00 (say) at the venue on `day`, moved to the Tuesday after when the day is a weekend or Monday."""
    while day.weekday() not in (1, 2, 3):
        day += dt.timedelta(days=1)
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=venue.tz).astimezone(dt.UTC)


def _photo() -> bytes:
    from PIL import Image  # noqa: PLC0415 - only the demo draws pictures

    out = io.BytesIO()
    Image.new("RGB", (480, 360), (222, 190, 180)).save(out, "JPEG", quality=80)
    return out.getvalue()


def ensure_demo_pathway(*, venue: Venue, customer: User, now: dt.datetime) -> int:
    """The demo customer's mesotherapy pathway at the demo clinic; 0 when it exists already (or cannot be made:
    no mesotherapy service or doctor), else the number of bookings written."""
    meso = Treatment.objects.filter(slug="mesotherapy").first()
    service = Service.objects.filter(venue=venue, treatment=meso, kind=ServiceKind.TREATMENT, variant="").first()
    consult = Service.objects.filter(venue=venue, treatment=meso, kind=ServiceKind.CONSULTATION).first()
    doctor = Staff.objects.filter(venue=venue, user__isnull=False).select_related("user").first()
    if not (meso and service and consult and doctor):
        return 0
    if Booking.objects.filter(venue=venue, customer=customer, items__service=service).exists():
        return 0
    interval = meso.course_interval_days or 14
    today = now.astimezone(venue.tz).date()
    consultation_at = _weekday_at(today - dt.timedelta(days=2 * interval + 12), 10, venue)
    with transaction.atomic():
        answered = consultation_at - dt.timedelta(days=3)
        questions = documents.current_questionnaire(meso).questions  # a healthy customer: no to every yes/no
        answers = {q["slug"]: False if q["kind"] == "yesno" else "" for q in questions}
        actions.submit_questionnaire(user=customer, venue=venue, treatment=meso, version=None, now=answered,
                                     answers=answers)
        client = Client.objects.get(venue=venue, user=customer)
        Client.objects.filter(pk=client.pk).update(created_at=answered)
        client.refresh_from_db()
        booked = bookings.book_visit(venue=venue, services=[consult], start=consultation_at, customer=customer,
                                     staff=doctor, now=answered)
        written = 1
        read_at = consultation_at + dt.timedelta(days=2)
        actions.record_patch_test(by=doctor.user, venue=venue, treatment=meso, outcome="passed", read_at=read_at,
                                  booking=booked, product="Mesotherapy cocktail (test dose)", now=read_at)
        actions.sign_consent(user=customer, client=client, treatment=meso, version=None,
                             typed_name=customer.name or "Demo Customer", now=read_at)
        first = _weekday_at((consultation_at + dt.timedelta(days=3)).astimezone(venue.tz).date(), 11, venue)
        starts = [first]
        for _ in range(2):
            starts.append(_weekday_at((starts[-1] + dt.timedelta(days=interval)).astimezone(venue.tz).date(), 11,
                                      venue))
        picture = _photo()
        for n, start in enumerate(starts):
            when_booked = start - dt.timedelta(days=interval - 1) if n else read_at
            visit = bookings.book_visit(venue=venue, services=[service], start=start, customer=customer,
                                        staff=doctor, now=min(when_booked, now))
            written += 1
            if start >= now:
                break  # the next session, still to come
            done = start + dt.timedelta(minutes=service.duration_minutes)
            session = actions.record_session(by=doctor.user, client=client, treatment=meso, performed_at=start,
                                             booking=visit, now=done,
                                             notes=f"Session {n + 1}: abdomen, as planned; aftercare sheet given.")
            actions.upload_photo(by=doctor.user, client=client, treatment=meso, data=picture, angle="front",
                                 session=session, now=done)
    return written
