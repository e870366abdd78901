"""The confirmation of a booking made inside the venue's notice window says what the customer may really do
(cancel free of charge within the first minutes, then call the venue), not "free of charge until" a time gone."""

from __future__ import annotations

import pytest
import time_machine

from pamper.bookings.models import FREE_CANCEL_MINUTES

from .helpers import book, html_of, text_of, utc

pytestmark = pytest.mark.django_db


@time_machine.travel(utc(2026, 6, 1, 9, 0), tick=False)
def test_a_late_booking_is_confirmed_without_a_deadline_already_gone(smtp, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        book(world, utc(2026, 6, 1, 13, 30))  # 14:30 today: inside the venue's notice
    [mail] = smtp.inbox.to(world.customer.email)
    for body in (text_of(mail), html_of(mail)):
        assert "free of charge until" not in body
        assert f"within {FREE_CANCEL_MINUTES} minutes of booking" in body


@time_machine.travel(utc(2026, 6, 1, 9, 0), tick=False)
def test_an_early_booking_is_confirmed_with_its_deadline(smtp, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        book(world, utc(2026, 6, 10, 13, 30))
    [mail] = smtp.inbox.to(world.customer.email)
    assert "You can cancel or move it free of charge until Tue 9 Jun 2026, 14:30 BST." in text_of(mail)
