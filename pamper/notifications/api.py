"""JSON API: email preferences and private calendar feeds of the signed-in person."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema, Status
from pydantic import Field

from pamper.accounts.auth import bearer
from pamper.errors import ErrorOut, Refusal
from pamper.lib import clock
from pamper.lib.fields import Input
from pamper.notifications import actions
from pamper.notifications.models import CalendarFeed, Preference
from pamper.notifications.views import feed_url

router = Router(tags=["notifications"])


class PreferencesOut(Schema):
    booking_updates: bool
    reminders: bool
    patch_test_reminders: bool
    checkins: bool
    review_requests: bool
    venue_bookings: bool


class PreferencesIn(Input):
    """Only the switches sent change. Patch-test results and aftercare cannot be switched off."""

    booking_updates: bool | None = None
    reminders: bool | None = None
    patch_test_reminders: bool | None = None
    checkins: bool | None = None
    review_requests: bool | None = None
    venue_bookings: bool | None = None


class FeedIn(Input):
    scope: str = Field(pattern="^(customer|staff)$", description="customer: my bookings; staff: my diary")
    staff_id: int | None = Field(default=None, ge=1)


class FeedOut(Schema):
    id: int
    scope: str
    staff_id: int | None
    prefix: str
    created_at: dt.datetime
    last_fetched_at: dt.datetime | None


class NewFeedOut(FeedOut):
    url: str = Field(description="The private address; shown only in this answer.")


def _prefs(request: HttpRequest) -> Preference:
    return Preference.objects.filter(user=request.auth).first() or Preference(user=request.auth)


@router.get("/notifications/preferences", auth=bearer, response=PreferencesOut, summary="My email preferences")
def get_preferences(request: HttpRequest) -> Preference:
    return _prefs(request)


@router.patch(
    "/notifications/preferences", auth=bearer, response={200: PreferencesOut, 422: ErrorOut},
    summary="Switch optional emails on or off",
)
def update_preferences(request: HttpRequest, data: PreferencesIn) -> Preference:
    values = {k: v for k, v in data.model_dump().items() if v is not None}
    return actions.update_preferences(user=request.auth, values=values)


@router.get("/notifications/feeds", auth=bearer, response=list[FeedOut], summary="My active calendar feeds")
def list_feeds(request: HttpRequest) -> list[CalendarFeed]:
    return list(CalendarFeed.objects.active().filter(user=request.auth))


@router.post(
    "/notifications/feeds", auth=bearer, response={201: NewFeedOut, 404: ErrorOut, 422: ErrorOut},
    summary="Make a private calendar feed (replaces the previous one of the same calendar)",
)
def create_feed(request: HttpRequest, data: FeedIn) -> Status:
    staff = None
    if data.scope == CalendarFeed.Scope.STAFF:
        if data.staff_id is None:
            raise Refusal(
                422, "staff_required", gettext("A diary feed needs staff_id: one of your own staff profiles.")
            )
        staff = next((s for s in actions.feed_staff_choices(request.auth) if s.pk == data.staff_id), None)
        if staff is None:
            raise Refusal(404, "not_found", gettext("No such staff profile of yours."))
    feed, raw = actions.issue_feed(user=request.auth, scope=data.scope, staff=staff, now=clock.now())
    return Status(201, {**FeedOut.from_orm(feed).model_dump(), "url": feed_url(raw)})


@router.delete(
    "/notifications/feeds/{feed_id}",
    auth=bearer,
    response={204: None, 404: ErrorOut},
    summary="Revoke a calendar feed: its address stops working",
)
def delete_feed(request: HttpRequest, feed_id: int) -> Status:
    feed = CalendarFeed.objects.active().filter(pk=feed_id, user=request.auth).first()
    if feed is None:
        raise Refusal(404, "not_found", gettext("No such feed."))
    actions.revoke_feed(feed=feed, now=clock.now())
    return Status(204, None)
