"""Progress photos: the practitioner uploads them (checked, stripped, encrypted); the customer chooses what
each may be used for, or withdraws it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext

from pamper.accounts.models import User
from pamper.catalog.models import Treatment
from pamper.clinical import access, photos, timing
from pamper.clinical.actions.common import check_time, require_clinical
from pamper.clinical.models import Angle, PhotoUse, ProgressPhoto, TreatmentSession
from pamper.clinical.queries import active_course
from pamper.errors import Refusal
from pamper.venues.models import Client


def upload_photo(*, by: User, client: Client, treatment: Treatment, data: bytes, angle: str, now: dt.datetime,
                 session: TreatmentSession | None = None, taken_at: dt.datetime | None = None,
                 late_reason: str = "") -> ProgressPhoto:
    """Check, strip, encrypt and store a progress photo. Raises Refusal with the photo's problem.

    `taken_at` (None: now) follows the rule of every clinical time: after the
    client's record began, not in the future, a reason when over a day ago.
    """
    role = require_clinical(by, client.venue)
    if angle not in Angle.values:
        raise Refusal(422, "invalid_angle",
                      gettext("Choose the angle: %(angles)s.") % {"angles": ", ".join(Angle.values)})
    if session is not None and session.course.client_id != client.pk:
        raise Refusal(404, "not_found", gettext("Not found."))
    taken_at = taken_at or now
    late = check_time(
        taken_at,
        field="taken_at",
        label=gettext("Photo taken at"),
        window=timing.client_window(client, now),
        now=now,
        venue=client.venue,
        late_reason=late_reason,
    )
    try:
        clean = photos.clean(data)
    except photos.PhotoRejected as exc:
        raise Refusal(exc.status, exc.code, exc.message) from exc
    name = photos.new_storage_name()
    photos.store(name, clean.data)
    try:
        with transaction.atomic():
            course = session.course if session else active_course(client, treatment)
            photo = ProgressPhoto.objects.create(
                venue=client.venue,
                client=client,
                treatment=treatment,
                course=course,
                session=session,
                angle=angle,
                taken_at=taken_at,
                uploaded_by=by,
                storage_name=name,
                content_type=clean.content_type,
                width=clean.width,
                height=clean.height,
                size_bytes=len(clean.data),
                created_at=now,
            )
            if late:
                timing.log_late_entry(
                    venue=client.venue,
                    by=by,
                    role=role,
                    record_type="photo",
                    record_id=photo.pk,
                    field="taken_at",
                    event_at=taken_at,
                    reason=late,
                    now=now,
                )
            return photo
    except Exception:
        photos.destroy(name)
        raise


def set_photo_use(*, user: User, photo: ProgressPhoto, use: str) -> ProgressPhoto:
    """The customer's choice of what a photo may be used for."""
    if photo.client.user_id != user.pk:
        raise Refusal(403, "forbidden", gettext("Only the customer chooses how a photo is used."))
    if use not in PhotoUse.values:
        raise Refusal(422, "invalid_use", gettext("Choose one of: %(uses)s.") % {"uses": ", ".join(PhotoUse.values)})
    photo.use = use
    photo.save(update_fields=["use"])
    return photo


def withdraw_photo(*, user: User, photo: ProgressPhoto, now: dt.datetime) -> None:
    """The customer withdraws a photo: the row goes and the encrypted file is destroyed after commit."""
    if photo.client.user_id != user.pk:
        raise Refusal(403, "forbidden", gettext("Only the customer can withdraw a photo."))
    name = photo.storage_name
    with transaction.atomic():
        access.log_read(
            user=user,
            role=access.CUSTOMER,
            venue=photo.venue,
            client=photo.client,
            record_type="photo",
            record_id=photo.pk,
            now=now,
            action="erase",
        )
        photo.delete()
        transaction.on_commit(lambda: photos.destroy(name))
