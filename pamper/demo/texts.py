"""Short venue descriptions for demo venues, assembled from a few sentences per kind."""

from __future__ import annotations

import random
from collections.abc import Sequence

from .rand import pick

OPENERS = {
    "salon": (
        "An independent salon in {area}, run by a small team who have worked together for years.",
        "A bright, relaxed salon in {area} where the first ten minutes of every visit are spent talking, not cutting.",
        "A neighbourhood salon in {area} with a loyal following and an unhurried pace.",
        "A modern hair and beauty studio in {area}.",
    ),
    "barber": (
        "A traditional barbershop in {area}: hot towels, sharp clippers and no fuss.",
        "A busy barber in {area} with chairs for walk-ins and booked appointments alike.",
        "A small barbershop in {area} that takes its fades and beard work seriously.",
    ),
    "clinic": (
        "A medical aesthetics clinic in {area}, led by registered clinicians.",
        "A doctor-led skin clinic in {area} offering injectables and clinical skin treatments.",
        "An aesthetics clinic in {area} that puts assessment and aftercare first.",
    ),
    "spa": (
        "A calm day spa in {area}, a short walk from the centre.",
        "A spa in {area} with quiet treatment rooms and therapists who know when not to talk.",
        "An urban retreat in {area} for massage, facials and body treatments.",
    ),
}
MIDDLES = {
    "salon": ("Clients come back for the {a} and the {b}.", "The team is best known for {a}; {b} is a close second."),
    "barber": ("Regulars come for the {a}; first-timers often add {b}.", "Expect a proper {a} and an honest opinion."),
    "clinic": (
        "Every clinical treatment starts with a consultation and a medical history, and injectables are given "
        "only after that assessment.",
        "Popular here: {a} and {b}. Where a treatment needs a patch test, it is booked and checked before the "
        "treatment itself.",
    ),
    "spa": ("Most guests book the {a}; many pair it with {b}.", "Treatments here include {a} and {b}."),
}
CLOSERS = (
    "Step-free access from the street.",
    "The studio is up one flight of stairs; there is no lift.",
    "Card and contactless payments only.",
    "Please arrive five minutes early for your first visit.",
    "Free cancellation up to 24 hours before your appointment.",
    "Bike racks outside and a bus stop around the corner.",
)


def description(rng: random.Random, kind: str, area: str, service_names: Sequence[str]) -> str:
    """Two or three sentences about the venue, naming a couple of what it offers."""
    a = service_names[0] if service_names else "treatments"
    b = service_names[1] if len(service_names) > 1 else "aftercare advice"
    text = [pick(rng, OPENERS[kind]).format(area=area), pick(rng, MIDDLES[kind]).format(a=_lower(a), b=_lower(b))]
    if rng.random() < 0.7:
        text.append(pick(rng, CLOSERS))
    return " ".join(text)


def _lower(name: str) -> str:
    """'Swedish massage' stays, 'Gel manicure' -> 'gel manicure': lower-case unless a proper name leads."""
    first, _, rest = name.partition(" ")
    proper = first in {"Swedish", "Hopi", "Thai", "Indian", "Brazilian", "Hollywood", "Botox", "HydraFacial"}
    return name if proper else (first.lower() + (" " + rest if rest else ""))
