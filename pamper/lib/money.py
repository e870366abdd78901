"""Money: Decimal amounts with a currency code. One rounding rule for the project."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€"}
# Currency by country for the countries Pamper's demo covers.
COUNTRY_CURRENCY = {"GB": "GBP", "IE": "EUR", "NL": "EUR", "BE": "EUR", "DE": "EUR", "FR": "EUR", "ES": "EUR",
                    "IT": "EUR", "PT": "EUR"}
CENT = Decimal("0.01")


def round_money(amount: Decimal | int | str) -> Decimal:
    """Amount rounded half-up to cents. Strings are parsed exactly; floats are refused."""
    if isinstance(amount, float):
        raise TypeError("Money is never a float; pass a Decimal or a string.")
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def money_str(amount: Decimal) -> str:
    """The amount as the JSON string form, e.g. '45.00'."""
    return str(round_money(amount))


def format_money(amount: Decimal, currency: str) -> str:
    """Human form: '£45' or '€45.50' (whole amounts drop the pence)."""
    value = round_money(amount)
    text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{text} {currency}"
