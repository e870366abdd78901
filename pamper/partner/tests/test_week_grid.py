"""Issue 18, point 13: the owner's week as a grid (time down, days across); click a visit, click a new time, and
it moves through the same action as the API (bookings.actions.reschedule_booking), refusals shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from playwright.sync_api import expect

from pamper.bookings.models import Booking
from pamper.partner.calendar import Block, Column, Wall
from pamper.partner.week import lay_out_week_grid
from pamper.tests.browser import DESKTOP, PHONE, check_page, sign_in

from . import factories
from .factories import Salon, utc

WEEK = "/calendar/?date=2026-05-05&view=week"


def test_overlapping_visits_get_lanes_and_span_their_rows() -> None:
    open_daily = [Wall(d, dt.time(9), dt.time(18)) for d in range(7)]
    ana = Column(1, "Ana", blocks=[Block("booking", utc(2026, 5, 5, 9), utc(2026, 5, 5, 10), "Jo", "Facial", 7)])
    ben = Column(2, "Ben", blocks=[Block("booking", utc(2026, 5, 5, 9, 30), utc(2026, 5, 5, 10, 30), "Al", "Cut", 8)])
    grid = lay_out_week_grid(first_day=dt.date(2026, 5, 4), zone="Europe/London", columns=[ana, ben],
                             closures={dt.date(2026, 5, 10): "Bank holiday"}, opening_hours=open_daily)
    assert [d.lanes for d in grid.days] == [1, 2, 1, 1, 1, 1, 1]
    assert grid.rows[0][0] == "09:00" and grid.rows[-1][0] == "17:30" and len(grid.rows) == 18
    tuesday = [cells[1:3] for _, _, cells in grid.rows]  # Monday has one lane: Tuesday's two come next
    first = tuesday[2][0]  # 10:00 BST (09:00 UTC), lane 1
    assert first.kind == "block" and first.rowspan == 2 and first.block.booking_id == 7
    second = tuesday[3][1]
    assert second.kind == "block" and second.rowspan == 2 and second.block.booking_id == 8
    assert tuesday[3][0] is None and tuesday[4][1] is None  # covered by the spans above
    assert all(cells[-1].kind == "closed" for _, _, cells in grid.rows)  # Sunday's closure
    assert tuesday[0][0].kind == "open" and tuesday[0][0].move_here and not tuesday[0][1].move_here


@pytest.mark.django_db
def test_the_week_grid_moves_a_visit_with_the_actions_checks(client: Client, rose: Salon) -> None:
    visit = factories.book(rose, utc(2026, 5, 7, 13), staff=rose.ben)  # Thursday 14:00 BST
    other = factories.book(rose, utc(2026, 5, 8, 9), staff=rose.ben)  # Friday 10:00 BST
    client.force_login(rose.owner)
    page = client.get(f"/partner/{rose.venue.pk}{WEEK}").content.decode()
    assert 'id="week-grid"' in page and "Mon 4 May" in page and "Sun 10 May" in page
    assert f"&amp;move={visit.pk}" in page
    moving = client.get(f"/partner/{rose.venue.pk}{WEEK}&move={visit.pk}").content.decode()
    assert 'id="moving-notice"' in moving and f"/partner/{rose.venue.pk}/bookings/{visit.pk}/move/" in moving
    assert 'value="2026-05-06"' in moving and 'value="11:00"' in moving
    moved = client.post(f"/partner/{rose.venue.pk}/bookings/{visit.pk}/move/", {"date": "2026-05-06", "time": "11:00"})
    assert moved.status_code == 302
    assert Booking.objects.get(pk=visit.pk).start == utc(2026, 5, 6, 10)
    # Ben is booked at Friday 10:00: moving there with him is refused by the same action, and said.
    clash = client.post(f"/partner/{rose.venue.pk}/bookings/{visit.pk}/move/",
                        {"date": "2026-05-08", "time": "10:00", "staff": rose.ben.pk})
    assert clash.status_code == 409 and 'role="alert"' in clash.content.decode()
    assert Booking.objects.get(pk=other.pk).start == utc(2026, 5, 8, 9)
    assert client.get(f"/partner/{rose.venue.pk}{WEEK}&move=notanumber").status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_moving_on_the_week_grid_in_the_browser(live_server, page, frozen) -> None:
    rose = factories.salon("Rose")
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        visit = factories.book(rose, utc(2026, 5, 7, 13), staff=rose.ben)
        page.set_viewport_size(viewport)
        sign_in(page, live_server.url, rose.owner)
        page.goto(f"{live_server.url}/partner/{rose.venue.pk}{WEEK}")
        expect(page.locator("#week-grid")).to_be_visible()
        check_page(page, f"week-grid-{name}")
        page.locator(f"a.cal-move[href$='move={visit.pk}']").click()
        expect(page.locator("#moving-notice")).to_be_visible()
        page.get_by_role("button", name="Move here: Wed 6 May 2026, 11:00").click()
        expect(page.get_by_text("Moved to")).to_be_visible()
        assert Booking.objects.get(pk=visit.pk).start == utc(2026, 5, 6, 10)
        Booking.objects.filter(pk=visit.pk).delete()
