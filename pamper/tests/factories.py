"""factory_boy factories for the domain models: the one way tests make venues, people, services and bookings.

Every test world (the shared `world` fixture in pamper/tests/world.py and the thin per-app worlds on top
of it) is built from these. Defaults make a valid row with nothing else given; pass the fields a test
cares about. Related rows come from sub-factories unless given (`ServiceFactory()` makes its venue and
treatment too).

Rows with several parts take them as keyword arguments:
- `VenueFactory(hours=("09:00", "18:00"), days=range(7))` adds opening hours (none by default);
- `StaffFactory(services=[...], shifts=[("09:00", "13:00"), ("14:00", "18:00")], days=range(7))`;
- `UserFactory(password="...")` hashes a password (none by default: an unusable one, no hashing cost);
- `BookingFactory(customer=..., service=..., staff=..., start=..., status=...)` writes a one-item
  booking row straight to the tables, for history a test starts from (an attended visit, a past
  booking). Bookings a test is *about* go through `pamper.bookings.actions.book_visit`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import factory

from pamper.accounts.models import ApiToken, Membership, Role, User
from pamper.bookings.models import Booking, BookingItem, Status
from pamper.catalog.models import Category, Contraindication, Treatment
from pamper.venues.models import Client, OpeningHours, Resource, Service, Shift, Staff, Venue

__all__ = [
    "BookingFactory", "CategoryFactory", "ClientFactory", "ContraindicationFactory", "MembershipFactory",
    "ResourceFactory", "ServiceFactory", "StaffFactory", "TreatmentFactory", "UserFactory", "VenueFactory",
    "bearer", "client_of", "member", "utc",
]


def utc(*args: int) -> dt.datetime:
    """An aware UTC datetime: utc(2026, 5, 4, 7, 0)."""
    return dt.datetime(*args, tzinfo=dt.UTC)


def _time(value: str | dt.time) -> dt.time:
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(value)


def bearer(user: User, name: str = "") -> dict[str, str]:
    """Test-client keyword arguments carrying a fresh API token of `user`."""
    _, raw = ApiToken.issue(user, name=name) if name else ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


class CategoryFactory(factory.django.DjangoModelFactory):
    """A catalogue category; the same slug gives back the same row."""

    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


class ContraindicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contraindication
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"flag-{n}")
    label = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())
    question = factory.LazyAttribute(lambda o: f"{o.label}?")


class TreatmentFactory(factory.django.DjangoModelFactory):
    """A catalogue treatment; the same slug gives back the same row. `contraindications=[...]` sets its flags."""

    class Meta:
        model = Treatment
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"treatment-{n}")
    name = factory.Sequence(lambda n: f"Treatment {n}")
    category = factory.SubFactory(CategoryFactory)
    summary = "A treatment."
    session_minutes = 30
    price_from = Decimal("20")
    price_to = Decimal("90")

    @factory.post_generation
    def contraindications(self, create: bool, flags: Iterable[Contraindication] | None, **_: Any) -> None:
        if create and flags is not None:
            self.contraindications.set(flags)


class VenueFactory(factory.django.DjangoModelFactory):
    """A published London venue. `hours=(opens, closes)` adds opening hours on `days` (every day by default)."""

    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    slug = factory.Sequence(lambda n: f"venue-{n}")
    address = factory.Sequence(lambda n: f"{n} High Street")
    city = "London"
    country = "GB"
    latitude = 51.5074
    longitude = -0.1278
    timezone = "Europe/London"
    currency = "GBP"

    @classmethod
    def _create(cls, model_class: type[Venue], *args: Any, hours: tuple[Any, Any] | None = None,
                days: Iterable[int] = range(7), **kwargs: Any) -> Venue:
        venue = model_class.objects.create(*args, **kwargs)
        if hours is not None:
            OpeningHours.objects.bulk_create(
                [OpeningHours(venue=venue, weekday=d, opens=_time(hours[0]), closes=_time(hours[1])) for d in days])
        return venue


class ResourceFactory(factory.django.DjangoModelFactory):
    """A room (or a device with kind=Resource.Kind.DEVICE) at a venue."""

    class Meta:
        model = Resource

    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Room {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    """A service a venue offers, named after its treatment, priced in the venue's currency."""

    class Meta:
        model = Service

    venue = factory.SubFactory(VenueFactory)
    treatment = factory.SubFactory(TreatmentFactory)
    name = factory.LazyAttribute(lambda o: o.treatment.name)
    price = Decimal("50.00")
    currency = factory.LazyAttribute(lambda o: o.venue.currency)
    duration_minutes = 30


