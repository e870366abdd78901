"""Factories for search tests: treatments, venues and their services."""

from __future__ import annotations

from decimal import Decimal

import factory

from pamper.catalog.models import Category, Treatment
from pamper.venues.models import Service, Venue


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")


class TreatmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Treatment
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"treatment-{n}")
    name = factory.Sequence(lambda n: f"Treatment {n}")
    category = factory.SubFactory(CategoryFactory)
    summary = "A treatment."
    session_minutes = 30
    price_from = Decimal("20")
    price_to = Decimal("90")


class VenueFactory(factory.django.DjangoModelFactory):
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


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    venue = factory.SubFactory(VenueFactory)
    treatment = factory.SubFactory(TreatmentFactory)
    name = factory.LazyAttribute(lambda o: o.treatment.name)
    price = Decimal("50.00")
    currency = factory.LazyAttribute(lambda o: o.venue.currency)
    duration_minutes = 30
