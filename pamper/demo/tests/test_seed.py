"""`pamper seed`: deterministic demo venues around real cities, the demo clinic and the demo logins."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from pamper.accounts.models import Membership, User
from pamper.catalog.models import Category, Contraindication, Treatment
from pamper.clinical.models import ConsentText, Questionnaire
from pamper.demo.management.commands import seed as seed_command
from pamper.demo.places import demo_cities
from pamper.demo.reset import delete_all_venues
from pamper.lib.geo import haversine_km
from pamper.lib.money import COUNTRY_CURRENCY
from pamper.venues.models import OpeningHours, Service, Shift, Staff, Venue
from pamper.venues.regions import COUNTRY_ZONES

pytestmark = pytest.mark.django_db
DEMO_EMAILS = ["customer@example.com", "owner@example.com", "doctor@example.com", "admin@example.com"]
POSTCODES = {
    "GB": r"[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}",
    "IE": r"[A-Z][0-9]{2}[0-9W]? [A-Z0-9]{4}",
    "NL": r"[1-9][0-9]{3} [A-Z]{2}",
    "BE": r"[1-9][0-9]{3}",
    "DE": r"[0-9]{5}",
    "FR": r"[0-9]{5}",
    "ES": r"[0-9]{5}",
    "IT": r"[0-9]{5}",
    "PT": r"[1-9][0-9]{3}-[0-9]{3}",
}


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed", "--demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> tuple[list, list, list]:
    venues = list(Venue.objects.order_by("slug").values_list(
        "slug", "name", "kind", "address", "city", "postcode", "country", "latitude", "longitude", "timezone",
        "currency", "phone", "description"))
    services = list(Service.objects.order_by("venue__slug", "position").values_list(
        "venue__slug", "name", "treatment__slug", "kind", "variant", "price", "duration_minutes", "buffer_after"))
    staff = list(Staff.objects.order_by("venue__slug", "position").values_list("venue__slug", "name", "title"))
    return venues, services, staff


def record_extras(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict]]:
    """Record the search-index rebuild and the demo reviews the seed triggers (their apps test them)."""
    calls: list[tuple[str, dict]] = []
    monkeypatch.setattr(seed_command, "rebuild_index", lambda **kw: calls.append(("rebuild_index", kw)))
    def generate_reviews(**kw: object) -> None:
        calls.append(("generate_reviews", kw))
        if callable(kw.get("meanwhile")):  # the seed rebuilds the index while the reviews' indexes are built
            kw["meanwhile"]()

    monkeypatch.setattr(seed_command, "generate_reviews", generate_reviews)
    monkeypatch.setattr(seed_command, "add_covers", lambda *a, **kw: 0)  # drawn in test_covers.py
    return calls


@pytest.fixture(autouse=True)
def extras(monkeypatch) -> list[tuple[str, dict]]:
    return record_extras(monkeypatch)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[None]:
    """60 venues (seed 7) shared by the module's read-only tests; each test's changes roll back."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        record_extras(patch)
        seed("--venues", "60", "--seed", "7")
    yield
    with django_db_blocker.unblock():
        delete_all_venues()
        User.objects.filter(email__in=DEMO_EMAILS).delete()
        # The demo pathway froze questionnaire and consent versions, which keep their treatment.
        ConsentText.objects.all().delete()
        Questionnaire.objects.all().delete()
        Treatment.objects.all().delete()
        Category.objects.all().delete()
        Contraindication.objects.all().delete()


def test_seed_adds_reviews_then_builds_the_search_index_once_with_their_ratings(extras):
    output = seed("--venues", "3", "--seed", "5", "--replace")
    assert [name for name, _ in extras] == ["generate_reviews", "rebuild_index"]
    reviews = extras[0][1]
    assert (reviews["seed"], reviews["update_search"], reviews["bulk_load"]) == (5, False, True)
    assert "Search index rebuilt" in output and "customer@example.com" in output
    assert "Planner statistics refreshed" in output and "Seed finished in" in output


