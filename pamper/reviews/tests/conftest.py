from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from pamper.accounts.models import User
from pamper.bookings.models import Booking
from pamper.catalog.models import Treatment
from pamper.venues.models import Service, Staff, Venue

from . import factories as f


@dataclass
class Shop:
    venue: Venue
    treatment: Treatment
    service: Service
    staff: Staff
    customer: User
    owner: User

    def visit(self, *, days_ago: float = 3, customer: User | None = None, staff: Staff | None = None,
              **kw: object) -> Booking:
        """An attended visit that ended days_ago before factories.NOW (unless status says otherwise).

        Each visit gets its own practitioner unless one is given, so visits at the
        same time never trip PostgreSQL's no-overlap constraint.
        """
        start = f.NOW - dt.timedelta(days=days_ago, minutes=45)
        who = staff or (self.staff if not self.staff.booking_items.exists() else f.staff(self.venue, name="Jo Bloggs"))
        return f.booking(customer or self.customer, self.service, who, start=start, **kw)  # type: ignore[arg-type]


@pytest.fixture
def shop(db: None) -> Shop:
    v = f.venue()
    t = f.treatment()
    return Shop(v, t, f.service(v, t), f.staff(v), f.user(), f.member(v))
