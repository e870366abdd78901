"""Points as unit vectors, chord lengths and region ids. Pure maths, no database.

The squared chord between two unit vectors is 2 - 2cos(theta), a strictly
increasing function of the great-circle angle theta, so ordering by it is
ordering by true distance, and a radius becomes an exact chord threshold.
"""

from __future__ import annotations

import math

from pamper.lib.geo import EARTH_RADIUS_KM

TINY = 1e-12


def _snap(value: float) -> float:
    # Components this close to zero become zero, so no squared difference in
    # SQL can underflow (PostgreSQL raises on float underflow).
    return 0.0 if abs(value) < TINY else value


def unit_vector(lat: float, lng: float) -> tuple[float, float, float]:
    """(x, y, z) of the point on the unit sphere (components below 1e-12 are 0)."""
    phi, lam = math.radians(lat), math.radians(lng)
    return _snap(math.cos(phi) * math.cos(lam)), _snap(math.cos(phi) * math.sin(lam)), _snap(math.sin(phi))


def chord2_for_km(km: float) -> float:
    """The squared chord (unit sphere) of a great-circle distance in km."""
    return (2.0 * math.sin(min(km / EARTH_RADIUS_KM, math.pi) / 2.0)) ** 2


def km_for_chord2(chord2: float) -> float:
    """The great-circle distance in km of a squared chord (inverse of chord2_for_km)."""
    half = min(1.0, math.sqrt(max(chord2, 0.0)) / 2.0)
    return 2.0 * EARTH_RADIUS_KM * math.asin(half)


def chord2(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """Squared chord between two unit vectors, in the same operation order as the SQL."""
    return (a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2])


def region_of(country: str, lat: float, lng: float) -> str:
    """The coarse region id: country and 1-degree cell, e.g. 'GB:51:-1'."""
    return f"{country.upper()}:{math.floor(lat)}:{math.floor(lng)}"


def destination(lat: float, lng: float, km: float, bearing: float) -> tuple[float, float]:
    """The point `km` along the great circle from (lat, lng) on `bearing` degrees."""
    d, b = km / EARTH_RADIUS_KM, math.radians(bearing)
    p1, l1 = math.radians(lat), math.radians(lng)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return max(-90.0, min(90.0, math.degrees(p2))), (math.degrees(l2) + 540) % 360 - 180
