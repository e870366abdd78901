"""Pamper's own cancellation reasons are stored as codes and said in the reader's language: a German customer
whose treatment was cancelled after a patch-test reaction read the reason in English before."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps as django_apps
from django.utils import translation

from pamper.bookings import actions, erasure
from pamper.bookings.models import Booking, CancelCause, Status

from . import helpers as h
from .test_cancelling import NEXT_WEEK_10, confirmed

pytestmark = pytest.mark.django_db


def test_a_cause_is_stored_as_a_code_and_read_in_each_language(client, shop):
    customer = h.customer()
    booking = actions.cancel_booking(booking=confirmed(shop, customer, NEXT_WEEK_10), by_venue=True,
                                     reason=CancelCause.PATCH_TEST_REACTION)
    stored = Booking.objects.get(pk=booking.pk)
    assert (stored.status, stored.cancel_cause, stored.cancel_reason) == (
        Status.CANCELLED, "patch_test_reaction", "")
    said = {}
    for language in ("en", "de", "fr"):
        with translation.override(language):
            said[language] = stored.why_cancelled
    assert said["en"] == "The patch test for this treatment showed a reaction."
    assert len(set(said.values())) == 3  # German and French are their own sentences

    client.force_login(customer)
    page = client.get(f"/de/bookings/{booking.pk}/").content.decode()
    assert said["de"] in page and said["en"] not in page
    body = client.get(f"/api/v1/bookings/{booking.pk}", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert (body["cancel_cause"], body["cancel_reason"]) == ("patch_test_reaction", said["fr"])


def test_a_reason_a_person_gives_is_kept_as_written(shop):
    booking = actions.cancel_booking(booking=confirmed(shop, h.customer(), NEXT_WEEK_10), by_venue=True,
                                     reason="  Fuite d'eau au salon ")
    with translation.override("de"):
        assert (booking.cancel_cause, booking.why_cancelled) == ("", "Fuite d'eau au salon")


def test_the_migration_turns_the_old_english_sentences_into_codes(shop):
    customer = h.customer()
    old = {
        "The consultation and patch test it needed was cancelled.": "consultation_gone",
        "The patch test for Hair colour showed a reaction.": "patch_test_reaction",
        "The customer erased their data.": "customer_erased",
        "Closed for a leak.": "",
    }
    ids = {}
    for n, text in enumerate(old):
        booking = confirmed(shop, customer, NEXT_WEEK_10.replace(hour=9 + n))
        Booking.objects.filter(pk=booking.pk).update(status=Status.CANCELLED, cancel_reason=text)
        ids[text] = booking.pk
    migration = importlib.import_module("pamper.bookings.migrations.0006_cancel_cause")
    migration.to_codes(django_apps, None)
    found = {row.cancel_reason or row.cancel_cause: row for row in Booking.objects.filter(pk__in=ids.values())}
    for text, code in old.items():
        row = Booking.objects.get(pk=ids[text])
        assert (row.cancel_cause, row.cancel_reason) == (code, "" if code else text), json.dumps(text)
    assert len(found) == 4


def test_erasure_forgets_the_reasons_the_customer_wrote(shop):
    customer = h.customer()
    booking = actions.cancel_booking(booking=confirmed(shop, customer, NEXT_WEEK_10), actor=customer,
                                     reason="My divorce hearing moved to that day")
    erasure.anonymise_bookings(customer=customer, clients=[])
    assert Booking.objects.get(pk=booking.pk).cancel_reason == ""
