"""Plant a full clinical record with recognisable secrets, through the actions, for access and at-rest tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pamper.bookings.models import Booking
from pamper.clinical import actions, photos
from pamper.clinical.models import Course, ProgressPhoto, TreatmentSession
from pamper.tests.factories import BookingFactory
from pamper.venues.models import Client

from .conftest import World, at, image_bytes

SECRETS = {
    "answer": "PLANTED-ANSWER-takes-zolpidem-7731",
    "patch_note": "PLANTED-NOTE-raised-weal-9921",
    "product": "PLANTED-PRODUCT-mesomix",
    "batch": "PLANTED-BATCH-4471",
    "session_note": "PLANTED-SESSION-bruising-left-thigh",
    "checkin": "PLANTED-CHECKIN-still-swollen",
    "review": "PLANTED-REVIEW-gp-letter-seen",
}


@dataclass
class Planted:
    client: Client
    course: Course
    session: TreatmentSession
    photo: ProgressPhoto
    photo_plain: bytes
    upload: bytes


def _consultation_booking(world: World, client: Client, start: dt.datetime) -> Booking:
    return BookingFactory(client=client, customer=client.user, status="confirmed", service=world.meso_consult,
                          staff=world.staff, start=start)  # 30 minutes, free


def plant(world: World, now: dt.datetime) -> Planted:
    """A questionnaire, a patch test, a consent, a course with a session and check-in, and a photo."""
    response = actions.submit_questionnaire(
        user=world.customer, venue=world.venue, treatment=world.meso, version=None, now=now,
        answers={"pregnancy": False, "blood-thinners": True, "medicines": SECRETS["answer"], "other": ""},
    )
    actions.review_questionnaire(by=world.practitioner, response=response, decision="cleared",
                                 note=SECRETS["review"], now=now)
    client = response.client
    # The customer has been known to the venue for a month: their records may date from then.
    since = now - dt.timedelta(days=30)
    Client.objects.filter(pk=client.pk).update(created_at=since)
    client.refresh_from_db()
    booking = _consultation_booking(world, client, now - dt.timedelta(days=2))
    actions.record_patch_test(by=world.practitioner, venue=world.venue, treatment=world.meso, outcome="passed",
                              read_at=now - dt.timedelta(hours=1), booking=booking, product=SECRETS["product"],
                              batch=SECRETS["batch"], notes=SECRETS["patch_note"], now=now)
    actions.sign_consent(user=world.customer, client=client, treatment=world.meso, version=None,
                         typed_name="Customer Person", now=now)
    session = actions.record_session(by=world.practitioner, client=client, treatment=world.meso,
                                     performed_at=now - dt.timedelta(days=3), notes=SECRETS["session_note"], now=now,
                                     late_reason="Entered from the paper notes.")
    actions.submit_checkin(user=world.customer, session=session, side_effect=True, note=SECRETS["checkin"], now=now)
    upload = image_bytes("JPEG", size=(120, 90), color=(10, 200, 30))
    photo = actions.upload_photo(by=world.practitioner, client=client, treatment=world.meso, data=upload,
                                 angle="front", session=session, now=now)
    return Planted(client=client, course=session.course, session=session, photo=photo,
                   photo_plain=photos.load(photo.storage_name), upload=upload)


__all__ = ["SECRETS", "Planted", "at", "plant"]
