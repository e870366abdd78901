"""Pages: notification settings with calendar feeds, and the feed itself."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from pamper.accounts.models import ADMIN_ROLES
from pamper.lib import clock
from pamper.lib.methods import require_form_page
from pamper.notifications import actions, feeds
from pamper.notifications.forms import FeedForm, PreferenceForm
from pamper.notifications.models import SAFETY_KINDS, CalendarFeed, Kind, Preference


def feed_url(raw_token: str) -> str:
    return settings.SITE_URL + reverse("notifications:feed", args=[raw_token])


def _page(request: HttpRequest, form: PreferenceForm, *, new_feed: str = "", feed_form: FeedForm | None = None,
          status: int = 200) -> HttpResponse:
    user = request.user
    context = {
        "form": form,
        "safety": [Kind(k).label for k in sorted(SAFETY_KINDS)],
        "feeds": CalendarFeed.objects.active().filter(user=user).select_related("staff__venue"),
        "staff_profiles": actions.feed_staff_choices(user),
        "new_feed_url": new_feed,
        "feed_form": feed_form,
    }
    return render(request, "notifications/preferences.html", context, status=status)


def _works_at_venue(request: HttpRequest) -> bool:
    return request.user.memberships.filter(role__in=ADMIN_ROLES).exists()


@login_required
@require_form_page
def preferences(request: HttpRequest) -> HttpResponse:
    pref = Preference.objects.filter(user=request.user).first() or Preference(user=request.user)
    form = PreferenceForm(request.POST or None, instance=pref, works_at_venue=_works_at_venue(request))
    if request.method == "POST":
        if not form.is_valid():
            return _page(request, form, status=400)
        actions.update_preferences(user=request.user, values={name: form.cleaned_data[name] for name in form.fields})
        messages.success(request, gettext("Your email settings are saved."))
        return redirect("notifications:preferences")
    return _page(request, form)


@login_required
@require_POST
def create_feed(request: HttpRequest) -> HttpResponse:
    staff_ids = {s.pk for s in actions.feed_staff_choices(request.user)}
    feed_form = FeedForm(request.POST, staff_ids=staff_ids)
    pref = Preference.objects.filter(user=request.user).first() or Preference(user=request.user)
    form = PreferenceForm(instance=pref, works_at_venue=_works_at_venue(request))
    if not feed_form.is_valid():
        return _page(request, form, feed_form=feed_form, status=400)
    staff = next((s for s in actions.feed_staff_choices(request.user) if s.pk == feed_form.cleaned_data["staff"]), None)
    _, raw = actions.issue_feed(user=request.user, scope=feed_form.cleaned_data["scope"], staff=staff, now=clock.now())
    # The address is shown once, on this response; only its hash is kept.
    return _page(request, form, new_feed=feed_url(raw))


@login_required
@require_POST
def revoke_feed(request: HttpRequest, feed_id: int) -> HttpResponse:
    feed = get_object_or_404(CalendarFeed.objects.active(), pk=feed_id, user=request.user)
    actions.revoke_feed(feed=feed, now=clock.now())
    messages.success(request, gettext("That calendar address no longer works."))
    return redirect("notifications:preferences")


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The .ics of a private feed; 404 for an unknown or revoked token."""
    feed = feeds.find_feed(token)
    if feed is None:
        raise Http404("No such calendar.")
    now = clock.now()
    actions.note_feed_fetched(feed=feed, now=now)
    response = HttpResponse(feeds.render_feed(feed, now), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="pamper.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_safe
def booking_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """'Add to calendar': one of the customer's own bookings as a .ics file; 404 for anyone else's."""
    body = feeds.booking_file(request.user.pk, pk, clock.now()) if pk < 2**63 else None
    if body is None:
        raise Http404("No such booking.")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pamper-booking-{pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
