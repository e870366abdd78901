"""Writes believable demo reviews: star ratings and text that agree with each other.

Pure: takes a random.Random and plain strings, returns plain values. A review
is built from parts (an opening, the treatment, the practitioner by first
name, the ambience, cleanliness, value, a closing), each chosen in the tone
of the rating it stands for. Phrases hold alternatives as [a|b|c], expanded
at random, so the same sentence rarely appears twice across a venue.
"""

from __future__ import annotations

import functools
import itertools
import random
import re
from collections.abc import Sequence
from typing import NamedTuple, TypeVar

from .rand import take

T = TypeVar("T")

GOOD, MIXED, BAD = "good", "mixed", "bad"

OPENINGS = {
    GOOD: [
        "[Honestly|Genuinely|Really] [one of the best|the best] [appointments|treatments] I've had in "
        "[ages|years|a long time].",
        "[Second|Third|Fourth] visit [now|here] and "
        "[it never disappoints|still as good as the first time|consistently good].",
        "[Booked|Found] this place [on a whim|through Pamper|after a friend's recommendation] and "
        "[so glad I did|I'm a convert|I'll be back].",
        "[Such a|What a] [lovely|brilliant|relaxing|great] [afternoon|morning|hour|experience].",
        "[Came in|Went] [for my birthday|before a wedding|after a long week|on my lunch break] and left feeling "
        "[brand new|so much better|really looked after].",
    ],
    MIXED: [
        "[A decent|An okay|A reasonable] [visit|experience] [overall|on the whole], with [a couple of|some] "
        "[niggles|things to improve].",
        "[Some good|Good] [points|bits] and [some not so good|a few letdowns].",
        "[Not bad|Fine], but [not quite|not entirely] what I [hoped for|expected|was promised online].",
        "[It was alright|It did the job], [nothing special|not amazing] [though|if I'm honest].",
    ],
    BAD: [
        "[Really|Very|Quite] [disappointed|let down] [with this visit|this time|overall].",
        "[Unfortunately|Sadly] [not a good|a poor|a frustrating] [experience|visit].",
        "[I won't be|I'm not] [coming back|rebooking], [sadly|I'm afraid].",
        "[I had high hopes|The reviews looked great] but [it didn't live up to them|this wasn't for me].",
    ],
}

TREATMENT = {
    GOOD: [
        "The {treatment} {was} [spot on|exactly what I wanted|better than I expected|really thorough].",
        "[Really pleased|Delighted|So happy] with [my|the] {treatment}: "
        "[the results are lovely|exactly the look I wanted|I can already see a difference].",
        "[My|The] {treatment} [lasted well|held up beautifully|still looked fresh] "
        "[a fortnight later|after two weeks|weeks later].",
        "[Everything|Each step] of the {treatment} was [explained|talked through] [first|before we started], "
        "[which I appreciated|so I knew what to expect].",
    ],
    MIXED: [
        "The {treatment} {was} [fine|okay|good enough], but the appointment "
        "[felt a bit rushed|ran late|wasn't quite as described].",
        "[The results of the|Results from my] {treatment} [are okay|were alright], [though|but] "
        "[I've had better elsewhere|not as dramatic as I'd hoped].",
        "The {treatment} [started|began] [fifteen|twenty] minutes late, [though|but] the result was [decent|fine].",
    ],
    BAD: [
        "The {treatment} {was} [rushed|careless|patchy] and "
        "[I needed a redo elsewhere|the result didn't last a week|I wasn't happy with the result].",
        "[What I got|The result] was nothing like the {treatment} I [booked|asked for], and "
        "[nobody seemed to care|it was hard to get it put right].",
        "[Left|Came away] with [sore|irritated|red] skin after the {treatment} and "
        "[no aftercare advice|little explanation].",
    ],
}

STAFF = {
    GOOD: [
        "{staff} was [lovely|fantastic|so friendly|really professional] and "
        "[put me at ease|clearly knows their stuff|took real care].",
        "[Big thanks to|Special mention for] {staff}, who "
        "[listened to exactly what I wanted|was gentle and thorough|made me feel welcome].",
        "{staff} [explained everything|answered all my questions] [without any pressure|and never rushed me].",
    ],
    MIXED: [
        "{staff} was [nice enough|friendly] but [seemed distracted|kept checking the time|didn't say much].",
        "{staff} [did a fine job|was polite], [though|but] [I felt a bit hurried|the chat was minimal].",
    ],
    BAD: [
        "{staff} [seemed uninterested|was quite abrupt|didn't listen to what I asked for].",
        "[I felt|It felt like] {staff} [was rushing me out|had somewhere else to be] [the whole time|from the start].",
    ],
}

