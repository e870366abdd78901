"""What payments answers when a venue's currency is about to change (venues.hooks.currency_changing, connected in
PaymentsConfig.ready): the fixed amounts of its payment policies, so that venues refuses a switch the new
currency cannot hold (a £5.50 fixed deposit cannot become ¥5.50)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from . import rules
from .forms import PolicyForm
from .models import SHARES, PaymentPolicy


def fixed_amounts(sender: Any, *, venue: Any, currency: str, **kwargs: Any) -> list[tuple[str, Decimal]]:
    """(what the owner calls it, amount) for every fixed deposit and fee of the venue's policy and of its
    services' own policies: 'Deposit', or 'Deposit for Cut and finish'. Percentages are left out: they fit any
    currency."""
    labels = PolicyForm.Meta.labels
    held = []
    for policy in PaymentPolicy.objects.filter(venue_id=venue.pk).select_related("service").order_by("pk"):
        for kind, value in SHARES:
            if getattr(policy, kind) != rules.FIXED or getattr(policy, value) is None:
                continue
            what = str(labels[value])
            if policy.service is not None:
                what = gettext("%(fee)s for %(service)s") % {"fee": what, "service": policy.service.name}
            held.append((what, Decimal(getattr(policy, value))))
    return held
