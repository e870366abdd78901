"""The doors through which apps above accounts take part in closing an account, without accounts importing them.

Accounts stands at the bottom of the layers (DESIGN.md, "Layout"), yet closing an account must reach the
bookings, health records, favourites, waitlist, cards, gift cards and feeds the upper apps keep. They connect here
in their AppConfig.ready():

- **Closing checks** (`register_closing_check`): reasons an account cannot be closed yet, run by
  `actions.close_account` inside its transaction before anything changes. A check refuses by raising
  pamper.errors.Refusal (409). Bookings registers one (upcoming visits). It fails closed: with no check
  registered, `run_closing_checks` raises ImproperlyConfigured and nothing is closed, so an account with
  upcoming visits can never be closed by accident (closing must not become a way round a venue's
  late-cancellation terms).
- **`account_closing`** (a Django signal): sent once, inside the closing transaction, after the checks passed and
  before the user row is scrubbed (the receivers still see the email and name). Keyword arguments: `user`,
  `now`. Receivers act through their own app's actions; an exception rolls the whole closing back. An app that
  keeps rows pointing at the person (or matched to them by address) erases or scrubs them here;
  `tests/test_closing_forgets.py` fails on a model left holding them without a reason.
- **Export sections** (`register_export_section`): the person's copy of everything Pamper holds about them
  (`pamper.accounts.export.export_archive`) is gathered from every app that keeps something, each giving its own
  section. A section names the models it writes out (`covers`) and those it deliberately leaves out with the
  reason (`leaves_out`), so a test walks every model holding personal data and fails on one nobody answers for.
  It fails closed: without the sections the site cannot work without (bookings, health), no archive is made.
  Sections write dates and instants with `iso()`, so the archive has one format throughout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

account_closing = Signal()  # keyword arguments: user (User), now (datetime)
# Sent once when an account's address is confirmed (actions.mark_confirmed), inside its transaction; keyword arguments:
# user (User), now (datetime). Notifications releases the mail it held for the address.
email_confirmed = Signal()


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


# ---------------------------------------------------------------- the person's export


@dataclass(frozen=True)
class ExportPart:
    """What one section gives the archive: JSON-able data, and files (path inside the zip -> bytes)."""

    data: Any
    files: Mapping[str, bytes] = field(default_factory=dict)


class ExportCollect(Protocol):
    def __call__(self, *, user: Any, now: dt.datetime) -> ExportPart: ...


@dataclass(frozen=True)
class ExportSection:
    name: str
    collect: Callable[..., ExportPart]
    covers: tuple[str, ...]  # model labels ("app.Model") whose rows about the person the section writes out
    leaves_out: Mapping[str, str]  # model label -> why its rows are not in the archive


_sections: dict[str, ExportSection] = {}

# Sections an archive is never made without: a copy with no bookings or no health records would be a quiet lie.
REQUIRED_SECTIONS = ("account", "bookings", "health")


def iso(value: dt.date | None) -> str | None:
    """A date or an instant as an export writes it (ISO 8601, the instant with its offset), None for None: one
    format for every section."""
    return value.isoformat() if value else None


def left_out(label: str, why: str) -> tuple[str, str]:
    """A model (label "app.Model") a section deliberately leaves out of the export, and why: for developers (the
    export test reads it), never shown to anyone."""
    return label, why


def register_export_section(name: str, collect: ExportCollect, *, covers: tuple[str, ...] = (),
                            leaves_out: tuple[tuple[str, str], ...] = ()) -> None:
    """Have `collect(user=, now=)` write section `name` of every export (registered again: replaced).

    `covers`: the model labels whose rows about the person it writes; `leaves_out`: `left_out(...)` entries."""
    _sections[name] = ExportSection(name, collect, tuple(covers), dict(leaves_out))


def unregister_export_section(name: str) -> None:
    """Stop writing section `name` (tests that prove the export fails closed)."""
    _sections.pop(name, None)


def export_sections() -> list[ExportSection]:
    """The registered sections, by name. Raises ImproperlyConfigured when a required one is missing."""
    missing = [name for name in REQUIRED_SECTIONS if name not in _sections]
    if missing:
        raise ImproperlyConfigured(f"No export section {', '.join(missing)} is registered: refusing to hand out a "
                                   "copy of a person's data that leaves it out.")
    return [_sections[name] for name in sorted(_sections)]
