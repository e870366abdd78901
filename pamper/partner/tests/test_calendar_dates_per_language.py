"""The calendar writes its dates as the reader's language does (Babel, as every other page), not with Django's
date filter, which spells the month in the language but keeps English order and punctuation ('Mo 4 Mai')."""

from __future__ import annotations

import pytest
from django.test import Client

from . import factories
from .factories import Salon, utc

pytestmark = pytest.mark.django_db


def test_the_week_and_the_day_read_as_german_dates(client: Client, rose: Salon) -> None:
    booking = factories.book(rose, utc(2026, 5, 5, 9, 0), staff=rose.ana)  # 10:00 in London
    client.force_login(rose.owner)
    week = client.get(f"/de/partner/{rose.venue.pk}/calendar/?date=2026-05-05&view=week").content.decode()
    assert "Mo., 4. Mai" in week and "Mo 4 Mai" not in week
    assert "10. Mai 2026" in week and "10 Mai 2026" not in week
    day = client.get(f"/de/partner/{rose.venue.pk}/calendar/?date=2026-05-05").content.decode()
    assert "Dienstag, 5. Mai 2026" in day and "Dienstag 5 Mai 2026" not in day
    path = f"/de/partner/{rose.venue.pk}/calendar/?date=2026-05-05&view=week&move={booking.pk}"
    moving = client.get(path).content.decode()
    assert "am Di., 5. Mai 2026, 10:00" in moving and "Di 5 Mai, 10:00" not in moving
