"""The questions a landing page answers, from the catalogue's own data and the offers in the town.

`questions` reads the contraindications (one query); the rest is pure.
Every answer is composed from the treatment's structured fields (price
range, course, session length, downtime, how it feels, side effects, contraindications,
pathway, evidence) and the town's real offers; nothing is
written per page. A question whose data the catalogue does not hold is left
out rather than answered vaguely.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pamper.catalog.models import Treatment
from pamper.lib.money import format_money

SIDE_EFFECTS_SHOWN = 3


@dataclass(frozen=True)
class Question:
    key: str  # cost | sessions | downtime | pain | safety | evidence
    question: str
    answer: str


def _range(low: Decimal, high: Decimal, currency: str) -> str:
    if low == high:
        return format_money(low, currency)
    return _("%(low)s to %(high)s") % {"low": format_money(low, currency), "high": format_money(high, currency)}


def cost(t: Treatment, town: str, count: int, low: Decimal, high: Decimal, currency: str, country: str) -> Question:
    parts = [ngettext(
        "%(count)s venue in %(town)s offers %(name)s on Pamper, at %(range)s.",
        "%(count)s venues in %(town)s offer %(name)s on Pamper, at %(range)s.", count,
    ) % {"count": count, "town": town, "name": t.name, "range": _range(low, high, currency)}]
    if t.course_sessions > 1:
        parts.append(_("It is usually given as a course of %(n)s sessions: ask for the price of the whole course.")
                     % {"n": t.course_sessions})
    if country == "GB":
        parts.append(_("Across the UK a session typically costs %(range)s.")
                     % {"range": _range(t.price_from, t.price_to, "GBP")})
    return Question("cost", _("How much does %(name)s cost in %(town)s?") % {"name": t.name, "town": town},
                    " ".join(parts))


def _minutes(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": rest}
    if hours:
        return ngettext("%(h)s hour", "%(h)s hours", hours) % {"h": hours}
    return ngettext("%(m)s minute", "%(m)s minutes", rest) % {"m": rest}


def sessions(t: Treatment) -> Question:
    length = _("A session takes about %(time)s.") % {"time": _minutes(t.session_minutes)}
    if t.course_sessions <= 1:
        course = _("One session is usually enough.")
    elif t.course_interval_days:
        course = _("Usually a course of %(n)s sessions, at least %(days)s days apart.") % {
            "n": t.course_sessions, "days": t.course_interval_days}
    else:
        course = _("Usually a course of %(n)s sessions.") % {"n": t.course_sessions}
    return Question("sessions", _("How many sessions of %(name)s will I need?") % {"name": t.name},
                    f"{course} {length}")


def downtime(t: Treatment) -> Question | None:
    if not t.downtime:
        return None
    return Question("downtime", _("Is there any downtime after %(name)s?") % {"name": t.name}, t.downtime)


def pain(t: Treatment) -> Question | None:
    if not t.pain:
        return None
    return Question("pain", _("Does %(name)s hurt?") % {"name": t.name}, t.pain)


def safety(t: Treatment, contraindications: list[str]) -> Question:
    parts = []
    if t.consultation_required:
        parts.append(_("It starts with a consultation with the practitioner, who goes through your medical history."))
    if t.patch_test_lead_hours is not None:
        parts.append(_("A patch (allergy) test comes first, at least %(hours)s hours before the treatment: Pamper "
                       "does not let the treatment be booked any earlier.") % {"hours": t.patch_test_lead_hours})
    if t.side_effects:
        shown = "; ".join(str(s) for s in t.side_effects[:SIDE_EFFECTS_SHOWN])
        parts.append(_("Side effects can include: %(list)s.") % {"list": shown})
    if contraindications:
        parts.append(_("Talk to the practitioner first, or avoid it, with: %(list)s.")
                     % {"list": ", ".join(contraindications).lower()})
    if not parts:
        parts.append(_("The catalogue lists no known side effects or reasons to avoid it."))
    return Question("safety", _("Is %(name)s safe?") % {"name": t.name}, " ".join(parts))


def evidence(t: Treatment) -> Question | None:
    if not t.evidence:
        return None
    return Question("evidence", _("Does %(name)s work?") % {"name": t.name}, t.evidence)


def questions(t: Treatment, town: str, count: int, low: Decimal, high: Decimal, currency: str,
              country: str) -> list[Question]:
    """Cost, sessions, downtime, pain, safety and evidence, in that order; those without data are left out."""
    labels = [c.label for c in t.contraindications.all()]
    found = [cost(t, town, count, low, high, currency, country), sessions(t), downtime(t), pain(t),
             safety(t, labels), evidence(t)]
    return [q for q in found if q is not None]
