"""localstripe (a stateful local Stripe server) for the payments tests: started once per session on a free port,
with Pamper's Stripe settings pointed at it only in the tests that ask for `stripe_on`."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import requests
import time_machine

from pamper.bookings.tests import helpers as h
from pamper.lib.ports import free_port
from pamper.payments.models import PaymentPolicy

ROOT = Path(__file__).resolve().parents[3]
WEBHOOK_SECRET = "whsec_pamper_tests"



@pytest.fixture(scope="session")
def localstripe() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "bin" / "localstripe"), str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(f"{base}/js.stripe.com/v3/", timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def stripe_on(settings, localstripe: str) -> str:  # type: ignore[no-untyped-def]
    settings.STRIPE_SECRET_KEY = "sk_test_pamper"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_pamper"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe
    settings.STRIPE_JS_URL = f"{localstripe}/js.stripe.com/v3/"
    return localstripe


def deposit_policy(venue, **extra) -> PaymentPolicy:  # type: ignore[no-untyped-def]
    """The demo clinic's policy: a 20% deposit, kept for a cancellation inside 48 hours, a 50% no-show fee."""
    values = {"mode": "deposit", "deposit_kind": "percent", "deposit_value": Decimal(20), "free_cancel_hours": 48,
              "late_fee_kind": "percent", "late_fee_value": Decimal(20), "no_show_fee_kind": "percent",
              "no_show_fee_value": Decimal(50)}
    return PaymentPolicy.objects.create(venue=venue, **(values | extra))


# A Monday in spring, 08:00 in London (07:00 UTC), as in the booking tests.
NOW = h.utc(2026, 5, 4, 7, 0)


@pytest.fixture
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def shop(db, frozen) -> h.Shop:  # type: ignore[no-untyped-def]
    return h.shop()


@pytest.fixture
def paid_shop(shop, stripe_on) -> h.Shop:  # type: ignore[no-untyped-def]
    deposit_policy(shop.venue)
    return shop
