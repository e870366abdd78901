"""What venues does when accounts, below it, closes an account: connected in VenuesConfig.ready."""

from __future__ import annotations

from typing import Any

from . import actions


def account_closing(sender: Any, *, user: Any, **kwargs: Any) -> None:
    """accounts.hooks.account_closing: the person's favourite venues go, in the closing transaction."""
    actions.forget_favourites(user=user)
