"""Countries Pamper's venues may be in, with their IANA zones and currencies."""

from __future__ import annotations

from pamper.lib.money import COUNTRY_CURRENCY

# The zones a venue in each country may use; the first is the mainland zone.
COUNTRY_ZONES: dict[str, tuple[str, ...]] = {
    "GB": ("Europe/London",),
    "IE": ("Europe/Dublin",),
    "NL": ("Europe/Amsterdam",),
    "BE": ("Europe/Brussels",),
    "DE": ("Europe/Berlin", "Europe/Busingen"),
    "FR": ("Europe/Paris",),
    "ES": ("Europe/Madrid", "Atlantic/Canary", "Africa/Ceuta"),
    "IT": ("Europe/Rome",),
    "PT": ("Europe/Lisbon", "Atlantic/Madeira", "Atlantic/Azores"),
}


def default_zone(country: str) -> str | None:
    """The mainland zone of a supported country, else None."""
    zones = COUNTRY_ZONES.get(country)
    return zones[0] if zones else None


def default_currency(country: str) -> str | None:
    return COUNTRY_CURRENCY.get(country)
