"""Geo maths on a sphere: great-circle distance and bounding boxes. No database."""

from __future__ import annotations

import math

from pamper.lib.locales import format_number

EARTH_RADIUS_KM = 6371.0088
KM_PER_MILE = 1.609344


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in kilometres between two points in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lng: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) that contains every point within radius_km.

    Near the poles, or where the box would cross the antimeridian, the longitude
    range is widened to the whole circle rather than split.
    """
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    min_lat, max_lat = lat - dlat, lat + dlat
    if min_lat <= -90 or max_lat >= 90:
        return max(min_lat, -90.0), min(max_lat, 90.0), -180.0, 180.0
    dlng = math.degrees(math.asin(min(1.0, math.sin(radius_km / EARTH_RADIUS_KM) / math.cos(math.radians(lat)))))
    min_lng, max_lng = lng - dlng, lng + dlng
    if min_lng < -180 or max_lng > 180:
        return min_lat, max_lat, -180.0, 180.0
    return min_lat, max_lat, min_lng, max_lng


def km_to_miles(km: float) -> float:
    return km / KM_PER_MILE


def format_distance(km: float, miles: bool, language: str | None = None) -> str:
    """'1.2 mi', '1,9 km', '12 km' in the reader's language (the active one unless given): one decimal under 10,
    whole numbers above; miles only where the caller says (UK venues and searches)."""
    value = km_to_miles(km) if miles else km
    return f"{format_number(value, 1 if value < 10 else 0, language)} {'mi' if miles else 'km'}"
