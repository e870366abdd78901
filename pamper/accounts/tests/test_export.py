"""The person's export holds everything Pamper keeps about them, nobody else's, and no secret.

Before, the archive (/account/health/export/, /api/v1/me/health/export) held only the health records and the
bookings: no account details, favourites, reviews and replies, waitlist, gift cards, payments and refunds,
email settings, calendar feeds, emails, prescriptions or the log of who read the health records.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django_otp.plugins.otp_totp.models import TOTPDevice

from pamper.accounts import export, hooks
from pamper.accounts.models import ApiToken, User
from pamper.bookings.models import Booking, Status
from pamper.clinical import access, privacy
from pamper.clinical.tests.planting import SECRETS, plant
from pamper.notifications.models import CalendarFeed, Message, Preference
from pamper.payments.models import BookingPayment, GiftCard, GiftRedemption, LedgerEntry
from pamper.practitioners.models import Prescription
from pamper.reviews.models import Review, ReviewReport
from pamper.tests.factories import BookingFactory
from pamper.tests.world import NOW, World, at
from pamper.venues.models import Client, Favourite
from pamper.waitlist.models import Entry

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- every model holding personal data answers for it


def holds_personal_data(model: type[models.Model]) -> bool:
    """Points at a person (their account or a venue's client record), at a booking (theirs), or keeps an email
    address."""
    people = {apps.get_model("accounts", "User"), Client, Booking}
    for f in model._meta.get_fields():
        if f.concrete and f.is_relation and f.related_model in people:
            return True
        if isinstance(f, models.EmailField):
            return True
    return False


def test_every_model_holding_personal_data_is_exported_or_left_out_for_a_reason() -> None:
    sections = hooks.export_sections()
    covered = {label for s in sections for label in s.covers}
    left_out = {label: why for s in sections for label, why in s.leaves_out.items()}
    known = {m._meta.label for m in apps.get_models()}
    assert covered <= known and set(left_out) <= known, (covered | set(left_out)) - known
    assert not covered & set(left_out)
    assert all(len(why) > 30 for why in left_out.values())
    personal = {m._meta.label for m in apps.get_models() if holds_personal_data(m)}
    unanswered = personal - covered - set(left_out)
    assert not unanswered, f"exported by no section and left out by none: {sorted(unanswered)}"
    assert {"accounts.User", "venues.Client", "bookings.Booking", "clinical.AccessLog", "payments.GiftCard",
            "reviews.Review", "waitlist.Entry", "notifications.CalendarFeed", "venues.Favourite"} <= covered


def test_no_archive_without_the_health_records() -> None:
    hooks.unregister_export_section("health")
    try:
        with pytest.raises(ImproperlyConfigured):
            export.export_archive(user=User(email="x@example.com"), now=NOW)
    finally:
        privacy.register_export()


# ---------------------------------------------------------------- one of each thing


def visit(world: World, user: User, hour: int, notes: str) -> Booking:
    return BookingFactory(client=world.client_of(user), customer=user, service=world.facial_service,
                          staff=world.staff, start=at(1, hour), status=Status.ATTENDED, notes=notes)


def one_of_each(world: World, user: User, mark: str, other_review: Review | None = None) -> dict[str, Any]:
    """Give `user` one of everything, each carrying `mark`; what the test looks for."""
    client = world.client_of(user)
    Client.objects.filter(pk=client.pk).update(notes=f"{mark} client note")
    booking = visit(world, user, 12 if mark == "MINE" else 14, f"{mark} booking note")
    review = Review.objects.create(venue=world.venue, booking=booking, customer=user, overall=4,
                                   text=f"{mark} review", visited_at=booking.end, reply_text=f"{mark} reply",
                                   replied_at=NOW, replied_by=world.owner)
    if other_review is not None:
        ReviewReport.objects.create(review=other_review, reporter=user, reason="other", note=f"{mark} report")
    Favourite.objects.create(user=user, venue=world.other_venue)
    Entry.objects.create(customer=user, venue=world.venue, service=world.facial_service,
                         first_day=at(9, 0).date(), last_day=at(10, 0).date())
    card = dict(currency="GBP", initial=5000, balance=3000, expires_at=NOW + dt.timedelta(days=365), paid_at=NOW)
    bought = GiftCard.objects.create(code=f"GC{mark}BOUGHT00001", buyer_email=user.email,
                                     recipient_email=f"friend-{mark.lower()}@example.com",
                                     message=f"{mark} gift bought", intent_id=f"pi_{mark}_1", **card)
    received = GiftCard.objects.create(code=f"GC{mark}RECEIVED001", buyer_email=f"aunt-{mark.lower()}@example.com",
                                       recipient_email=user.email, message=f"{mark} gift received",
                                       intent_id=f"pi_{mark}_2", **card)
    GiftRedemption.objects.create(gift_card=received, booking=booking, amount=2000)
    BookingPayment.objects.create(booking=booking, venue=world.venue, kind="deposit", currency="GBP", price=6000,
                                  due_now=1500, late_cancel_fee=0, no_show_fee=0, free_cancel_hours=24,
                                  accepted_at=NOW, state="refunded", card_brand="visa", card_last4="4242")
    LedgerEntry.objects.create(kind="charge", amount=1500, currency="GBP", stripe_id=f"ch_{mark}", venue=world.venue,
                               booking=booking)
    LedgerEntry.objects.create(kind="refund", amount=-1500, currency="GBP", stripe_id=f"re_{mark}",
                               venue=world.venue, booking=booking, reason=f"{mark} refund reason")
    Preference.objects.create(user=user, reminders=False)
    feed, raw_feed = CalendarFeed.issue(user=user, scope=CalendarFeed.Scope.CUSTOMER)
    Message.objects.create(booking=booking, kind="confirmation", recipient=user.email, user=user,
                           subject=f"{mark} email subject", due_at=NOW)
    Prescription.objects.create(venue=world.venue, client=client, treatment=world.meso, prescriber=world.staff,
                                issued_on=NOW.date(), valid_until=NOW.date() + dt.timedelta(days=90))
    access.log_read(user=world.practitioner, role="practitioner", venue=world.venue, client=client,
                    record_type="client_record", record_id=client.pk, now=NOW - dt.timedelta(hours=2))
    token, _ = ApiToken.issue(user, name=f"{mark} script")
    return {"booking": booking, "review": review, "raw_feed": raw_feed, "feed_hash": feed.token_hash,
            "token_hash": token.key_hash, "codes": [bought.code, received.code]}


def archive_of(world: World, who: str, url: str = "/api/v1/me/export") -> tuple[dict[str, Any], str, zipfile.ZipFile]:
    response = world.api(who).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    text = archive.read("pamper-data.json").decode()
    return json.loads(text), text, archive


def test_the_export_holds_one_of_each_thing_of_the_person_and_nothing_of_anyone_else(world: World) -> None:
    customer = world.customer
    User.objects.filter(pk=customer.pk).update(phone="+447700900111", language="fr")
    planted = plant(world, NOW)
    theirs = one_of_each(world, world.other_customer, "THEIRS")
    mine = one_of_each(world, customer, "MINE", other_review=theirs["review"])
    TOTPDevice.objects.create(user=customer, name="My phone", confirmed=True)

    data, text, archive = archive_of(world, "customer")

    account = data["account"]
    assert (account["email"], account["phone"], account["language"]) == (customer.email, "+447700900111", "fr")
    assert account["email_confirmed"] is True
    assert any(t["name"] == "MINE script" for t in account["api_tokens"])
    assert account["two_factor_devices"] == [{"kind": "authenticator", "name": "My phone", "confirmed": True}]
    venues = data["venues"]
    assert [c["notes"] for c in venues["client_records"]] == ["MINE client note"]
    assert [f["venue"] for f in venues["favourites"]] == [world.other_venue.name]
    assert mine["booking"].pk in {b["id"] for b in data["bookings"]}
    assert any(b["notes"] == "MINE booking note" for b in data["bookings"])
    for secret in SECRETS.values():  # every health record, decrypted
        assert secret in json.dumps(data["health"])
    photos = [archive.read(n) for n in archive.namelist() if n.startswith("photos/")]
    assert photos == [planted.photo_plain]
    assert any(r["by"] == world.practitioner.get_full_name() and r["role"] == "practitioner"
               for r in data["health"]["access_log"])
    payments = data["payments"]
    assert {(g["bought_or_received"], g["message"]) for g in payments["gift_cards"]} == {
        ("bought", "MINE gift bought"), ("received", "MINE gift received")}
    assert [u["amount"] for g in payments["gift_cards"] for u in g["used"]] == ["20.00"]
    assert [(p["booking_id"], p["card"], p["state"]) for p in payments["booking_payments"]] == [
        (mine["booking"].pk, "visa 4242", "refunded")]
    assert {(m["kind"], m["amount"]) for m in payments["money_moved"]} == {("charge", "15.00"), ("refund", "-15.00")}
    assert any(m["reason"] == "MINE refund reason" for m in payments["money_moved"])
    reviews = data["reviews"]
    assert [(r["text"], r["reply"]) for r in reviews["written"]] == [("MINE review", "MINE reply")]
    assert [r["note"] for r in reviews["reports"]] == ["MINE report"]
    notes = data["notifications"]
    assert notes["email_settings"]["reminders"] is False and notes["email_settings"]["chosen"] is True
    assert [f["scope"] for f in notes["calendar_feeds"]] == ["customer"]
    assert [m["subject"] for m in notes["emails"]] == ["MINE email subject"]
    assert [(e["service"], e["status"]) for e in data["waitlist"]] == [(world.facial_service.name, "waiting")]
    assert [p["treatment"] for p in data["practitioners"]["prescriptions"]] == [world.meso.name]

    # nobody else's data
    assert "THEIRS" not in text and world.other_customer.email not in text
    assert theirs["booking"].pk not in {b["id"] for b in data["bookings"]}
    # no secret
    customer.refresh_from_db()
    device = TOTPDevice.objects.get(user=customer)
    for secret in (customer.password, mine["token_hash"], mine["raw_feed"], mine["feed_hash"], device.key,
                   *mine["codes"]):
        assert secret not in text, secret
    assert [g["code_ends"] for g in payments["gift_cards"]] == [c[-4:] for c in mine["codes"]]


def test_the_health_export_page_and_endpoint_give_the_whole_archive(world: World) -> None:
    plant(world, NOW)
    one_of_each(world, world.customer, "MINE")
    whole, _, _ = archive_of(world, "customer")
    health, _, _ = archive_of(world, "customer", "/api/v1/me/health/export")
    page = world.browser("customer").get("/account/health/export/")
    from_page = json.loads(zipfile.ZipFile(io.BytesIO(page.content)).read("pamper-data.json"))
    for data in (health, from_page):
        assert set(data) == set(whole)
        assert data["reviews"] == whole["reviews"] and data["payments"] == whole["payments"]
