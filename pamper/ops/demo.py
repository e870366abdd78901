"""The demo's accounts in a database: find them, and remove them.

`pamper seed --demo` creates published logins (password `pamper-demo`, one of
them a superuser) and a pool of demo reviewers. They are recognised by their
addresses: the four logins at example.com and every address at the demo
reviewers' domain, names reserved for examples (RFC 2606) that no real person
can receive mail at. `check --deploy` fails while any exists (pamper.ops.checks).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet

from pamper.accounts.models import User
from pamper.demo.accounts import DEMO_LOGIN_EMAILS
from pamper.demo.reviews import DEMO_REVIEWER_DOMAIN


def demo_accounts() -> QuerySet[User]:
    """Every account the demo seed creates that exists in the database (none on a clean production database)."""
    return User.objects.filter(Q(email__in=DEMO_LOGIN_EMAILS) | Q(email__iendswith=f"@{DEMO_REVIEWER_DOMAIN}"))


@transaction.atomic
def remove_demo_accounts() -> int:
    """Delete every demo account and what hangs off it (API tokens, memberships, two-factor devices, reviews).

    Returns how many accounts went (0 when there were none). Bookings and
    client records stay, detached from the account (their foreign keys are
    SET_NULL), as when any account is deleted; sessions of a deleted account
    no longer sign anyone in.
    """
    accounts = demo_accounts()
    count = accounts.count()
    accounts.delete()
    return count