AMBIENCE = {
    GOOD: [
        "[The place|The salon|The room] [feels calm|is beautifully done|has a lovely relaxed feel] "
        "[with soft music|and smells amazing|and isn't at all noisy].",
        "[Gorgeous|Calm|Cosy] [space|interior|setting], "
        "[you switch off as soon as you walk in|a proper escape from the street outside].",
    ],
    MIXED: [
        "[The space|The waiting area] is [a bit cramped|fine but noisy|nothing fancy].",
        "[It was|The room was] [quite loud|a little cold|busy] [but|though] [bearable|it didn't spoil things].",
    ],
    BAD: [
        "[Very noisy|Loud music and chatter|Cramped and cold], [hardly relaxing|not the calm place I expected].",
    ],
}

CLEANLINESS = {
    GOOD: [
        "[Spotlessly clean|Immaculate|Very clean], [fresh towels|tools from sealed packs|everything wiped down] "
        "[each time|between clients].",
        "[Really|Very] [hygienic|clean] [throughout|everywhere I looked], which matters to me.",
    ],
    MIXED: [
        "[Clean enough|Mostly clean], [though|but] [the floor could have done with a sweep|the towels looked tired].",
    ],
    BAD: [
        "[Not very clean|Grubby in places|Dusty shelves and a dirty sink], "
        "[which put me off|not great for a treatment room].",
    ],
}

VALUE = {
    GOOD: [
        "[Great|Very good|Fair] value [for the quality|for what you get|compared with places nearby].",
        "[Worth every penny|Worth the price|Reasonably priced] [for the result|given how long it lasts].",
    ],
    MIXED: [
        "[A bit pricey|On the expensive side] [for what it was|for the time spent].",
    ],
    BAD: [
        "[Overpriced|Far too expensive] [for the result|for a rushed job], "
        "[and extras were added at the till|honestly].",
    ],
}

CLOSINGS = {
    GOOD: [
        "[Already booked|I've booked] my next [appointment|visit].",
        "[Would|Will] [definitely|happily] recommend.",
        "[Can't wait to go back|I'll be back], thank you!",
        "[Thank you|Thanks] [so much|again], {venue}.",
    ],
    MIXED: [
        "[Might|May] [try again|give it another go] [to see|and see] if it was a one-off.",
        "[Okay|Fine] for [the price|a quick visit|a one-off].",
    ],
    BAD: [
        "[I'll be going|Going] elsewhere [next time|from now on].",
        "[Can't recommend|Wouldn't recommend] [on this showing|based on this visit], [sadly|unfortunately].",
    ],
}

REPLIES = {
    GOOD: [
        "Thank you, {name}! [We're so glad|It's lovely to hear] you enjoyed your {treatment}. "
        "[See you next time|Looking forward to your next visit].",
        "[Thanks so much|Thank you] for [the kind words|taking the time to write this], {name}. "
        "[We'll pass them on to|We've shared this with] {staff}.",
        "{name}, this made our [day|week]! [Thank you for choosing us|Thanks for trusting us with your {treatment}].",
        "[What a lovely review|Such kind words], {name}. [The whole team|{staff}] "
        "[says thank you|was delighted to read it].",
    ],
    MIXED: [
        "Thank you for the [honest|fair] feedback, {name}. [We're looking at|We've talked as a team about] "
        "[our timings|how we run appointments], [and hope to see you again|so next time is better].",
        "[Thanks for letting us know|We appreciate you telling us], {name}. "
        "[We've added more time to|We're changing how we book] {treatment} appointments "
        "[so nobody feels hurried|to stop them running late].",
        "{name}, [sorry it wasn't quite right|we're sorry it fell a little short]. [Ask for|Mention this review to] "
        "{staff} next time and [we'll make sure it's spot on|we'll take extra care].",
    ],
    BAD: [
        "{name}, we're [sorry|very sorry] to read this. [Please get in touch|Please call us] so we can "
        "[put it right|understand what happened].",
        "[We're sorry|Sorry] your visit fell short, {name}. "
        "[We've spoken with the team|This isn't the standard we aim for], and "
        "[we'd like to|we would love the chance to] [make it up to you|invite you back on us].",
        "[Thank you for telling us|We're grateful you wrote this], {name}, "
        "[even though it's hard to read|though we're sorry it was needed]. "
        "[Our manager will email you|We've been in touch by email] [today|this week].",
    ],
}

_CHOICE = re.compile(r"\[([^\[\]]*)\]")