class StaffFactory(factory.django.DjangoModelFactory):
    """A staff member. `services=[...]` they perform; `shifts=[(start, end), ...]` worked on each of `days`."""

    class Meta:
        model = Staff

    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Stylist {n}")

    @classmethod
    def _create(cls, model_class: type[Staff], *args: Any, services: Iterable[Service] = (),
                shifts: Sequence[tuple[Any, Any]] = (), days: Iterable[int] = range(7), **kwargs: Any) -> Staff:
        staff = model_class.objects.create(*args, **kwargs)
        if services:
            staff.services.set(services)
        Shift.objects.bulk_create([Shift(staff=staff, weekday=d, start=_time(a), end=_time(b))
                                   for d in days for a, b in shifts])
        return staff


class UserFactory(factory.django.DjangoModelFactory):
    """A person. Without `password` the password is unusable (no hashing cost); sign in with force_login."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Sequence(lambda n: f"Person {n}")

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, password: str | None = None, **kwargs: Any) -> User:
        return model_class.objects.create_user(*args, password=password, **kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    """A person's role at a venue (a new person unless `user` is given)."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    venue = factory.SubFactory(VenueFactory)
    role = Role.OWNER


def member(venue: Venue, role: str = Role.OWNER, **user_fields: Any) -> User:
    """A new person (UserFactory fields) holding `role` at `venue`."""
    person = UserFactory(**user_fields)
    MembershipFactory(user=person, venue=venue, role=role)
    return person


class ClientFactory(factory.django.DjangoModelFactory):
    """A venue's client record; with `user` it takes their name and email unless given."""

    class Meta:
        model = Client

    venue = factory.SubFactory(VenueFactory)
    user = None
    name = factory.LazyAttribute(lambda o: o.user.name if o.user else "Walk-in Client")
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else "")


def client_of(user: User, venue: Venue) -> Client:
    """`user`'s client record at `venue`, made on first use (as booking does)."""
    found = Client.objects.filter(venue=venue, user=user).first()
    return found or ClientFactory(venue=venue, user=user)


class BookingFactory(factory.django.DjangoModelFactory):
    """A one-item booking row of `service` with `staff` at `start`, written straight to the tables.

    For history a test starts from (an attended visit); the item is active unless the status is
    cancelled or expired, and without `staff` there is no item (a bare row). The client record is
    `customer`'s at the venue unless `client` is given.
    """

    class Meta:
        model = Booking

    status = Status.ATTENDED

    @classmethod
    def _create(cls, model_class: type[Booking], *args: Any, service: Service, start: dt.datetime,
                staff: Staff | None = None, customer: User | None = None, client: Client | None = None,
                **kwargs: Any) -> Booking:
        venue = service.venue
        end = start + dt.timedelta(minutes=service.duration_minutes)
        booking = model_class.objects.create(
            venue=venue, client=client or client_of(customer, venue), customer=customer, start=start, end=end,
            total_price=service.price, currency=service.currency, **kwargs)
        if staff is None:
            return booking  # a bare booking row, no diary item
        BookingItem.objects.create(
            booking=booking, venue=venue, service=service, staff=staff, start=start, end=end, busy_start=start,
            busy_end=end, price=service.price, currency=service.currency,
            active=booking.status not in {Status.CANCELLED, Status.EXPIRED})
        return booking