def test_next_free_slots_are_found_for_the_first_venues_only_when_asked(extras, capsys):
    output = seed("--venues", "4", "--seed", "5", "--replace", "--next-free", "2")
    assert "Next free slots of 2 venues found" in output
    assert "the other 2 are left to the task worker's sweep" in output
    assert capsys.readouterr().err == ""  # no progress bar off a terminal
    with pytest.raises(CommandError, match="--next-free"):
        seed("--venues", "4", "--replace", "--next-free", "-1")


def test_the_bulk_load_puts_back_every_index_and_key_it_dropped(seeded):
    tables = ("venues_venue", "venues_service", "venues_staff", "venues_shift", "venues_openinghours",
              "venues_staff_services", "venues_closure", "venues_timeoff", "venues_resource")
    with connection.cursor() as cursor:
        before = {t: _indexes_and_keys(cursor, t) for t in tables}
    seed("--venues", "5", "--seed", "3", "--replace")
    with connection.cursor() as cursor:
        assert {t: _indexes_and_keys(cursor, t) for t in tables} == before
    assert all(before.values())


def _indexes_and_keys(cursor, table: str) -> set:
    """The table's index names, and on PostgreSQL its constraints too (foreign keys included)."""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s"
                       " UNION SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass", [table, table])
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [table])
    return {row[0] for row in cursor.fetchall()}


def test_same_venues_and_seed_give_the_same_data_and_another_seed_does_not(seeded):
    first = snapshot()
    seed("--venues", "60", "--seed", "7", "--replace")
    assert snapshot() == first
    seed("--venues", "60", "--seed", "8", "--replace")
    assert snapshot()[0] != first[0]
    assert Venue.objects.count() == 60


def test_country_zone_currency_and_postcode_agree(seeded):
    venues = list(Venue.objects.all())
    assert len(venues) == 60
    for venue in venues:
        assert venue.timezone in COUNTRY_ZONES[venue.country], venue
        assert venue.currency == COUNTRY_CURRENCY[venue.country], venue
        assert re.fullmatch(POSTCODES[venue.country], venue.postcode), (venue.country, venue.postcode)
        assert venue.phone.startswith("+") and venue.description
    assert not Service.objects.exclude(currency__in=[v.currency for v in venues]).exists()
    for venue in Venue.objects.prefetch_related("services"):
        assert {s.currency for s in venue.services.all()} == {venue.currency}


def test_venues_sit_a_few_km_from_a_real_city_of_their_country(seeded):
    cities = demo_cities()
    for venue in Venue.objects.exclude(slug="pamper-demo-clinic"):
        nearest = min(
            (c for c in cities if c.country == venue.country),
            key=lambda c: haversine_km(venue.latitude, venue.longitude, c.latitude, c.longitude),
        )
        assert haversine_km(venue.latitude, venue.longitude, nearest.latitude, nearest.longitude) < 10


def test_island_places_carry_their_own_zone():
    zones = {(c.name, c.country): c.timezone for c in demo_cities()}
    assert zones[("Las Palmas de Gran Canaria", "ES")] == "Atlantic/Canary"
    assert zones[("Funchal", "PT")] == "Atlantic/Madeira"
    assert zones[("Madrid", "ES")] == "Europe/Madrid"
    assert zones[("Dublin", "IE")] == "Europe/Dublin"
    assert {c.timezone for c in demo_cities() if c.country == "PT"} >= {"Europe/Lisbon", "Atlantic/Azores"}


def test_every_service_has_a_performer_and_staff_have_titles_and_shifts(seeded):
    assert not Service.objects.filter(staff__isnull=True).exists()
    assert not Staff.objects.filter(title="").exists()
    assert not Staff.objects.filter(shifts__isnull=True).exists()
    per_venue = Counter(Staff.objects.values_list("venue_id", flat=True))
    assert min(per_venue.values()) >= 2 and max(per_venue.values()) <= 8


