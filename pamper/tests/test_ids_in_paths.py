"""An id in a page's address that no 64-bit column can hold is a 404, never a 500.

Django's `<int:...>` takes any run of digits, and /partner/99999999999999999999/ then overflowed inside the
database (SQLite: 'Python int too large to convert to SQLite INTEGER'). Every page route names its ids with
`<id:...>` (pamper.lib.routes), which refuses such a number before the view runs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from pamper.lib.ids import MAX_ID
from pamper.lib.routes import RowId
from pamper.tests.world import World

NOT_A_NUMBER_PARAMS = {"width"}  # a picture's width in pixels is no database id (and reaches no query)


def _patterns(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[tuple[str, str, object]]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        for name, converter in getattr(entry.pattern, "converters", {}).items():
            yield route, name, converter
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, route)


def test_every_number_in_a_page_address_is_a_bounded_id() -> None:
    unbounded = [(route, name) for route, name, converter in _patterns(get_resolver().url_patterns)
                 if isinstance(converter, IntConverter) and name not in NOT_A_NUMBER_PARAMS
                 and not route.startswith("admin/")]  # the operator's admin (django-otp's pages) is not ours
    assert unbounded == []


def test_the_id_converter_takes_database_ids_only() -> None:
    converter = RowId()
    assert converter.to_python(str(MAX_ID)) == MAX_ID
    with pytest.raises(ValueError):
        converter.to_python(str(MAX_ID + 1))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/partner/{id}/", "/partner/{id}/calendar/", "/fr/partner/{id}/settings/",
                                  "/partner/{venue}/bookings/{id}/", "/bookings/{id}/calendar.ics",
                                  "/partner/clinical/{id}/"])
def test_an_id_past_a_database_column_is_not_found(world: World, path: str) -> None:
    owner = world.browser("owner")
    for huge in (str(MAX_ID + 1), "9" * 40):
        answer = owner.get(path.format(id=huge, venue=world.venue.pk))
        assert answer.status_code == 404, (path, huge, answer.status_code)
