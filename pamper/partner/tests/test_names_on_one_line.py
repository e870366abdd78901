"""A name is stored on one line, whatever was pasted into it.

The workspace kept a line break pasted into a venue's, service's, staff member's or client's name ('Glow\\r\\nStudio'
from a spreadsheet cell), and the partner API and sign-up did the same: the venue's page, its calendar entries,
its CSV exports and its email subjects then broke on it. Every single-line name is a pamper.lib.names.NameField,
folded where it is stored, and the API's `Name` type and the forms' name field fold it as they read it.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client as Browser

from pamper.accounts.models import User
from pamper.lib import names
from pamper.venues.models import Client, Service, Staff, Venue

from . import factories
from .factories import Salon

pytestmark = pytest.mark.django_db


def _api(browser: Browser, person, method: str, path: str, body: dict):  # type: ignore[no-untyped-def]
    return browser.generic(method, "/api/v1/partner" + path, json.dumps(body), content_type="application/json",
                           **factories.bearer(person))


def test_workspace_forms_store_a_pasted_name_on_one_line(client: Browser, rose: Salon) -> None:
    client.force_login(rose.owner)
    made = client.post("/partner/venues/new/", {
        "name": "Glow\r\nStudio", "kind": "clinic", "address": "4 Rue Oberkampf", "city": "Paris", "postcode": "75011",
        "country": "FR", "latitude": "", "longitude": "", "timezone": "", "currency": ""})
    assert made.status_code == 302
    assert Venue.objects.filter(name="Glow Studio").exists()
    assert not Venue.objects.filter(name__contains="\n").exists()
    response = client.post(f"/partner/{rose.venue.pk}/services/new/", {
        "treatment": rose.facial.treatment_id, "kind": "treatment", "name": "Deluxe\nFacial\t", "price": "72.50",
        "duration_minutes": "90", "buffer_before": "0", "buffer_after": "0", "online_bookable": "on",
        "is_active": "on", "position": "1", "staff": [rose.ben.pk]})
    assert response.status_code == 302 and Service.objects.filter(name="Deluxe Facial").exists()
    response = client.post(f"/partner/{rose.venue.pk}/staff/new/", {
        "name": "Cara\u2028New", "title": "Therapist", "bio": "", "services": [rose.facial.pk], "is_active": "on",
        "position": "2"})
    assert response.status_code == 302 and Staff.objects.filter(name="Cara New").exists()


def test_the_partner_api_stores_a_pasted_name_on_one_line(client: Browser, rose: Salon) -> None:
    venue = rose.venue.pk
    service = _api(client, rose.owner, "POST", f"/venues/{venue}/services", {
        "treatment_id": rose.facial.treatment_id, "name": "Glow\r\npeel", "price": "65", "duration_minutes": 40,
        "staff_ids": [rose.ana.pk]})
    assert service.status_code == 201 and service.json()["name"] == "Glow peel"
    renamed = _api(client, rose.owner, "PATCH", f"/venues/{venue}/services/{service.json()['id']}",
                   {"name": "Glow\n\n peel"})
    assert renamed.json()["name"] == "Glow peel" and Service.objects.get(pk=service.json()["id"]).name == "Glow peel"
    staff = _api(client, rose.owner, "POST", f"/venues/{venue}/staff", {"name": "Dee\r\nDee", "service_ids": []})
    assert staff.json()["name"] == "Dee Dee" and Staff.objects.filter(name="Dee Dee").exists()
    blank = _api(client, rose.owner, "POST", f"/venues/{venue}/staff", {"name": "\r\n", "service_ids": []})
    assert blank.status_code == 422  # nothing but a line break is no name
    booking = _api(client, rose.owner, "POST", f"/venues/{venue}/bookings", {
        "services": [rose.facial.pk], "start": "2026-05-05T15:00:00+01:00", "staff_id": rose.ben.pk,
        "client": {"name": "Phil\r\nPhone", "phone": "07700 900555"}})
    assert booking.status_code == 201 and booking.json()["client_name"] == "Phil Phone"
    assert Client.objects.filter(name="Phil Phone").exists()


def test_sign_up_through_the_api_stores_a_name_on_one_line(client: Browser, db) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/auth/register", json.dumps({
        "email": "lin@example.com", "password": "a long and unusual passphrase", "name": "Lin\r\nBreak"}),
        content_type="application/json")
    assert response.status_code == 201, response.content
    assert User.objects.get(email="lin@example.com").name == "Lin Break"


def test_one_line_name_folds_breaks_and_controls_and_keeps_the_rest() -> None:
    assert names.one_line_name(" Glow \r\n Studio\x0b\x00x\u2029y\x85z ") == "Glow Studio x y z"
    assert names.one_line_name("Glow  Studio") == "Glow  Studio"  # the person's own spacing
    assert names.one_line_name("Café\u00a0Rose") == "Café\u00a0Rose"
