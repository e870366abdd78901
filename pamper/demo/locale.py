"""Names, addresses, postcodes and phone numbers in each demo country's local style.

Every function takes the random generator it draws from, so a venue's details
depend only on the seed.
"""

from __future__ import annotations

import functools
import random
import string

from .locale_data import (
    DOCTOR,
    FIRST_NAMES,
    LONDON_DISTRICTS,
    LONDON_STREET_DISTRICTS,
    PHONES,
    POSTCODE_PREFIX,
    STREETS,
    SURNAMES,
    VENUE_NAMES,
    WORDS,
)
from .places import City, demo_cities, flat_km
from .rand import between, pick

LANGUAGE = {"GB": "en", "IE": "en", "NL": "nl", "BE": "nl", "DE": "de", "FR": "fr", "ES": "es", "IT": "it", "PT": "pt"}
# Cities geonames names in English, as their own language writes them in a venue's name.
LOCAL_CITY_NAMES = {
    ("Munich", "de"): "München", ("Nuremberg", "de"): "Nürnberg", ("Rome", "it"): "Roma", ("Milan", "it"): "Milano",
    ("Naples", "it"): "Napoli", ("Turin", "it"): "Torino", ("Florence", "it"): "Firenze", ("Genoa", "it"): "Genova",
    ("Venice", "it"): "Venezia", ("Padua", "it"): "Padova", ("Lisbon", "pt"): "Lisboa", ("Brussels", "fr"): "Bruxelles",
    ("Brussels", "nl"): "Brussel", ("Antwerp", "nl"): "Antwerpen", ("The Hague", "nl"): "Den Haag",
    ("Ostend", "nl"): "Oostende",
}
GB_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
EIRCODE_CHARS = "ACDEFHKNPRTVWXY0123456789"


def language(rng: random.Random, city: City) -> str:
    """The language a venue names itself in; Belgium splits by region, Brussels mostly French."""
    if city.country != "BE":
        return LANGUAGE[city.country]
    if city.region == "WAL":
        return "fr"
    if city.region == "BRU":
        return "fr" if rng.random() < 0.75 else "nl"
    return "nl"


def person(rng: random.Random, country: str, woman: bool) -> tuple[str, str]:
    """(first name, surname) common in the country."""
    women, men = FIRST_NAMES[country]
    return pick(rng, women if woman else men), pick(rng, SURNAMES[country])


def doctor_title(country: str, woman: bool) -> str:
    """'Dr', 'Dr.', 'Dra.', 'Dott.ssa' ... as written there."""
    return DOCTOR[country][0 if woman else 1]


def venue_name(rng: random.Random, city: City, kind: str, lang: str) -> str:
    """A plausible name for a venue of this kind in this language."""
    pattern = pick(rng, VENUE_NAMES[lang][kind])
    woman = rng.random() < (0.2 if kind == "barber" else 0.7)
    first, last = person(rng, city.country, woman)
    place = LOCAL_CITY_NAMES.get((city.name, lang), city.name)
    return pattern.format(
        first=first, last=last, city=place, word=pick(rng, WORDS[lang]), dr=doctor_title(city.country, woman)
    )


def street_address(rng: random.Random, city: City, lang: str) -> str:
    """House number and street written the local way, with the district when there is one."""
    key = city.country
    if city.country == "GB" and city.name == "London":
        key = "GB-London"
    elif city.country == "BE":
        key = f"BE-{lang}"
    elif city.country == "ES" and city.region == "56":  # Catalonia
        key = "ES-ca"
    street = pick(rng, STREETS[key])
    number = between(rng, 1, 180)
    if key == "GB-London":  # the street names its area: a district from geonames would contradict it
        return f"{number} {street}"
    if city.country in ("GB", "IE"):
        line = f"{number} {street}"
    elif city.country == "FR":
        line = f"{number}{' bis' if rng.random() < 0.05 else ''} {street}"
    elif city.country in ("ES", "IT", "PT"):
        line = f"{street}, {number}"
    else:
        line = f"{street} {number}"
    return f"{line}, {city.district}" if city.district else line


@functools.cache
def _anchors(country: str) -> tuple[tuple[str, float, float], ...]:
    """(name, lat, lng) of the listed postcode cities that the city list contains."""
    listed, seen, out = POSTCODE_PREFIX[country], set(), []
    for city in demo_cities():
        if city.country == country and city.name in listed and not city.district and city.name not in seen:
            seen.add(city.name)
            out.append((city.name, city.latitude, city.longitude))
    return tuple(out)


@functools.cache
def postcode_prefix(city: City) -> tuple[str, bool]:
    """(prefix, exact): the city's own postcode prefix, or the nearest listed city's (exact=False)."""
    listed = POSTCODE_PREFIX[city.country]
    if city.name in listed:
        return listed[city.name], True
    anchors = _anchors(city.country)
    if not anchors:
        return next(iter(listed.values())), False
    name = min(anchors, key=lambda a: flat_km(city.latitude, city.longitude, a[1], a[2]))[0]
    return listed[name], False


