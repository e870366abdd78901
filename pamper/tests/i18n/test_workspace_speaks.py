"""The venue workspace reads in the owner's language, as the customer pages do (test_pages_speak.py): no English
msgid left verbatim, no English plural glued on, no link that drops the language prefix."""

from __future__ import annotations

import re
from collections.abc import Iterator
from zoneinfo import available_timezones

import pytest
from babel.numbers import list_currencies
from django.urls import reverse
from django.utils import translation

from pamper.tests.world import World
from pamper.venues.models import Resource

from .test_pages_speak import (
    LANGUAGES,
    english_left,
    links_without_prefix,
    read_page,
    repeated_in_brackets,
    world_names,
)


def pages(world: World) -> Iterator[tuple[str, str]]:
    """(who, address without the language prefix) for each workspace page an owner or practitioner opens."""
    v = f"/partner/{world.venue.pk}/"
    client = world.treated(world.customer)
    booking = client.bookings.order_by("pk").first()
    for page in ("settings/", "policies/", "payments/", "payments/gift-cards/", "calendar/",
                 "calendar/?view=week", "calendar/?view=day", "bookings/new/", f"bookings/{booking.pk}/",
                 "clients/", f"clients/{client.pk}/", "services/", "services/new/",
                 f"services/{world.facial_service.pk}/", "rooms/", "staff/", f"staff/{world.staff.pk}/",
                 f"staff/{world.staff.pk}/schedule/", "hours/", "photos/", "team/", "credentials/"):
        yield "owner", v + page
    yield "owner", "/partner/venues/new/"
    yield "owner", "/partner/for-business/"
    with translation.override("en"):
        clinical = [reverse("clinical:staff_worklist", args=[world.venue.pk]),
                    reverse("clinical:staff_client", args=[world.venue.pk, client.pk])]
    for address in clinical:
        yield "practitioner", address


def workspace_names() -> list[str]:
    """The world's own words (world_names) and its rooms' names, which the customer pages never show."""
    rooms = set(Resource.objects.values_list("name", flat=True))
    return sorted(set(world_names()) | rooms, key=len, reverse=True)


IDENTIFIERS = available_timezones() | set(list_currencies())


def words_only(found: list[str]) -> list[str]:
    """Drop time-zone ids (Europe/London) and ISO currency codes: identifiers, the same in every language."""
    return [text for text in found if text not in IDENTIFIERS and not re.fullmatch(r"[A-Z]{3}", text)
            and not ("/" in text and any(zone.startswith(text) for zone in IDENTIFIERS))]  # Europe/<world city>


# The English texts of each page, read once per test process rather than once per language: the shared world
# comes back with the same ids for every test (pamper/tests/snapshot.py), so an address names the same page.
_ENGLISH: dict[tuple[str, str, tuple[str, ...]], tuple[int, frozenset[str]]] = {}


def english_texts(world: World, who: str, address: str, names: list[str]) -> tuple[int, frozenset[str]]:
    """(status, the texts) of the page in English, as `who` sees it."""
    key = (who, address, tuple(names))
    if key not in _ENGLISH:
        response = world.browser(who).get(address)
        texts = read_page(response.content.decode(), names).texts if response.status_code == 200 else []
        _ENGLISH[key] = (response.status_code, frozenset(texts))
    return _ENGLISH[key]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_workspace_reads_in_the_owners_language(world: World, language: str) -> None:
    names, problems = workspace_names(), {}
    for who, address in pages(world):
        status, english = english_texts(world, who, address, names)
        if status != 200:
            problems[address] = [f"status {status}"]
            continue
        local = world.browser(who).get(f"/{language}{address}")
        page = read_page(local.content.decode(), names)
        found = words_only(english_left(page.texts, set(english), language))
        found += repeated_in_brackets(page.texts)
        found += [f"link without /{language}/: {link}" for link in links_without_prefix(page.links, language)]
        if found:
            problems[address] = sorted(set(found))
    assert not problems, "\n".join(f"{where}:\n    " + "\n    ".join(found) for where, found in problems.items())


def test_the_workspace_tabs_have_distinct_names_in_every_language() -> None:
    """'Staff' and 'Team' were both 'Team' in German and Dutch, 'Équipe' in French: two tabs of one name."""
    from pamper.partner.views.common import NAV

    for language in ["en", *LANGUAGES]:
        with translation.override(language):
            names = [str(label) for _name, label, _perm in NAV]
        assert len(set(names)) == len(names), (language, names)
