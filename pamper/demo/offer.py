"""What a demo venue offers: services at local prices, staff, shifts and opening hours.

Pure functions over plain data (no database): the treatments come in as
`TreatmentInfo` rows read once from the catalogue, times are minutes after
local midnight. Whatever treatments the catalogue holds are used, by category,
so adding treatments never breaks the generator.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .rand import between, pick, take

KINDS = ("salon", "barber", "clinic", "spa")
KIND_WEIGHTS = (50, 20, 15, 15)

# How many treatments a kind of venue draws from each category: (category, fewest, most).
MENU: dict[str, tuple[tuple[str, int, int], ...]] = {
    "salon": (("hair", 3, 6), ("nails", 0, 3), ("brows-lashes", 0, 2), ("face", 0, 2), ("hair-removal", 0, 2),
              ("massage", 0, 1), ("body", 0, 1)),
    "barber": (("hair", 3, 6), ("face", 0, 1), ("hair-removal", 0, 1)),
    "clinic": (("aesthetics", 2, 6), ("face", 1, 3), ("hair-removal", 0, 1), ("body", 0, 2), ("wellness", 0, 1)),
    "spa": (("massage", 2, 4), ("face", 1, 3), ("body", 1, 2), ("wellness", 0, 2), ("nails", 0, 2),
            ("hair-removal", 0, 1)),
}
BARBER_WORDS = frozenset({"men", "mens", "beard", "barber", "shave", "fade", "gents", "gentlemen", "clipper",
                          "moustache"})
LASER_WORDS = frozenset({"laser", "ipl"})
# Prices in the catalogue are typical UK prices in GBP; local prices scale by country
# (the exchange rate is folded in for the euro countries).
COUNTRY_PRICE = {"GB": 1000, "IE": 1200, "NL": 1100, "BE": 1050, "DE": 1000, "FR": 1050, "ES": 800, "IT": 900,
                 "PT": 700}  # per mille


@dataclass(frozen=True, slots=True)
class TreatmentInfo:
    id: int
    slug: str
    name: str
    category: str
    session_minutes: int
    price_from: Decimal
    price_to: Decimal
    variants: tuple[str, ...] = ()
    consultation_required: bool = False
    patch_test: bool = False
    words: frozenset[str] = frozenset()
    low_pence: int = field(init=False)
    high_pence: int = field(init=False)

    def __post_init__(self) -> None:
        # Integer pence for the pricing arithmetic (exact and fast).
        object.__setattr__(self, "low_pence", int(min(self.price_from, self.price_to) * 100))
        object.__setattr__(self, "high_pence", int(max(self.price_from, self.price_to) * 100))

    @property
    def clinical(self) -> bool:
        return self.consultation_required or self.category == "aesthetics"

    @property
    def laser(self) -> bool:
        return bool(self.words & LASER_WORDS)

    @property
    def has_pathway(self) -> bool:
        return self.consultation_required or self.patch_test


def words_of(*texts: str) -> frozenset[str]:
    """Lower-case words of the texts, for keyword rules ('Men's cut' -> {'men', 's', 'cut'})."""
    return frozenset(w for text in texts for w in re.findall(r"[a-z]+", text.lower()))


def suits(kind: str, t: TreatmentInfo) -> bool:
    """Whether a venue of this kind would plausibly offer the treatment."""
    if kind == "clinic":
        if t.category == "hair-removal":
            return t.laser
        return t.category not in ("hair", "nails") and (t.clinical or t.category != "massage")
    if t.clinical or t.laser:
        return False
    if kind == "barber":
        return bool(t.words & BARBER_WORDS) or (t.category == "hair" and "cut" in t.words and "women" not in t.words)
    if kind == "salon":
        return not (t.words & {"shave", "barber"})
    return t.category != "hair"  # spa


def menu_index(treatments: Iterable[TreatmentInfo]) -> dict[str, dict[str, tuple[TreatmentInfo, ...]]]:
    """{kind: {category: treatments that kind offers}}, in catalogue order."""
    items = sorted(treatments, key=lambda t: t.slug)
    return {
        kind: {cat: tuple(t for t in items if t.category == cat and suits(kind, t)) for cat, _, _ in MENU[kind]}
        for kind in KINDS
    }


@dataclass(slots=True)
class ServiceDraft:
    treatment: TreatmentInfo
    name: str
    kind: str  # treatment / consultation
    variant: str
    price: Decimal
    duration: int
    buffer_before: int = 0
    buffer_after: int = 0
    desk: str = ""
    uses_device: bool = False


def nice_pence(pence: int) -> int:
    """A price in pence (cents) rounded to the endings shops use: 50p steps under 10, whole
    amounts under 30, fives under 200, tens under 600, then fifties; never below one step."""
    step = 50 if pence < 1000 else 100 if pence < 3000 else 500 if pence < 20000 else 1000 if pence < 60000 else 5000
    return max((pence + step // 2) // step * step, step)


def nice_price(amount: Decimal) -> Decimal:
    """nice_pence for a Decimal amount: 47.20 -> 45.00, 8.80 -> 9.00."""
    pence = int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return Decimal(nice_pence(pence)).scaleb(-2)


def local_price(rng: random.Random, t: TreatmentInfo, factor: int) -> Decimal:
    """A price within the catalogue's typical range, times the venue's factor (per mille), rounded nicely.

    Integer pence throughout: exact, and cheap enough for millions of services.
    """
    share = int(rng.triangular(0, 1000, 500))
    pence = (t.low_pence + (t.high_pence - t.low_pence) * share // 1000) * factor // 1000
    return Decimal(nice_pence(pence)).scaleb(-2)


def price_factor(rng: random.Random, country: str, population: int, capital_premium: bool = False) -> int:
    """Country level x city size x how upmarket this venue is, per mille (1000 = the catalogue's UK price)."""
    city = 1150 if population >= 1_000_000 else 1050 if population >= 250_000 else 950
    if capital_premium:
        city += 100
    level = between(rng, 850, 1200)
    return COUNTRY_PRICE[country] * city * level // 1_000_000


def duration(rng: random.Random, minutes: int) -> int:
    """The session length, sometimes a little shorter or longer, in 5-minute steps (at least 5)."""
    scaled = minutes * pick(rng, (1, 1, 1, 0.85, 1.15, 1.25))
    return int(min(max(5 * round(scaled / 5), 5), 720))


def draw_treatments(rng: random.Random, kind: str,
                    index: dict[str, dict[str, tuple[TreatmentInfo, ...]]]) -> list[TreatmentInfo]:
    """The treatments this venue offers, drawn by category; at least one when the catalogue has any."""
    chosen: list[TreatmentInfo] = []
    for category, lo, hi in MENU[kind]:
        pool = index[kind].get(category, ())
        if pool:
            chosen.extend(take(rng, pool, min(between(rng, lo, hi), len(pool))))
    if not chosen:
        pool = ([t for cats in index[kind].values() for t in cats]
                or [t for cats in index["clinic"].values() for t in cats])
        chosen = take(rng, pool, min(3, len(pool)))
    return chosen


def desk_for(kind: str, t: TreatmentInfo) -> str:
    """Which kind of practitioner performs the treatment at this kind of venue."""
    if kind == "clinic":
        return "laser" if t.laser else "medical" if t.clinical else "skin"
    if kind == "spa":
        return "nails" if t.category == "nails" else "massage" if t.category == "massage" else "spa"
    if kind == "salon":
        return {"hair": "hair", "nails": "nails", "brows-lashes": "lashes"}.get(t.category, "beauty")
    return "barber"


def _buffers(rng: random.Random, kind: str) -> tuple[int, int]:
    """(before, after) minutes: clinics and spas clean and reset the room between clients."""
    after_chance = {"clinic": 0.7, "spa": 0.7, "salon": 0.3, "barber": 0.1}[kind]
    after = pick(rng, (5, 10, 10, 15)) if rng.random() < after_chance else 0
    before = 5 if rng.random() < 0.1 else 0
    return before, after


def consultation_for(rng: random.Random, kind: str, t: TreatmentInfo, factor: int) -> ServiceDraft:
    """The short consultation / patch-test appointment that comes before a treatment with a pathway."""
    if kind == "clinic":
        name = f"Consultation and patch test: {t.name}" if t.patch_test else f"Consultation: {t.name}"
        fee = pick(rng, (2500, 3000, 4000, 5000)) * factor // 1000
        price = Decimal("0.00") if rng.random() < 0.6 else Decimal(nice_pence(fee)).scaleb(-2)
        minutes = pick(rng, (20, 30, 30))
    else:
        name, price, minutes = f"Patch test: {t.name}", Decimal("0.00"), pick(rng, (10, 15))
    return ServiceDraft(t, name, "consultation", "", price, minutes, 0, 5 if kind == "clinic" else 0, desk_for(kind, t))


def build_services(rng: random.Random, kind: str, country: str, factor: int,
                   treatments: Sequence[TreatmentInfo]) -> list[ServiceDraft]:
    """Priced services for the drawn treatments, their variants and the consultations they need."""
    services: list[ServiceDraft] = []
    for t in treatments:
        before, after = _buffers(rng, kind)
        minutes = duration(rng, t.session_minutes)
        desk = desk_for(kind, t)
        services.append(ServiceDraft(t, t.name, "treatment", "", local_price(rng, t, factor), minutes, before, after,
                                     desk, kind == "clinic" and t.laser))
        if t.variants and rng.random() < 0.4:  # now and then one variant as a second service
            variant = pick(rng, t.variants)
            services.append(ServiceDraft(t, f"{t.name} ({variant})", "treatment", variant, local_price(rng, t, factor),
                                         duration(rng, t.session_minutes), before, after, desk))
        if t.has_pathway:
            services.append(consultation_for(rng, kind, t, factor))
    return services


# Titles for each desk, in hiring order; "Dr" marks a doctor, whose name gets the local title.
DESK_TITLES: dict[str, tuple[str, ...]] = {
    "hair": ("Senior stylist", "Stylist", "Colourist", "Stylist", "Junior stylist", "Stylist"),
    "beauty": ("Beauty therapist", "Senior beauty therapist", "Beauty therapist"),
    "nails": ("Nail technician", "Nail technician"),
    "lashes": ("Brow and lash artist",),
    "medical": ("Dr", "Aesthetic nurse practitioner", "Dr", "Aesthetic nurse practitioner"),
    "skin": ("Skin therapist", "Senior skin therapist"),
    "laser": ("Laser technician",),
    "massage": ("Massage therapist", "Senior massage therapist", "Massage therapist"),
    "spa": ("Spa therapist", "Senior spa therapist", "Spa therapist"),
    "barber": ("Master barber", "Senior barber", "Barber", "Barber", "Apprentice barber", "Barber"),
}
STAFF_COUNTS = {"salon": (2, 2, 3, 3, 4, 4, 5, 6, 8), "barber": (2, 2, 3, 3, 4, 5), "clinic": (2, 3, 3, 4, 5, 6),
                "spa": (3, 3, 4, 4, 5, 6, 8)}
WOMEN_SHARE = {"salon": 0.8, "barber": 0.15, "clinic": 0.6, "spa": 0.8}


@dataclass(slots=True)
class StaffDraft:
    title: str
    woman: bool
    desks: list[str]  # they perform every service of these desks
    services: list[int] = field(default_factory=list)  # indices into the venue's services
    doctor: bool = False


def assign_desks(count: int, desks: list[str], sizes: dict[str, int]) -> list[list[str]]:
    """Which desks each of `count` staff covers: every desk is covered; extras join the busiest desks."""
    if count <= len(desks):
        head = [[d] for d in desks[: count - 1]]
        return [*head, desks[count - 1 :]]
    load = dict(sizes)
    out = [[d] for d in desks]
    for _ in range(count - len(desks)):
        busiest = max(desks, key=lambda d: load[d] / sum(1 for s in out if d in s))
        out.append([busiest])
    return out


def build_staff(rng: random.Random, kind: str, services: Sequence[ServiceDraft]) -> list[StaffDraft]:
    """2-8 staff with titles, each performing every service of their desks (hair, nails, medical ...)."""
    by_desk: dict[str, list[int]] = {}
    for i, s in enumerate(services):
        by_desk.setdefault(s.desk, []).append(i)
    desks = sorted(by_desk, key=lambda d: (-len(by_desk[d]), d))
    plan = assign_desks(pick(rng, STAFF_COUNTS[kind]), desks, {d: len(v) for d, v in by_desk.items()})
    seen: dict[str, int] = {}
    staff = []
    for covered in plan:
        main = covered[0]
        titles = DESK_TITLES[main]
        title = titles[seen.get(main, 0) % len(titles)]
        seen[main] = seen.get(main, 0) + 1
        indices = sorted(i for d in covered for i in by_desk[d])
        staff.append(StaffDraft(title, rng.random() < WOMEN_SHARE[kind], covered, indices, doctor=title == "Dr"))
    return staff
