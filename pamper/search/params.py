"""The search parameters, validated once for the API and the search page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext
from pydantic import BaseModel, Field, model_validator

from pamper.lib.dates import DiaryDate
from pamper.lib.fields import Amount

Sort = Literal["recommended", "distance", "rating", "price"]
Kind = Literal["salon", "clinic", "spa", "barber"]
TimeOfDay = Literal["morning", "afternoon", "evening"]
DEFAULT_RADIUS_KM = 10.0
MIN_RADIUS_KM = 0.1
MAX_RADIUS_KM = 100.0


PRICE_CAP = Decimal("9999999.99")  # the largest price a search row holds (search.models.SearchRow)


class SearchParams(BaseModel):
    q: str = Field("", max_length=200,
                   description="What: a treatment, a synonym, a concern or a word for several ('nails'), in any of "
                               "the seven languages; with no near/lat/lng, a place may follow ('botox london', "
                               "'massage près de Lyon'). Empty with a place: venues of every kind near it.")
    near: str | None = Field(None, max_length=200,
                             description="Where: a town ('London', 'London, CA', 'London UK'), a postcode, 'lat,lng'.")
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False,
                              description="Latitude, with lng, instead of near.")
    lng: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$",
                                description="ISO country code to pick among towns of a name.")
    radius_km: float = Field(DEFAULT_RADIUS_KM, ge=MIN_RADIUS_KM, le=MAX_RADIUS_KM, allow_inf_nan=False)
    sort: Sort = "recommended"
    price_min: Amount | None = Field(None, le=PRICE_CAP, description="Lowest price wanted.")
    price_max: Amount | None = Field(None, le=PRICE_CAP, description="Highest price wanted.")
    min_rating: float | None = Field(None, ge=0, le=5, allow_inf_nan=False)
    kind: Kind | None = None
    variant: str | None = Field(None, max_length=60, description="Only venues offering this variant, e.g. needle-free.")
    available_on: DiaryDate | None = Field(None,
                                           description="First free slot on or before this date (venue's local date).")
    within_days: int | None = Field(None, ge=0, le=365, description="First free slot within this many days.")
    time_of_day: TimeOfDay | None = Field(None, description="First free slot in the morning, afternoon or evening.")
    cursor: str | None = Field(None, max_length=2000, description="next_cursor of the previous page.")
    limit: int = Field(20, ge=1, le=50)
    explain: bool = Field(False, description="Add each result's recommended-score parts.")

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data: Any) -> Any:
        # An empty form field means "not given" (its default), not "invalid".
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
        return data


def problems(params: SearchParams) -> list[tuple[str, str]]:
    """(field, message) for combinations the field types cannot check."""
    found = []
    if (params.lat is None) != (params.lng is None):
        found.append(("lat" if params.lat is None else "lng", gettext("give both lat and lng, or neither")))
    if not params.q.strip() and params.near is None and params.lat is None and params.lng is None:
        found.append(("q", gettext("say what you are looking for, where, or both")))
    if params.price_min is not None and params.price_max is not None and params.price_min > params.price_max:
        found.append(("price_min", gettext("is above the highest price")))
    return found
