"""The demo: Pamper Demo Clinic takes a 20% deposit on every paid service, keeps it inside 48 hours, charges 50%
for a no-show; its consultations stay free."""

from __future__ import annotations

import pytest

from pamper.catalog.loader import load_catalogue
from pamper.demo.accounts import ensure_demo_clinic, ensure_demo_users
from pamper.payments import queries, rules
from pamper.venues.models import ServiceKind

pytestmark = pytest.mark.django_db


def test_the_demo_clinic_takes_a_deposit_and_keeps_consultations_free(stripe_on):
    load_catalogue()
    venue = ensure_demo_clinic(ensure_demo_users())
    treatment = venue.services.filter(kind=ServiceKind.TREATMENT, price__gt=0).first()
    consultation = venue.services.filter(kind=ServiceKind.CONSULTATION).first()
    q = queries.quote_for(venue, [treatment])
    price = rules.to_minor(treatment.price, "GBP")
    assert (q.kind, q.free_cancel_hours) == (rules.DEPOSIT, 48)
    assert q.due_now == rules.part_of(price, kind=rules.PERCENT, value=rules.Decimal(20), currency="GBP")
    assert q.late_cancel_fee == q.due_now  # the deposit is kept for a late cancellation
    assert q.no_show_fee == rules.part_of(price, kind=rules.PERCENT, value=rules.Decimal(50), currency="GBP")
    assert queries.quote_for(venue, [consultation]).kind == rules.PAY_AT_VENUE
    assert ensure_demo_clinic(ensure_demo_users()).payment_policies.count() == 1  # run again: still one policy
