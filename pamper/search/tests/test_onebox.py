"""One box: treatment and place typed together are split, in every language (issue 15)."""

from __future__ import annotations

import pytest

from pamper.search import onebox, places, understand

pytestmark = pytest.mark.django_db

CASES = [
    # language, text, what, where
    ("en", "botox london", "botox", "london"),
    ("en", "mesotherapy in Manchester", "mesotherapy", "Manchester"),
    ("en", "nails near Leeds", "nails", "Leeds"),
    ("en", "lip filler Birmingham", "lip filler", "Birmingham"),
    ("en", "laser hair removal in Newcastle upon Tyne", "laser hair removal", "Newcastle upon Tyne"),
    ("en", "gel nails SW1A 1AA", "gel nails", "SW1A 1AA"),
    ("en", "London botox", "botox", "London"),
    ("en", "brazilian wax in London UK", "brazilian wax", "London UK"),
    ("fr", "massage paris", "massage", "paris"),
    ("fr", "épilation laser près de Lyon", "épilation laser", "Lyon"),
    ("fr", "extension de cils à Marseille", "extension de cils", "Marseille"),
    ("fr", "soin visage Bordeaux", "soin visage", "Bordeaux"),
    ("de", "Maniküre in Berlin", "Maniküre", "Berlin"),
    ("de", "Wimpernverlängerung in der Nähe von München", "Wimpernverlängerung", "München"),
    ("de", "Waxing bei Hamburg", "Waxing", "Hamburg"),
    ("de", "Haarentfernung Köln", "Haarentfernung", "Köln"),
    ("es", "masaje cerca de Madrid", "masaje", "Madrid"),
    ("es", "depilación láser en Barcelona", "depilación láser", "Barcelona"),
    ("es", "uñas de gel Valencia", "uñas de gel", "Valencia"),
    ("it", "massaggio vicino a Roma", "massaggio", "Roma"),
    ("it", "ceretta a Milano", "ceretta", "Milano"),
    ("it", "extension ciglia Torino", "extension ciglia", "Torino"),
    ("nl", "massage in de buurt van Amsterdam", "massage", "Amsterdam"),
    ("nl", "gellak bij Utrecht", "gellak", "Utrecht"),
    ("nl", "wimperextensions Rotterdam", "wimperextensions", "Rotterdam"),
    ("pt", "massagem perto de Lisboa", "massagem", "Lisboa"),
    ("pt", "depilação a laser em Porto", "depilação a laser", "Porto"),
    ("pt", "unhas de gel Braga", "unhas de gel", "Braga"),
]


def _split(text: str, language: str) -> onebox.OneBox:
    prefer = places.country_for_language(language)
    return onebox.split(text, understand.catalogue(), places.index(), language, prefer)


@pytest.mark.parametrize(("language", "text", "what", "where"), CASES)
def test_treatment_and_place_are_split(catalogue, language, text, what, where):
    found = _split(text, language)
    assert (found.what, found.where) == (what, where)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "hot stone massage"), ("en", "brazilian wax"), ("en", "cellulite"), ("fr", "épilation à la cire"),
    ("de", "Thai Massage"), ("es", "depilación con cera"), ("it", "massaggio thailandese"),
    ("nl", "hotstone massage"), ("pt", "massagem com pedras quentes"), ("en", "indian head massage"),
])
def test_a_treatment_alone_is_not_split(catalogue, language, text):
    found = _split(text, language)
    assert (found.what, found.where, found.near_me) == (text, None, False)


@pytest.mark.parametrize(("language", "text", "what"), [
    ("en", "botox near me", "botox"), ("fr", "massage près de chez moi", "massage"),
    ("de", "Maniküre in meiner Nähe", "Maniküre"), ("es", "masaje cerca de mí", "masaje"),
    ("it", "ceretta vicino a me", "ceretta"), ("nl", "kapper in de buurt", "kapper"),
    ("pt", "massagem perto de mim", "massagem"),
])
def test_near_me_asks_the_browser(catalogue, language, text, what):
    found = _split(text, language)
    assert (found.what, found.where, found.near_me) == (what, None, True)


@pytest.mark.parametrize("text", ["Leeds", "Paris", "SW1A 1AA", "75001", "Den Haag"])
def test_a_place_alone_is_all_where(catalogue, text):
    found = _split(text, "en")
    assert (found.what, found.where) == ("", text)
