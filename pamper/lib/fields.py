"""What the API reads from a client, each written one way: ids, names, amounts of money, times of day.

pydantic reads generously by default, and each generosity was a way in for nonsense that a venue later trips on:
a shift's start of `900` read as seconds (00:15), `"11:00+05:00"` with its offset dropped, `"09:00:30"` cut to
09:00; a price of `"٤٥"` (Arabic-Indic digits), `"1_0"` or `".5e2"` read by Decimal as 45, 10 and 50; a name of
three spaces stored as a blank name that the venue's page then shows. These types refuse all of that with a 422
naming the field, as every other bad value is refused (pamper/api_errors.py). Dates and instants are in
pamper/lib/dates.py and are read from text only, in the same spirit.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema

from pamper.lib import walltime
from pamper.lib.ids import MAX_ID
from pamper.lib.names import one_line_name


class Input(Schema):
    """A request body. A field the API does not know is refused with a 422 naming it, not ignored: a misspelt
    optional field ('pric' for 'price') passed for a change that was never made."""

    model_config = ConfigDict(extra="forbid")


# A database row's id, as a path or body names it.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# Words a person types (a name, a reason): surrounding spaces dropped before the length is checked, so a value of
# spaces only is empty. Give the lengths with Field: `name: Words = Field(min_length=1, max_length=150)`.
Words = Annotated[str, StringConstraints(strip_whitespace=True)]
# A name on one line (a venue's, a service's, a staff member's, a client's, a person's): Words whose line breaks and
# control characters are folded to one space first ('Glow\r\nStudio': 'Glow Studio'), as lib/names.NameField stores.
Name = Annotated[str, BeforeValidator(lambda value: one_line_name(value) if isinstance(value, str) else value),
                 StringConstraints(strip_whitespace=True)]

# An amount as people write one: ASCII digits, at most one point and two decimals ('45', '45.5', '45.50').
AMOUNT = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?")
# A phone number as people write one: an optional +, ASCII digits and the usual separators (spaces, dashes,
# dots, slashes, brackets), 6 to 17 digits in all. It is shown to the venue as a link that dials it.
PHONE = re.compile(r"\+?[0-9 ()./-]{6,32}")
# A wall-clock time as a diary shows it: hours and minutes ('09:30'; '09:30:00' too, as the OpenAPI `time`
# format writes one, but no other seconds, no fraction and no offset: a diary's day has no zone but the venue's).
WALL_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(?::00)?")


def read_amount(value: object) -> Decimal:
    """An amount of money written as text ('45', ' 45.50 ') or a whole JSON number, as a Decimal; ValueError with
    a sentence for anything else: other scripts' digits, signs, exponents, underscores, more than two decimals,
    NaN and Infinity, booleans, and fractional JSON numbers (floats: money is never one)."""
    if isinstance(value, Decimal) and value.is_finite():  # from Python code (an answer's model), never from JSON
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**12:
        return Decimal(value)
    if isinstance(value, str) and AMOUNT.fullmatch(value.strip()):
        return Decimal(value.strip())
    raise ValueError(gettext("Give the amount as a number such as 45 or 45.50."))


def validate_phone(value: str) -> None:
    """Django validator (models, forms) for a phone number; '' passes (the fields are optional)."""
    digits = sum(c.isdigit() for c in value)
    if value and not (PHONE.fullmatch(value.strip()) and 6 <= digits <= 17):
        raise ValidationError(gettext("Enter a phone number, such as +44 20 7946 0000."), code="invalid_phone")


def read_phone(value: object) -> str:
    """A phone number from the API ('' for none), surrounding spaces dropped; ValueError with a sentence otherwise."""
    text = value.strip() if isinstance(value, str) else None
    if text is None:
        raise ValueError(gettext("Enter a phone number, such as +44 20 7946 0000."))
    try:
        validate_phone(text)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from None
    return text


def read_wall_time(value: object) -> dt.time:
    """A time of day written 'HH:MM' or 'HH:MM:00' (ASCII digits, 00:00 to 23:59); ValueError with a sentence
    otherwise (24:00 ends a day: it starts nothing)."""
    if isinstance(value, dt.time):  # from Python code (a form's cleaned data), not from a client's JSON
        return value
    if isinstance(value, str) and WALL_TIME.fullmatch(value.strip()):
        if value.strip().startswith(walltime.MIDNIGHT_END):
            raise ValueError(gettext("24:00 can only end a day's hours: start at 00:00 instead."))
        try:
            return dt.time.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(gettext("Enter a time of day like 14:30."))


def read_wall_end(value: object) -> dt.time:
    """The end of a day's interval: a time of day as read_wall_time, or 24:00 (00:00 says the same) for the
    midnight that ends the day, read as walltime.END_OF_DAY."""
    if isinstance(value, str) and WALL_TIME.fullmatch(value.strip()) and value.strip().startswith("24:00"):
        return walltime.END_OF_DAY
    return value if value == walltime.END_OF_DAY else walltime.as_end(read_wall_time(value))


Amount = Annotated[Decimal, BeforeValidator(read_amount)]
Phone = Annotated[str, BeforeValidator(read_phone), Field(max_length=40)]
WallTime = Annotated[dt.time, BeforeValidator(read_wall_time), WithJsonSchema(
    {"type": "string", "format": "time", "pattern": "^[0-9]{2}:[0-9]{2}(:00)?$", "examples": ["09:30"]})]
WallEnd = Annotated[dt.time, BeforeValidator(read_wall_end), WithJsonSchema(
    {"type": "string", "format": "time", "pattern": "^[0-9]{2}:[0-9]{2}(:00)?$", "examples": ["18:00", "24:00"],
     "description": "Local wall-clock HH:MM; 24:00 (or 00:00) is the midnight that ends the day"})]