@functools.cache
def _expansions(phrase: str) -> tuple[str, ...]:
    """Every way of filling the phrase's [a|b|c] choices, worked out once (a few dozen per phrase at most).

    Drawing one of these uniformly is the same as drawing each choice uniformly and independently, with one
    random number instead of one per choice.
    """
    parts: list[tuple[str, ...]] = []
    pos = 0
    for m in _CHOICE.finditer(phrase):
        parts += [(phrase[pos : m.start()],), tuple(m.group(1).split("|"))]
        pos = m.end()
    parts.append((phrase[pos:],))
    return tuple("".join(combo) for combo in itertools.product(*parts))


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """rng.choice, about twice as fast (one float instead of rejection sampling on bits)."""
    return items[int(rng.random() * len(items))]


def expand(rng: random.Random, phrase: str) -> str:
    """Replace each [a|b|c] with one of its alternatives."""
    filled = _expansions(phrase)
    return filled[int(rng.random() * len(filled))]


def tone(stars: int) -> str:
    return GOOD if stars >= 4 else MIXED if stars == 3 else BAD


@functools.cache
def in_sentence(name: str) -> str:
    """'gel manicure' for 'Gel manicure' mid-sentence; brand names and acronyms ('HydraFacial', 'IPL') stay."""
    first, _, rest = name.partition(" ")
    if first[:1].isupper() and first[1:].islower() and first[1:]:
        return first.lower() + (" " + rest if rest else "")
    return name


def is_plural(name: str) -> bool:
    """'Eyelash extensions' and 'Gel nails' take 'were'; 'Microdermabrasion', 'Brazilian wax', 'Lash lift'
    take 'was'."""
    last = name.split()[-1].lower() if name.split() else ""
    return last.endswith("s") and not last.endswith(("ss", "is", "us"))


class DemoReview(NamedTuple):  # a named tuple: millions are made, and a frozen dataclass is slow to build
    overall: int
    ambience: int | None
    cleanliness: int | None
    staff: int | None
    value: int | None
    text: str


def draw_overall(rng: random.Random, quality: float) -> int:
    """Stars for one visit at a venue whose typical rating is `quality` (most reviews sit near it)."""
    return max(1, min(5, round(rng.gauss(quality, 0.85))))


ASPECTS = ("ambience", "cleanliness", "staff", "value")
NEAR = (-1, 0, 0, 0, 1)
EXTRA_COUNTS = (0, 1, 1, 2, 2, 3)
POOLS = {"staff": STAFF, "ambience": AMBIENCE, "cleanliness": CLEANLINESS, "value": VALUE}


@functools.lru_cache(maxsize=4096)
def _fill(treatment: str, staff: str, venue: str) -> dict[str, str]:
    """The words a review's phrases are filled with (the same few recur across a venue)."""
    return {"treatment": in_sentence(treatment), "staff": staff or "The therapist", "venue": venue,
            "was": "were" if is_plural(treatment) else "was"}


def write_review(rng: random.Random, *, overall: int, treatment: str, staff: str, venue: str) -> DemoReview:
    """Optional aspect ratings near the overall one, and text whose every part matches its rating."""
    r = rng.random
    near = [max(1, min(5, overall + NEAR[int(r() * 5)])) if r() < 0.6 else None for _ in ASPECTS]
    if r() < 0.08:
        return DemoReview(overall, *near, text="")
    fill = _fill(treatment, staff, venue)
    mood = tone(overall)
    middle = [pick(rng, TREATMENT[mood])]
    extra = take(rng, ASPECTS, EXTRA_COUNTS[int(r() * 6)])
    aspects = dict(zip(ASPECTS, near, strict=True))
    for name in extra:
        if name == "staff" and not staff:
            continue
        stars = aspects[name] or max(1, min(5, overall + NEAR[int(r() * 5)]))
        middle.append(pick(rng, POOLS[name][tone(stars)]))
    middle = take(rng, middle, len(middle))  # in random order
    parts = ([pick(rng, OPENINGS[mood])] if r() < 0.55 else []) + middle
    if r() < 0.5:
        parts.append(pick(rng, CLOSINGS[mood]))
    text = " ".join([expand(rng, p) for p in parts]).format_map(fill)
    return DemoReview(overall, *near, text=text)


def write_reply(rng: random.Random, *, overall: int, customer_first_name: str, treatment: str, staff: str) -> str:
    fill = {"name": customer_first_name, "treatment": in_sentence(treatment), "staff": staff or "the team"}
    return expand(rng, pick(rng, REPLIES[tone(overall)])).format(**fill)
