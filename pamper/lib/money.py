"""Money: Decimal amounts with a currency code. One rounding rule for the project."""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal

from babel import numbers
from django.utils.translation import gettext, ngettext

from pamper.lib.locales import locale_for

# Currency by country for the countries Pamper's demo covers.
COUNTRY_CURRENCY = {"GB": "GBP", "IE": "EUR", "NL": "EUR", "BE": "EUR", "DE": "EUR", "FR": "EUR", "ES": "EUR",
                    "IT": "EUR", "PT": "EUR"}
CENT = Decimal("0.01")
# Rough rates for showing a typical price in a reader's currency (guides: "about €90–€410"), never for charging:
# a venue's prices are always in its own currency. Reviewed with the catalogue's prices.
GUIDE_RATES = {("GBP", "EUR"): Decimal("1.17"), ("EUR", "GBP"): Decimal("0.85")}


def round_money(amount: Decimal | int | str) -> Decimal:
    """Amount rounded half-up to cents. Strings are parsed exactly; floats are refused."""
    if isinstance(amount, float):
        raise TypeError("Money is never a float; pass a Decimal or a string.")
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@functools.cache
def decimals(currency: str) -> int:
    """How many decimals an amount in `currency` may have, as people price in it (CLDR through Babel): 0 for
    JPY, KRW, HUF, ISK; 2 for GBP and EUR; 3 for BHD; 2 for a code Babel does not know."""
    return int(numbers.get_currency_precision(currency.upper()))


def places(amount: Decimal) -> int:
    """How many decimals `amount` really has: 0 for 10, 10.00 and 1E+1; 1 for 10.50; 0 when not finite."""
    if not amount.is_finite():
        return 0
    return max(0, -int(amount.normalize().as_tuple().exponent))


def too_precise(amount: Decimal, currency: str) -> bool:
    """True when `amount` has more decimals than `currency` has (¥10.50, £10.555); ¥10.00 is ¥10."""
    return places(amount) > decimals(currency)


def decimals_message(currency: str) -> str:
    """The translated sentence for an amount too precise for `currency`."""
    digits = decimals(currency)
    if digits == 0:
        return gettext("Amounts in %(currency)s are whole numbers: leave out the decimals.") % {"currency": currency}
    return ngettext("Amounts in %(currency)s have at most %(digits)d decimal place.",
                    "Amounts in %(currency)s have at most %(digits)d decimal places.", digits) % {
        "currency": currency, "digits": digits}


def money_str(amount: Decimal | int | str, currency: str) -> str:
    """The amount as JSON carries it, with the decimals of `currency` (CLDR, as decimals() counts them): '45.00'
    GBP, '1050' JPY, KRW and HUF, '12.350' BHD; rounded half up. Every API answer writes money through this.

    An amount with more decimals than its currency has (a percentage share of a forint price, which Stripe counts
    in hundredths: 105.50 HUF) keeps two, as round_money would, rather than hiding the fraction charged. Floats
    are refused."""
    if isinstance(amount, float):
        raise TypeError("Money is never a float; pass a Decimal or a string.")
    value = Decimal(amount)
    digits = decimals(currency)
    if places(value) > digits:
        digits = max(digits, 2)
    return str(value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def rough_convert(amount: Decimal, source: str, target: str) -> Decimal:
    """`amount` in `target` at the guide rate, rounded to a whole 5 (a typical price is no quote); the same amount
    when the currencies match or no rate is known."""
    rate = GUIDE_RATES.get((source, target))
    if source == target or rate is None:
        return amount
    return (amount * rate / 5).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 5


def format_money(amount: Decimal | int | str, currency: str, language: str | None = None) -> str:
    """'£45', '€37.50', '70 €', '45,50 €', '€ 70': the amount as the reader's language writes it (the active
    language unless `language` is given; Babel's locale data). Whole amounts drop their cents."""
    value = round_money(amount)
    loc = locale_for(language, currency)
    pattern = loc.currency_formats["standard"].pattern
    if value == value.to_integral_value():
        pattern = pattern.replace("0.00", "0")
    return numbers.format_currency(value, currency, format=pattern, locale=loc, currency_digits=False)


def format_money_range(low: Decimal, high: Decimal, currency: str, language: str | None = None) -> str:
    """'£75–£350', or one amount when both ends are the same."""
    first, last = format_money(low, currency, language), format_money(high, currency, language)
    return first if first == last else f"{first}–{last}"
