"""Places: the served countries first, a country after the town, postcodes of the nine countries (issue 15)."""

from __future__ import annotations

import pytest

from pamper.search import places, postcodes


def where(text: str, prefer: str | None = None) -> tuple[str, str] | None:
    answer = places.resolve(text, None, prefer)
    return (answer.place.name, answer.place.country) if answer.place else None


@pytest.mark.parametrize(("text", "town", "country"), [
    ("SW1A 1AA", "London", "GB"), ("M1 1AE", "Manchester", "GB"), ("LS1 4AP", "Leeds", "GB"),
    ("EH1", "Edinburgh", "GB"),
    ("D02 X285", "Dublin", "IE"), ("T12 XW62", "Cork", "IE"),
    ("1012", "Amsterdam", "NL"), ("1012 AB", "Amsterdam", "NL"), ("3011", "Rotterdam", "NL"),
    ("2000", "Antwerp", "BE"),
    ("10115", "Berlin", "DE"), ("80331", "Munich", "DE"),
    ("75001", "Paris", "FR"), ("69001", "Lyon", "FR"),
    ("28013", "Madrid", "ES"), ("08001", "Barcelona", "ES"),
    ("00118", "Rome", "IT"), ("20121", "Milan", "IT"),
    ("1000-001", "Lisbon", "PT"), ("4000-001", "Porto", "PT"),
])
def test_a_postcode_of_each_served_country_finds_its_town(text, town, country):
    prefer = {"BE": "BE", "ES": "ES"}.get(country)
    assert where(text, prefer) == (town, country)


def test_a_uk_postcode_gives_its_area_centre_and_a_time_zone():
    answer = places.resolve("SW1A 1AA")
    assert answer.place.timezone == "Europe/London"
    assert answer.place.uses_miles
    assert 51.3 < answer.place.lat < 51.6


def test_a_code_shared_by_countries_prefers_the_visitors_then_the_bigger_town():
    assert where("28013") == ("Madrid", "ES")
    assert where("28013", "IT")[1] == "IT"
    assert {p.country for p in places.resolve("28013").alternatives} == {"IT"}


def test_text_that_is_no_postcode_is_not_one():
    assert postcodes.lookup("London") == []
    assert postcodes.lookup("99999") == []
    assert not postcodes.looks_like_postcode("Leeds")


@pytest.mark.parametrize(("text", "town", "country"), [
    ("Valencia", "Valencia", "ES"), ("Newcastle", "Newcastle upon Tyne", "GB"),
    ("Westminster", "City of Westminster", "GB"),
    ("Boston", "Boston", "GB"), ("London UK", "London", "GB"), ("Paris, France", "Paris", "FR"),
    ("Paris France", "Paris", "FR"), ("Cambridge, England", "Cambridge", "GB"),
    ("Cambridge England", "Cambridge", "GB"),
    ("London, CA", "London", "CA"), ("Den Haag", "The Hague", "NL"), ("Milano", "Milan", "IT"),
])
def test_ambiguous_names_go_to_the_served_countries_first(text, town, country):
    assert where(text) == (town, country)


def test_other_countries_stay_as_alternatives():
    answer = places.resolve("Valencia")
    assert "VE" in {p.country for p in answer.alternatives}


def test_autocomplete_puts_served_towns_first():
    assert [p.country for p in places.autocomplete("Valen")][:1] == ["ES"]
    assert places.autocomplete("Newc")[0].name == "Newcastle upon Tyne"
