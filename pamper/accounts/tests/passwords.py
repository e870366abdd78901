"""A known password for tests that sign in through the pages (the factories leave passwords unusable)."""

from __future__ import annotations

from pamper.accounts.models import User

PASSWORD = "lilac-orchard-58"


def with_password(user: User) -> User:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user
