"""What notifications does when a lower layer's rows change: connected in NotificationsConfig.ready."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

from pamper.accounts.models import Membership
from pamper.lib import clock
from pamper.lib.commits import enqueue_best_effort

from . import actions, events, outbox, tasks


def membership_ended(sender: type[Membership], instance: Membership, **kwargs: Any) -> None:
    """A person left a venue (removed, left, or deleted by any path): their diary feeds there stop at once.

    post_delete runs inside the deleting transaction, so the feeds go with the membership or not at all.
    """
    actions.revoke_venue_feeds(user_id=instance.user_id, venue_id=instance.venue_id, now=clock.now())


def booking_changed(sender: Any, *, booking_id: int, kind: str, **kwargs: Any) -> None:
    """bookings.hooks.booking_changed: queue the messages for the change once its transaction commits.

    Looks events.booking_changed up at call time (tests record the events by replacing it). Nothing for a quiet
    change (the caller tells the customer itself). Never raises.
    """
    if kwargs.get("quiet"):
        return
    events.booking_changed(booking_id, kind)


def account_closing(sender: Any, *, user: Any, **kwargs: Any) -> None:
    """accounts.hooks.account_closing: the person's calendar feeds and preferences go, their unsent mail is dropped
    and the sent records keep no address (actions.erase_person), in the closing transaction."""
    actions.erase_person(user=user)


def email_confirmed(sender: Any, *, user: Any, now: Any, **kwargs: Any) -> None:
    """accounts.hooks.email_confirmed: the mail held for the address goes out once the confirmation commits."""
    ids = outbox.release_held(user_id=user.pk, now=now)
    if ids:
        transaction.on_commit(partial(enqueue_best_effort, tasks.deliver_messages, ids), robust=True)
