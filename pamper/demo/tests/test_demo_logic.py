"""The pure parts of the demo generator: prices, menus, staff, hours, local formats. No database."""

from __future__ import annotations

import datetime as dt
import random
import re
import zoneinfo
from decimal import Decimal

import pytest

from pamper.demo import locale, offer, schedule
from pamper.demo.places import City, clean_name, district_name, zone_for
from pamper.demo.rand import between, pick, take


def info(slug: str, category: str, **fields) -> offer.TreatmentInfo:
    defaults = dict(id=hash(slug) % 10_000, slug=slug, name=slug.replace("-", " ").capitalize(), category=category,
                    session_minutes=45, price_from=Decimal("20"), price_to=Decimal("60"))
    defaults.update(fields)
    return offer.TreatmentInfo(**defaults, words=offer.words_of(slug.replace("-", " "), defaults["name"]))


CATALOGUE = [
    info("mesotherapy", "aesthetics", consultation_required=True, patch_test=True, variants=("needle-free",)),
    info("dermal-fillers", "aesthetics", consultation_required=True),
    info("laser-hair-removal", "hair-removal", patch_test=True),
    info("leg-wax", "hair-removal"),
    info("mens-haircut", "hair", name="Men's haircut"),
    info("beard-trim", "hair"),
    info("balayage", "hair", patch_test=True),
    info("womens-haircut", "hair", name="Women's haircut"),
    info("gel-manicure", "nails"),
    info("facial", "face"),
    info("swedish-massage", "massage"),
    info("body-wrap", "body"),
    info("reflexology", "wellness"),
]


@pytest.mark.parametrize(
    ("pence", "expected"),
    [(830, 850), (1240, 1200), (4720, 4500), (4760, 5000), (21_400, 21_000), (77_700, 80_000), (10, 50)],
)
def test_prices_end_the_way_shops_price(pence, expected):
    assert offer.nice_pence(pence) == expected


def test_nice_price_keeps_two_decimals():
    assert offer.nice_price(Decimal("47.20")) == Decimal("45.00")
    assert str(offer.nice_price(Decimal("8.80"))) == "9.00"


def test_local_prices_stay_near_the_catalogue_range_and_scale_by_country():
    t = info("facial", "face", price_from=Decimal("40"), price_to=Decimal("80"))
    rng = random.Random(1)
    pt = [offer.local_price(rng, t, offer.price_factor(rng, "PT", 20_000)) for _ in range(300)]
    ie = [offer.local_price(rng, t, offer.price_factor(rng, "IE", 1_200_000, True)) for _ in range(300)]
    assert all(Decimal("20") <= p <= Decimal("150") for p in pt + ie)
    assert sum(ie) / len(ie) > sum(pt) / len(pt) * Decimal("1.5")


def test_each_kind_of_venue_offers_only_what_it_plausibly_would():
    menu = offer.menu_index(CATALOGUE)
    barber = {t.slug for ts in menu["barber"].values() for t in ts}
    salon = {t.slug for ts in menu["salon"].values() for t in ts}
    clinic = {t.slug for ts in menu["clinic"].values() for t in ts}
    assert barber == {"mens-haircut", "beard-trim"}
    assert "mesotherapy" not in salon and "laser-hair-removal" not in salon and "balayage" in salon
    assert {"mesotherapy", "dermal-fillers", "laser-hair-removal"} <= clinic and "leg-wax" not in clinic


def test_services_bring_their_consultations_and_every_service_gets_a_performer():
    menu = offer.menu_index(CATALOGUE)
    for seed in range(50):
        rng = random.Random(seed)
        kind = pick(rng, offer.KINDS)
        services = offer.build_services(rng, kind, "GB", 1000, offer.draw_treatments(rng, kind, menu))
        assert services
        for s in services:
            assert s.duration % 5 == 0 and s.duration >= 5
            if s.kind == "treatment" and s.treatment.has_pathway:
                assert any(c.kind == "consultation" and c.treatment is s.treatment for c in services)
        staff = offer.build_staff(rng, kind, services)
        assert 2 <= len(staff) <= 8
        assert set().union(*(m.services for m in staff)) == set(range(len(services)))


def test_a_clinic_with_injectables_has_a_doctor():
    menu = offer.menu_index(CATALOGUE)
    rng = random.Random(3)
    services = offer.build_services(rng, "clinic", "FR", 1000, menu["clinic"]["aesthetics"])
    staff = offer.build_staff(rng, "clinic", services)
    assert staff[0].doctor


def test_spanish_and_italian_venues_often_close_for_lunch_and_shifts_fit_the_hours():
    rng = random.Random(9)
    weeks = [schedule.opening_hours(rng, "ES", "salon") for _ in range(50)]
    assert sum(any(len(v) == 2 for v in week.values()) for week in weeks) > 15
    for week in weeks:
        shifts = schedule.staff_shifts(rng, week, lead=False)
        for day, intervals in shifts.items():
            opens, closes = week[day][0][0], week[day][-1][1]
            assert all(opens <= a < b <= closes for a, b in intervals)


