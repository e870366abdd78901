"""Reads for the booking pages: what a venue offers online and who can do it.

The schedule a slot search needs is read by `schedule.py`; a customer's own
bookings by `Booking.objects.for_customer(user)`.
"""

from __future__ import annotations

from pamper.venues.models import Service, Staff, Venue


def online_menu(venue: Venue) -> list[Service]:
    """The venue's active services bookable online, with their treatment, in menu order."""
    return list(Service.objects.filter(venue=venue, is_active=True, online_bookable=True)
                .select_related("treatment").order_by("position", "name"))


def active_staff(venue: Venue) -> list[Staff]:
    """The venue's active staff, each with the services they perform prefetched."""
    return list(Staff.objects.filter(venue=venue, is_active=True).prefetch_related("services"))


def staff_for_all(staff: list[Staff], services: list[Service]) -> list[Staff]:
    """Staff who perform every chosen service (the only ones worth offering by name). Reads nothing more."""
    wanted = {s.id for s in services}
    return [member for member in staff if wanted <= {s.id for s in member.services.all()}]