def test_some_days_have_two_shifts_or_two_opening_intervals(seeded):
    shifts = Counter(Shift.objects.values_list("staff_id", "weekday"))
    hours = Counter(OpeningHours.objects.values_list("venue_id", "weekday"))
    assert max(shifts.values()) == 2 and max(hours.values()) == 2


def test_treatments_with_a_pathway_come_with_a_consultation_service(seeded):
    pathway = Service.objects.filter(kind="treatment").select_related("treatment")
    for service in pathway:
        t = service.treatment
        if t.consultation_required or t.patch_test_lead_hours is not None:
            assert Service.objects.filter(venue=service.venue_id, treatment=t, kind="consultation").exists(), service


def test_prices_are_plausible_and_round(seeded):
    for service in Service.objects.filter(kind="treatment").select_related("treatment"):
        t = service.treatment
        assert t.price_from * Decimal("0.4") <= service.price <= t.price_to * Decimal("2.2"), (service, service.price)
        assert service.price * 2 == int(service.price * 2)  # at most a 50p/50c ending


def test_the_demo_clinic_offers_both_mesotherapy_variants_with_a_doctor(seeded):
    clinic = Venue.objects.get(slug="pamper-demo-clinic")
    assert (clinic.name, clinic.city, clinic.kind, clinic.timezone, clinic.currency) == (
        "Pamper Demo Clinic", "London", "clinic", "Europe/London", "GBP")
    meso = clinic.services.filter(treatment__slug="mesotherapy")
    assert set(meso.values_list("kind", "variant")) == {("treatment", ""), ("treatment", "needle-free"),
                                                        ("consultation", "")}
    doctor = clinic.staff.get(name__startswith="Dr ")
    assert set(meso.values_list("id", flat=True)) <= set(doctor.services.values_list("id", flat=True))
    assert set(doctor.shifts.values_list("weekday", flat=True)) == {0, 1, 2, 3, 4}
    assert doctor.user.email == "doctor@example.com"


def test_demo_accounts_log_in_with_their_roles(seeded, client):
    for email in DEMO_EMAILS:
        assert client.login(email=email, password="pamper-demo"), email
        client.logout()
    clinic = Venue.objects.get(slug="pamper-demo-clinic")
    assert Membership.objects.get(user__email="owner@example.com", venue=clinic).role == "owner"
    assert Membership.objects.get(user__email="doctor@example.com", venue=clinic).role == "practitioner"
    assert not Membership.objects.filter(user__email="customer@example.com").exists()
    client.login(email="admin@example.com", password="pamper-demo")
    assert client.get("/admin/venues/venue/").status_code == 200
    assert client.get("/admin/venues/client/").status_code == 200


def test_if_empty_does_nothing_when_venues_exist_and_a_plain_rerun_refuses(seeded):
    before = snapshot()
    assert "already" in seed("--venues", "5", "--if-empty")
    assert snapshot() == before
    with pytest.raises(CommandError):
        seed("--venues", "5")
    with pytest.raises(CommandError):
        seed("--venues", "0", "--replace")


def test_references_are_all_valid(seeded):
    connection.check_constraints()


def test_replace_also_clears_bookings_made_at_the_old_venues():
    from pamper.bookings.models import Booking
    from pamper.tests.factories import BookingFactory, ClientFactory

    seed("--venues", "3", "--seed", "1", "--replace")
    service = Service.objects.filter(venue__slug="pamper-demo-clinic", kind="treatment").first()
    member = service.staff.first()
    client_row = ClientFactory(venue=service.venue, name="Walk In")
    BookingFactory(client=client_row, service=service, staff=member, start=dt.datetime(2026, 5, 4, 10, tzinfo=dt.UTC),
                   status="confirmed")
    seed("--venues", "3", "--seed", "1", "--replace")
    assert not Booking.objects.filter(client__name="Walk In").exists() and Venue.objects.count() == 3
    # Only the demo customer's mesotherapy pathway, written again by the new seed (demo/pathway.py), is left.
    assert set(Booking.objects.values_list("customer__email", flat=True)) <= {"customer@example.com"}
