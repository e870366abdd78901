"""The money rules of payments, as pure functions over integer minor units (pence, cents): no database, no clock.

Every amount here is an `int` in the currency's minor unit, as Stripe counts
it; `to_minor` and `from_minor` convert at the edges. A percentage is a
Decimal (20 means 20%) and is rounded half up to the minor unit once, in
`part_of`. A refund never exceeds what was paid less what was refunded
already; a fee never exceeds the visit's price.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from pamper.lib.fields import read_amount
from pamper.lib.money import money_str

# Digits after the point in each currency's minor unit (Stripe's "zero-decimal" and "three-decimal" lists).
MINOR_DIGITS = {"GBP": 2, "EUR": 2, "USD": 2, "CHF": 2, "SEK": 2, "DKK": 2, "PLN": 2, "NOK": 2, "CZK": 2,
                "JPY": 0, "KRW": 0, "HUF": 2, "BHD": 3, "JOD": 3, "KWD": 3, "OMR": 3, "TND": 3}

PAY_AT_VENUE, DEPOSIT, PREPAYMENT, CARD_ON_FILE = "pay_at_venue", "deposit", "prepayment", "card_on_file"
PERCENT, FIXED = "percent", "fixed"
# When a visit has services under different modes, the visit is asked for the strongest.
STRENGTH = {PAY_AT_VENUE: 0, CARD_ON_FILE: 1, DEPOSIT: 2, PREPAYMENT: 3}


def takes(currency: str) -> bool:
    """True when Pamper takes card payments in `currency`: it knows the currency's minor units (MINOR_DIGITS). A
    venue may price in any currency its settings offer; in another one its clients pay at the venue."""
    return currency.upper() in MINOR_DIGITS


def digits(currency: str) -> int:
    """Minor-unit digits of `currency` (ISO 4217, any case). ValueError for a currency Pamper does not know."""
    try:
        return MINOR_DIGITS[currency.upper()]
    except KeyError:
        raise ValueError(f"Unknown currency {currency!r}.") from None


# No amount Pamper handles comes near this (10^15 major units, still a bigint in minor units of any currency);
# what is bigger is a typing slip or a probe ('1e999999').
LARGEST = Decimal(10) ** 15


def parse_money(text: str) -> Decimal:
    """An amount as a person types it ('9', '9.50', ' 12 ') as a Decimal (pamper.lib.fields.read_amount). ValueError
    for anything else: words, '', a sign, and what Decimal reads but a person does not write as money ('NaN',
    'Infinity', '1e999999', '1_0', other scripts' digits, a third decimal)."""
    return read_amount(text)


def _finite(value: Decimal, given: object) -> Decimal:
    """`value`, or ValueError naming what was `given` when it is not finite or not below LARGEST."""
    if not value.is_finite() or abs(value) >= LARGEST:
        raise ValueError(f"{given!r} is not an amount.")
    return value


def to_minor(amount: Decimal | str | int, currency: str) -> int:
    """A Decimal amount in minor units, rounded half up (12.345 GBP -> 1235). Floats are refused; so are amounts
    that are not finite or not below LARGEST (ValueError)."""
    if isinstance(amount, float):
        raise TypeError("Money is never a float; pass a Decimal or a string.")
    scaled = _finite(Decimal(amount), amount).scaleb(digits(currency))
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_minor(minor: int, currency: str) -> Decimal:
    """Minor units back to a Decimal with the currency's digits (1235 GBP -> Decimal('12.35'))."""
    places = digits(currency)
    return (Decimal(minor).scaleb(-places)).quantize(Decimal(1).scaleb(-places))


def major_str(minor: int, currency: str) -> str:
    """Minor units as the API writes the amount (pamper.lib.money.money_str): 105000 HUF -> '1050', 1235 GBP ->
    '12.35'."""
    return money_str(from_minor(minor, currency), currency)


def part_of(total: int, *, kind: str, value: Decimal, currency: str) -> int:
    """A share of `total`: `value` percent of it (half up), or the fixed amount `value` (in major units).

    Always within 0..total: a percentage over 100 or a fixed amount over the total gives the total.
    """
    if total <= 0 or value <= 0:
        return 0
    if kind == PERCENT:
        share = int((Decimal(total) * value / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    elif kind == FIXED:
        share = to_minor(value, currency)
    else:
        raise ValueError(f"Unknown share kind {kind!r}.")
    return max(0, min(total, share))


@dataclass(frozen=True)
class Terms:
    """One policy as the rules read it (a venue's, or a service's override)."""

    mode: str = PAY_AT_VENUE
    deposit_kind: str = PERCENT
    deposit_value: Decimal = Decimal(0)
    free_cancel_hours: int = 0
    late_fee_kind: str = PERCENT
    late_fee_value: Decimal = Decimal(0)
    no_show_fee_kind: str = PERCENT
    no_show_fee_value: Decimal = Decimal(0)


FREE = Terms()  # a consultation the venue offers free of any charge


def due_now(terms: Terms, price: int, currency: str) -> int:
    """What the customer pays when booking: nothing (pay at venue, card on file), the deposit, or the price."""
    if terms.mode == PREPAYMENT:
        return max(0, price)
    if terms.mode == DEPOSIT:
        return part_of(price, kind=terms.deposit_kind, value=terms.deposit_value, currency=currency)
    return 0


def late_cancel_fee(terms: Terms, price: int, currency: str) -> int:
    """The fee for cancelling inside the free-cancellation window (0 under pay at venue: nothing to take it from)."""
    if terms.mode == PAY_AT_VENUE:
        return 0
    return part_of(price, kind=terms.late_fee_kind, value=terms.late_fee_value, currency=currency)


def no_show_fee(terms: Terms, price: int, currency: str) -> int:
    """The fee for not coming (0 under pay at venue)."""
    if terms.mode == PAY_AT_VENUE:
        return 0
    return part_of(price, kind=terms.no_show_fee_kind, value=terms.no_show_fee_value, currency=currency)


@dataclass(frozen=True)
class Quote:
    """What a visit costs under its policies: shown before confirming, kept with the booking."""

    kind: str
    currency: str
    price: int
    due_now: int
    late_cancel_fee: int
    no_show_fee: int
    free_cancel_hours: int

    @property
    def needs_stripe(self) -> bool:
        return self.kind != PAY_AT_VENUE


def quote(lines: Iterable[tuple[int, Terms]], currency: str) -> Quote:
    """The visit's quote from (price, terms) per service: amounts add up, the strongest mode and the longest
    free-cancellation window win. A visit with fees but nothing to pay now is card on file."""
    rows = list(lines)
    kind = max((t.mode for _, t in rows), key=STRENGTH.__getitem__, default=PAY_AT_VENUE)
    due = sum(due_now(t, p, currency) for p, t in rows)
    late = sum(late_cancel_fee(t, p, currency) for p, t in rows)
    missed = sum(no_show_fee(t, p, currency) for p, t in rows)
    hours = max((t.free_cancel_hours for _, t in rows if t.mode != PAY_AT_VENUE), default=0)
    if kind in (DEPOSIT, PREPAYMENT) and due == 0:
        kind = CARD_ON_FILE if late or missed else PAY_AT_VENUE
    if kind == CARD_ON_FILE and not (late or missed):
        kind = PAY_AT_VENUE  # a card kept for nothing is not asked for
    price = sum(p for p, _ in rows)
    return Quote(kind, currency.upper(), price, due, late, missed, hours)


def is_late(*, start: dt.datetime, now: dt.datetime, free_cancel_hours: int,
            grace_end: dt.datetime | None = None) -> bool:
    """True once the free-cancellation window has closed (`free_cancel_hours` before the start; 0: never late).

    `grace_end` (a visit booked inside the venue's notice: a few minutes after it was made) keeps a cancellation
    until then free even though the window had closed before the visit was booked, as the booking pages promise."""
    if grace_end is not None and now <= grace_end:
        return False
    return free_cancel_hours > 0 and now > start - dt.timedelta(hours=free_cancel_hours)


def refundable(paid: int, refunded: int) -> int:
    """What can still be refunded: what was paid less what was refunded, never below 0."""
    return max(0, paid - max(0, refunded))


def cancellation_refund(*, paid: int, refunded: int, fee: int, late: bool, by_venue: bool) -> int:
    """The refund when a visit is cancelled: everything left when the venue cancels or the customer cancels in
    time; otherwise what was paid less the late-cancellation fee kept (the fee is kept from what was paid)."""
    left = refundable(paid, refunded)
    if by_venue or not late:
        return left
    kept = min(max(0, fee), paid)
    return max(0, min(left, paid - kept - max(0, refunded)))


def fee_to_charge(*, fee: int, paid: int, refunded: int) -> int:
    """What a late-cancellation or no-show fee still needs charged off-session after what the venue keeps."""
    held = refundable(paid, refunded)
    return max(0, fee - held)


def clamp_refund(requested: int, *, paid: int, refunded: int) -> int:
    """A venue's refund request checked: ValueError when it is not positive or exceeds what can be refunded."""
    left = refundable(paid, refunded)
    if requested <= 0:
        raise ValueError("A refund must be more than nothing.")
    if requested > left:
        raise ValueError("A refund cannot exceed what was paid less what was refunded.")
    return requested


def commission(amount: int, basis_points: int) -> int:
    """Pamper's commission on `amount` at `basis_points` (1% = 100), half up; a refund returns its share."""
    sign = -1 if amount < 0 else 1
    share = (Decimal(abs(amount)) * basis_points / 10000).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return sign * int(share)