def postcode(rng: random.Random, city: City, address: str = "") -> str:
    """A postcode in the country's format, in the right area for the bigger cities; in London, the district the
    address's street lies in."""
    if city.country == "GB" and city.name == "London":
        street = address.split(" ", 1)[-1].split(",")[0]
        return f"{pick(rng, LONDON_STREET_DISTRICTS.get(street, LONDON_DISTRICTS))} {_gb_inward(rng)}"
    prefix, exact = postcode_prefix(city)
    return _FORMATS[city.country](rng, prefix, exact, city.name)


def _gb_inward(rng: random.Random) -> str:
    return f"{between(rng, 1, 9)}{pick(rng, GB_INWARD_LETTERS)}{pick(rng, GB_INWARD_LETTERS)}"


def _gb(rng: random.Random, prefix: str, exact: bool, name: str) -> str:
    return f"{prefix}{between(rng, 1, 30 if len(prefix) == 1 else 20)} {_gb_inward(rng)}"


def _ie(rng: random.Random, prefix: str, exact: bool, name: str) -> str:
    if name == "Dublin" or not prefix:
        prefix = f"D{pick(rng, [1, 2, 4, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 18, 20, 24]):02d}"
    return f"{prefix} {pick(rng, EIRCODE_CHARS[:15])}{''.join(rng.choices(EIRCODE_CHARS, k=3))}"


def _nl(rng: random.Random, prefix: str, exact: bool, name: str) -> str:
    letters = "".join(rng.choices(string.ascii_uppercase.replace("Q", ""), k=2))
    if letters in ("SA", "SD", "SS"):
        letters = "AB"
    return f"{prefix}{between(rng, 11, 99)} {letters}"


def _be(rng: random.Random, prefix: str, exact: bool, name: str) -> str:
    return f"{prefix}{pick(rng, ['00', '00', '00', '20', '30', '40', '50', '60', '70', '80'])}"


def _de(rng: random.Random, prefix: str, exact: bool, name: str) -> str:
    return f"{prefix}{between(rng, 0, 999):03d}"


def _fr(rng: random.Random, prefix: str, exact: bool, name: str) -> str:
    if name == "Paris":
        return f"750{between(rng, 1, 20):02d}"
    if name == "Lyon":
        return f"6900{between(rng, 1, 9)}"
    if name == "Marseille":
        return f"130{between(rng, 1, 16):02d}"
    return f"{prefix}{pick(rng, ['000', '100', '200', '300']) if exact else f'{between(rng, 1, 99) * 10:03d}'}"


def _es(rng: random.Random, prefix: str, exact: bool, name: str) -> str:
    return f"{prefix}{between(rng, 1, 80) if exact else between(rng, 10, 99) * 10:03d}"


def _it(rng: random.Random, prefix: str, exact: bool, name: str) -> str:
    return f"{prefix}{between(rng, 10, 60)}" if exact else f"{prefix[:2]}0{between(rng, 10, 99)}"


def _pt(rng: random.Random, prefix: str, exact: bool, name: str) -> str:
    if len(prefix) == 1:
        first4 = f"{prefix}{between(rng, 0, 35) * 10 if prefix == '4' else between(rng, 0, 99) * 10:03d}"
    else:
        first4 = f"{prefix}{between(rng, 0, 9) * 10:02d}"
    return f"{first4}-{between(rng, 1, 999):03d}"


_FORMATS = {"GB": _gb, "IE": _ie, "NL": _nl, "BE": _be, "DE": _de, "FR": _fr, "ES": _es, "IT": _it, "PT": _pt}
# Digits after the country code: (landline, mobile).
_NATIONAL_DIGITS = {"IE": (8, 9), "NL": (9, 9), "BE": (8, 9), "DE": (10, 11), "FR": (9, 9), "ES": (9, 9),
                    "IT": (10, 10), "PT": (9, 9)}


def phone(rng: random.Random, city: City) -> str:
    """An international number written the local way: the city's landline code for big cities, else a mobile."""
    code, landlines, mobiles = PHONES[city.country]
    landline = landlines.get(city.name) if rng.random() < 0.7 else None
    prefix = landline or pick(rng, mobiles)
    if city.country == "GB":  # Ofcom drama ranges end in three free digits
        return f"{code} {prefix}{between(rng, 0, 999):03d}"
    length = _NATIONAL_DIGITS[city.country][0 if landline else 1] - len(prefix)
    rest = "".join(rng.choices(string.digits, k=length))
    return f"{code} {group_number(city.country, prefix, rest)}"


def group_number(country: str, prefix: str, rest: str) -> str:
    """The national number grouped as written there: '1 23 45 67 89' (FR), '912 345 678' (ES) ..."""
    if country in ("ES", "PT"):
        whole = prefix + rest
        return " ".join(whole[i : i + 3] for i in range(0, len(whole), 3))
    if country in ("FR", "BE"):
        head = [rest[:3]] if len(rest) % 2 else []
        tail = rest[3:] if head else rest
        return " ".join([prefix, *head, *(tail[i : i + 2] for i in range(0, len(tail), 2))])
    if country == "DE":
        return f"{prefix} {rest}"
    return f"{prefix} {rest[:-4]} {rest[-4:]}"  # IE, NL, IT
