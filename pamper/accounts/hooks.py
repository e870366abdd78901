"""The doors through which apps above accounts take part in closing an account, without accounts importing them.

Accounts stands at the bottom of the layers (DESIGN.md, "Layout"), yet closing an account must reach the
bookings, health records, waitlist, cards and feeds the upper apps keep. They connect here in their
AppConfig.ready():

- **Closing checks** (`register_closing_check`): reasons an account cannot be closed yet, run by
  `actions.close_account` inside its transaction before anything changes. A check refuses by raising
  pamper.errors.Refusal (409). Bookings registers one (upcoming visits). It fails closed: with no check
  registered, `run_closing_checks` raises ImproperlyConfigured and nothing is closed, so an account with
  upcoming visits can never be closed by accident (closing must not become a way round a venue's
  late-cancellation terms).
- **`account_closing`** (a Django signal): sent once, inside the closing transaction, after the checks passed and
  before the user row is scrubbed (the receivers still see the email and name). Keyword arguments: `user`,
  `now`. Receivers act through their own app's actions; an exception rolls the whole closing back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

account_closing = Signal()  # keyword arguments: user (User), now (datetime)


class ClosingCheck(Protocol):
    def __call__(self, *, user: Any, now: dt.datetime) -> None: ...


_checks: list[ClosingCheck] = []


def register_closing_check(check: ClosingCheck) -> ClosingCheck:
    """Run `check` before every account closing (once, however often registered). Returns it."""
    if check not in _checks:
        _checks.append(check)
    return check


def unregister_closing_check(check: ClosingCheck) -> None:
    """Stop running `check` (tests that prove closing fails without one)."""
    if check in _checks:
        _checks.remove(check)


def run_closing_checks(*, user: Any, now: dt.datetime) -> None:
    """Run every registered check; the first that refuses raises its Refusal.

    Raises ImproperlyConfigured when no check is registered: an account is never closed unchecked.
    """
    if not _checks:
        raise ImproperlyConfigured("No closing check is registered (the bookings app registers the upcoming-visits "
                                   "check in BookingsConfig.ready): refusing to close an account unchecked.")
    for check in list(_checks):
        check(user=user, now=now)


def announce_closing(*, user: Any, now: dt.datetime) -> None:
    """Send `account_closing` (inside the caller's transaction): every upper app forgets the person."""
    account_closing.send(sender=type(user), user=user, now=now)
