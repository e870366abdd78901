"""Who may treat at Pamper Demo Clinic: the doctor and the nurse prescriber give anti-wrinkle injections, the
aesthetic practitioner only under the nurse's recorded supervision, and the skin therapist, though listed for
them, is never offered (she holds no registration and no supervision). Registration numbers are made up."""

from __future__ import annotations

import datetime as dt

from pamper.accounts.models import User
from pamper.catalog.models import Treatment
from pamper.practitioners.actions import record_credential, verify_credential
from pamper.practitioners.models import Kind
from pamper.venues import actions
from pamper.venues.models import Service, Staff, Venue

INJECTABLES = ("anti-wrinkle-injections", "dermal-fillers", "lip-fillers")


def _add(venue: Venue, owner: User, staff: Staff, kind: str, **fields: object) -> None:
    row = record_credential(venue=venue, staff=staff, by=owner, kind=kind, **fields)  # type: ignore[arg-type]
    verify_credential(credential=row, by=owner)


def _basics(venue: Venue, owner: User, staff: Staff, treatments: list[Treatment], until: dt.date) -> None:
    for t in treatments:
        _add(venue, owner, staff, Kind.TRAINING, body="Demo Aesthetics Academy", number=f"DAA-{staff.pk}-{t.pk}",
             treatment=t, valid_until=until + dt.timedelta(days=365))
    _add(venue, owner, staff, Kind.INSURANCE, body="Demo Medical Insurance", number=f"DMI-{staff.pk}",
         valid_until=until)


def ensure_demo_credentials(venue: Venue, owner: User, today: dt.date) -> None:
    """Record and verify the clinic's credentials, add its aesthetic practitioner; nothing when done already."""
    if venue.credentials.exists():
        return
    injections = list(Service.objects.filter(venue=venue, treatment__slug__in=INJECTABLES, kind="treatment"))
    botox = [s for s in injections if s.treatment.slug == "anti-wrinkle-injections"]
    treatments = [s.treatment for s in injections]
    staff = {s.title: s for s in Staff.objects.filter(venue=venue)}
    doctor, nurse = staff["Aesthetic doctor"], staff["Aesthetic nurse practitioner"]
    therapist = staff.get("Skin therapist")
    aesthetic = actions.save_staff(venue=venue, name="Mia Laurent", title="Aesthetic practitioner", services=botox,
                                   position=3, bio="Trained in anti-wrinkle injections; works under Sam's supervision.")
    actions.set_shifts(staff=aesthetic, shifts=[(d, dt.time(10), dt.time(18)) for d in range(5)])
    if therapist is not None:  # listed for the injections, so the booking page has someone to leave out
        actions.save_staff(venue=venue, staff=therapist, name=therapist.name, title=therapist.title,
                           bio=therapist.bio, services=[*therapist.services.all(), *botox])
    until = today + dt.timedelta(days=300)
    _add(venue, owner, doctor, Kind.REGISTRATION, profession="doctor", body="GMC", number="0000001")
    _add(venue, owner, nurse, Kind.REGISTRATION, profession="nurse", body="NMC", number="00A0000Z")
    _add(venue, owner, nurse, Kind.PRESCRIBER, body="NMC", number="V300")
    for person in (doctor, nurse):
        _basics(venue, owner, person, treatments, until)
    _basics(venue, owner, aesthetic, [s.treatment for s in botox], until)
    for s in botox:
        _add(venue, owner, aesthetic, Kind.SUPERVISION, treatment=s.treatment, supervisor=nurse, valid_until=until)
    if therapist is not None:
        _basics(venue, owner, therapist, [s.treatment for s in botox], until)
