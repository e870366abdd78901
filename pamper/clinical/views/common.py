"""What the clinical pages share, the customer's and the practitioner's: the 404 for anonymous visitors, the
door to one client's record, serving a photo, and pairing photos to compare."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from pamper.accounts.models import User
from pamper.clinical import access, photos
from pamper.clinical.models import AccessLog, ProgressPhoto


def signed_in_or_404(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For URLs naming one health record: an anonymous visitor gets the same 404 as anyone not allowed."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            raise Http404("Not found.")
        return view(request, *args, **kwargs)

    return wrapper


def staff_client_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the practitioner pages about one client, taking (request, venue_id, client_id, ...): the view gets
    (request, ws, client, ...), the member's workspace and a client whose records they may open.

    The one door (pamper.bookings.workspace, through access.staff_access):
    Http404 for anyone else (not a member, reception, another venue's client,
    a client a practitioner does not treat), TwoFactorRequired where the venue
    asks for a second factor this session has not given. Put it under
    signed_in_or_404 and the method check, so those answer first.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, venue_id: int, client_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        ws = access.staff_access(request.user, venue_id)  # type: ignore[arg-type]
        return view(request, ws, ws.client(client_id), *args, **kwargs)

    return wrapper


def photo_response(photo: ProgressPhoto, user: User, role: str, now: dt.datetime) -> HttpResponse:
    """The decrypted photo, logged, never cached and never sniffed as anything but its image type."""
    try:
        data = photos.load(photo.storage_name)
    except FileNotFoundError as exc:
        raise Http404("No such photo.") from exc
    access.log_read(user=user, role=role, venue=photo.venue, client=photo.client, record_type="photo",
                    record_id=photo.pk, now=now, action=AccessLog.Action.DOWNLOAD)
    response = HttpResponse(data, content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="photo-{photo.pk}.{photo.extension}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def compare_pairs(photos_list: list[ProgressPhoto]) -> list[tuple[str, ProgressPhoto, ProgressPhoto]]:
    """(angle label, first photo, latest photo) for each angle with at least two photos."""
    by_angle: dict[str, list[ProgressPhoto]] = {}
    for photo in sorted(photos_list, key=lambda p: (p.taken_at, p.pk)):
        by_angle.setdefault(photo.angle, []).append(photo)
    return [(group[0].get_angle_display(), group[0], group[-1]) for group in by_angle.values() if len(group) > 1]
