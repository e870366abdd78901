"""The venue's photos: upload a cover, gallery photos and staff pictures (alt text required), reorder, edit the
alt text, make a photo the cover, delete. Every write goes through pamper.gallery.actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from pamper.bookings.workspace import Perm, Workspace
from pamper.errors import Refusal
from pamper.gallery import actions as gallery_actions
from pamper.gallery.forms import UploadForm
from pamper.gallery.models import Photo, Role
from pamper.lib.refusals import form_attempt
from pamper.venues.models import Staff

from .common import render_ws, workspace_view


def _staff(ws: Workspace) -> list[Staff]:
    return list(Staff.objects.filter(venue=ws.venue, is_active=True).order_by("position", "name"))


def _page(request: HttpRequest, ws: Workspace, form: UploadForm | None = None, status: int = 200) -> HttpResponse:
    photos = list(Photo.objects.filter(venue=ws.venue).select_related("staff").order_by("role", "position", "id"))
    return render_ws(request, ws, "partner/photos.html", {
        "section": "photos", "form": form or UploadForm(staff=_staff(ws)),
        "cover": next((p for p in photos if p.role == Role.COVER), None),
        "gallery": [p for p in photos if p.role == Role.GALLERY],
        "staff_pictures": [p for p in photos if p.role == Role.STAFF],
    }, status)


@workspace_view(Perm.SETUP)
def photos(request: HttpRequest, ws: Workspace) -> HttpResponse:
    if request.method != "POST":
        return _page(request, ws)
    staff = _staff(ws)
    form = UploadForm(request.POST, request.FILES, staff=staff)
    if not form.is_valid():
        return _page(request, ws, form, 400)
    d = form.cleaned_data
    member = next((s for s in staff if s.pk == d.get("staff")), None)
    added = form_attempt(form, lambda: gallery_actions.add_photo(
        venue=ws.venue, data=d["file"], alt_text=d["alt_text"], role=d["role"], staff=member), field="file")
    if added is None:
        return _page(request, ws, form, 422)
    messages.success(request, gettext("Picture added."))
    return redirect("partner:photos", venue_id=ws.venue.pk)


def _photo(ws: Workspace, photo_id: int) -> Photo:
    return get_object_or_404(Photo, pk=photo_id, venue=ws.venue)


def _change(request: HttpRequest, photo: Photo, action: str) -> None:
    if action in ("up", "down"):
        gallery_actions.move_photo(photo=photo, by=-1 if action == "up" else 1)
    elif action == "cover":
        gallery_actions.make_cover(photo=photo)
        messages.success(request, gettext("That photo is now the cover."))
    elif action == "delete":
        gallery_actions.delete_photo(photo=photo)
        messages.success(request, gettext("Picture deleted."))
    else:
        gallery_actions.update_alt(photo=photo, alt_text=request.POST.get("alt_text", ""))
        messages.success(request, gettext("Alt text saved."))


@require_POST
@workspace_view(Perm.SETUP)
def photo_change(request: HttpRequest, ws: Workspace, photo_id: int) -> HttpResponse:
    """One button per change: up, down, cover, delete, or a new alt text (any other action)."""
    photo, action = _photo(ws, photo_id), request.POST.get("action", "")
    try:
        _change(request, photo, action)
    except Refusal as exc:
        messages.error(request, exc.message)
    anchor = "" if action == "delete" else f"#photo-{photo_id}"
    return redirect(reverse("partner:photos", args=[ws.venue.pk]) + anchor)