def test_long_days_get_a_lunch_break_for_some_staff():
    rng = random.Random(2)
    week = {d: [(9 * 60, 18 * 60)] for d in range(5)}
    splits = [schedule.staff_shifts(rng, week, lead=True) for _ in range(40)]
    assert any(len(day) == 2 for s in splits for day in s.values())


def test_closures_are_ahead_and_time_off_is_local_midnight_in_utc():
    today = dt.date(2026, 10, 20)
    rng = random.Random(4)
    for _ in range(100):
        for start, end, _reason in schedule.closures(rng, "GB", today):
            assert today <= start <= end
    london = zoneinfo.ZoneInfo("Europe/London")
    found = []
    for _ in range(200):
        found += schedule.time_off(rng, today, london)
    assert found and all(a.tzinfo is dt.UTC and a < b for a, b, _ in found)
    whole_days = [a for a, b, _ in found if a.astimezone(london).hour == 0]
    assert whole_days  # local midnight, which is 23:00 UTC in summer time


def test_next_occurrence_rolls_into_next_year():
    assert schedule.next_occurrence(dt.date(2026, 12, 27), 12, 25) == dt.date(2027, 12, 25)
    assert schedule.next_occurrence(dt.date(2026, 12, 25), 12, 25) == dt.date(2026, 12, 25)


def city(name: str, country: str, region: str = "", district: str = "") -> City:
    return City(name, country, region, 50.0, 4.0, 100_000, zone_for(country, ""), district)


@pytest.mark.parametrize(
    ("country", "name", "pattern"),
    [
        ("GB", "London", r"(EC|WC|N|NW|SE|SW|W|E)[0-9]{1,2}[A-Z]? [0-9][A-Z]{2}"),
        ("IE", "Dublin", r"D[0-9]{2} [A-Z0-9]{4}"),
        ("NL", "Amsterdam", r"10[0-9]{2} [A-Z]{2}"),
        ("BE", "Antwerp", r"20[0-9]{2}"),
        ("DE", "Munich", r"80[0-9]{3}"),
        ("FR", "Paris", r"750[0-2][0-9]"),
        ("ES", "Barcelona", r"08[0-9]{3}"),
        ("IT", "Milan", r"201[0-9]{2}"),
        ("PT", "Porto", r"4[0-9]{3}-[0-9]{3}"),
    ],
)
def test_postcodes_follow_the_local_format_and_area(country, name, pattern):
    rng = random.Random(0)
    for _ in range(30):
        assert re.fullmatch(pattern, locale.postcode(rng, city(name, country))), name


def test_addresses_and_phones_are_written_the_local_way():
    rng = random.Random(5)
    assert re.fullmatch(r"[0-9]+ .+", locale.street_address(rng, city("Leeds", "GB"), "en"))
    assert re.fullmatch(r"[^0-9]+ [0-9]+", locale.street_address(rng, city("Köln", "DE"), "de"))
    catalan = locale.street_address(rng, city("Barcelona", "ES", "56", "Eixample"), "es")
    assert re.fullmatch(r"(Carrer|Passeig|Rambla) .+, [0-9]+, Eixample", catalan)
    assert locale.group_number("FR", "1", "23456789") == "1 23 45 67 89"
    assert locale.group_number("ES", "91", "2345678") == "912 345 678"
    assert locale.group_number("BE", "2", "1234567") == "2 123 45 67"
    assert locale.group_number("NL", "6", "12345678") == "6 1234 5678"
    assert locale.phone(random.Random(1), city("London", "GB")).startswith("+44 ")


def test_belgian_venues_name_themselves_in_the_regions_language():
    rng = random.Random(1)
    assert {locale.language(rng, city("Liège", "BE", "WAL")) for _ in range(10)} == {"fr"}
    assert {locale.language(rng, city("Gent", "BE", "VLG")) for _ in range(10)} == {"nl"}


def test_place_names_and_zones():
    assert clean_name("Donostia / San Sebastián") == "San Sebastián"
    assert district_name("Paris 15 Vaugirard", "Paris") == "Vaugirard"
    assert district_name("Paris 13e Arrondissement", "Paris") == "13e arrondissement"
    assert district_name("Circoiscrizione II", "Rome") == ""
    assert zone_for("ES", "Atlantic/Canary") == "Atlantic/Canary"
    assert zone_for("ES", "Europe/Paris") == "Europe/Madrid"


def test_fast_draws_stay_in_range_and_are_deterministic():
    rng = random.Random(1)
    assert all(3 <= between(rng, 3, 5) <= 5 for _ in range(200))
    drawn = take(random.Random(2), range(10), 4)
    assert len(set(drawn)) == 4 and drawn == take(random.Random(2), range(10), 4)
    assert take(rng, [1, 2], 5) in ([1, 2], [2, 1])
