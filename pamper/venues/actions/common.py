"""What every venues write shares: telling search, and the model's own checks as a refusal."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from pamper.errors import invalid_fields

from .. import hooks
from ..models import Venue


def reindex(venue_id: int) -> None:
    """Tell the apps above (search refreshes the venue's rows) that what a search shows may have changed.

    Call it inside the write's transaction: the receivers run there and then.
    """
    hooks.venue_changed.send(sender=Venue, venue_id=venue_id)


def clean(row: Any) -> None:
    """The model's own checks (full_clean); what fails is Refusal 422 invalid with every field's messages."""
    try:
        row.full_clean()
    except ValidationError as exc:
        raise invalid_fields(exc.message_dict) from exc
