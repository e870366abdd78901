"""A GB clinic offering anti-wrinkle injections with four practitioners, as in the demo (and a facial)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from pamper.accounts.models import Role, User
from pamper.bookings.tests import helpers as h
from pamper.catalog.models import Treatment
from pamper.tests.factories import BookingFactory, client_of, member
from pamper.venues.models import Service, Staff, Venue

from ..actions import record_credential, record_prescription, verify_credential
from ..models import Credential, Kind

NOW = h.utc(2026, 5, 4, 7, 0)  # Monday 4 May 2026, 08:00 in London
FAR = dt.date(2030, 1, 1)
_visits = itertools.count()


@dataclass
class Clinic:
    venue: Venue
    owner: User
    botox: Treatment
    injections: Service
    facial: Service
    doctor: Staff
    nurse: Staff  # a nurse prescriber
    aesthetic: Staff  # supervised by the nurse
    therapist: Staff  # a skin therapist: no registration


def credential(clinic: Clinic, staff: Staff, kind: str, *, verify: bool = True, **fields: object) -> Credential:
    row = record_credential(venue=clinic.venue, staff=staff, by=clinic.owner, kind=kind, now=NOW, **fields)
    return verify_credential(credential=row, by=clinic.owner, now=NOW) if verify else row


def basics(clinic: Clinic, staff: Staff, until: dt.date = FAR) -> None:
    """Training for the injections and insurance, verified."""
    credential(clinic, staff, Kind.TRAINING, body="Academy", number="T1", treatment=clinic.botox, valid_until=until)
    credential(clinic, staff, Kind.INSURANCE, body="Insurer", number="P1", valid_until=until)


def clinic(country: str = "GB", doctor_until: dt.date | None = None) -> Clinic:
    venue = h.venue(country=country, kind="clinic")
    botox = h.treatment(slug="anti-wrinkle-injections", name="Anti-wrinkle injections")
    injections = h.service(venue, minutes=30, name="Anti-wrinkle injections", t=botox)
    facial = h.service(venue, minutes=60, name="Facial")
    people = [h.staff(venue, [injections, facial], name=name, position=i)
              for i, name in enumerate(["Dr Dora", "Nia", "Amy", "Sky"])]
    c = Clinic(venue, member(venue, Role.OWNER), botox, injections, facial, *people)
    credential(c, c.doctor, Kind.REGISTRATION, profession="doctor", body="GMC", number="7000001",
               valid_until=doctor_until)
    credential(c, c.nurse, Kind.REGISTRATION, profession="nurse", body="NMC", number="12A3456B")
    credential(c, c.nurse, Kind.PRESCRIBER, body="NMC", number="V300")
    credential(c, c.aesthetic, Kind.SUPERVISION, treatment=botox, supervisor=c.nurse)
    for person in (c.doctor, c.nurse, c.aesthetic, c.therapist):
        basics(c, person)
    return c


def prescribed(c: Clinic, customer: User) -> None:
    """The nurse prescriber saw the customer last week and prescribed the injections."""
    start = NOW - dt.timedelta(days=7, hours=next(_visits) % 96)  # one past hour each: the diary never overlaps
    visit = BookingFactory(customer=customer, service=c.facial, staff=c.nurse, start=start)
    record_prescription(venue=c.venue, client=client_of(customer, c.venue), treatment=c.botox, prescriber=c.nurse,
                        consultation=visit, by=c.owner, now=NOW)
