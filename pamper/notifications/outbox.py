"""The outbox: claim a message, send it once, retry with back-off when mail fails.

Two steps make "exactly once" hold across workers:
1. `plan_message` inserts the send record; the unique key
   (booking, kind, occasion, recipient) lets only one insert win.
2. `deliver` moves a due row from pending to sending with one conditional
   UPDATE; only the worker whose UPDATE changed the row sends it. A message
   to an address its account has not confirmed is held instead, and released
   when the address is confirmed.
A sender that dies mid-send leaves a `sending` row whose claim expires; the
sweep puts it back in the queue (at least once beats never).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F

from pamper.notifications import emails
from pamper.notifications.models import Message, Status

logger = logging.getLogger(__name__)

CLAIM_FOR = dt.timedelta(minutes=5)
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_RETRY = dt.timedelta(hours=1)
MAX_ATTEMPTS = 20  # about 15 hours of retries before a message is marked failed
BATCH = 200


def retry_delay(attempts: int) -> dt.timedelta:
    """Wait after the n-th failed attempt: 1, 2, 4 ... minutes, at most an hour."""
    return min(FIRST_RETRY * (2 ** max(0, attempts - 1)), LONGEST_RETRY)


@dataclass(frozen=True)
class Plan:
    """A message to create: who gets which kind about which booking, and when."""

    booking_id: int
    kind: str
    recipient: str
    user_id: int | None = None
    occasion: str = ""
    due_at: dt.datetime | None = None
    booking_start: dt.datetime | None = None


def plan_message(plan: Plan, now: dt.datetime) -> Message | None:
    """Insert the send record for `plan`; None when an identical one already exists."""
    try:
        with transaction.atomic():
            return Message.objects.create(
                booking_id=plan.booking_id, kind=plan.kind, recipient=plan.recipient.lower(), user_id=plan.user_id,
                occasion=plan.occasion, due_at=plan.due_at or now, booking_start=plan.booking_start,
            )
    except IntegrityError:
        return None


def claim(message_id: int, now: dt.datetime) -> bool:
    """Take a due, pending message for this worker. True for exactly one caller."""
    return bool(
        Message.objects.filter(pk=message_id, status=Status.PENDING, due_at__lte=now).update(
            status=Status.SENDING, claimed_until=now + CLAIM_FOR, attempts=F("attempts") + 1
        )
    )


def release_stale_claims(now: dt.datetime) -> int:
    """Put back messages whose sender vanished mid-send; returns how many."""
    return Message.objects.filter(status=Status.SENDING, claimed_until__lt=now).update(
        status=Status.PENDING, due_at=now, claimed_until=None
    )


class MailUnavailable(Exception):
    """The mail server could not be reached: stop this batch, retry later."""


def deliver(message_id: int, now: dt.datetime) -> str:
    """Claim and send one message. Returns its status afterwards, or "" when not ours.

    Raises MailUnavailable when the server refused the connection, after the
    message has been scheduled for a retry.
    """
    if not claim(message_id, now):
        return ""
    message = Message.objects.select_related("booking", "user").get(pk=message_id)
    if held(message):
        _finish(message, Status.HELD, now, error="held until the address is confirmed")
        return Status.HELD
    try:
        email, reason = emails.build(message, now)
        if email is None:
            _finish(message, Status.SKIPPED, now, error=reason)
            return Status.SKIPPED
        email.send(fail_silently=False)
    except OSError as exc:  # smtplib's errors are OSErrors too
        _schedule_retry(message, exc, now)
        if server_unreachable(exc):
            raise MailUnavailable(str(exc)) from exc
        return Status.PENDING
    except Exception as exc:  # a bug in a template or a query: keep the message and retry
        logger.exception("sending message %s failed", message.pk)
        return _schedule_retry(message, exc, now)
    _finish(message, Status.SENT, now, subject=email.subject)
    return Status.SENT


def held(message: Message) -> bool:
    """Mail to an account's own address waits until the address is confirmed (accounts: User.email_confirmed):
    whoever signed up with someone else's address cannot have Pamper write to them."""
    user = message.user
    return user is not None and not user.email_confirmed and message.recipient == user.email.lower()


def release_held(*, user_id: int, now: dt.datetime) -> list[int]:
    """The address of `user_id` is confirmed: its held messages are due now (each is still checked for relevance
    when built). Returns their ids."""
    ids = list(Message.objects.filter(user_id=user_id, status=Status.HELD).values_list("pk", flat=True))
    Message.objects.filter(pk__in=ids).update(status=Status.PENDING, due_at=now, last_error="")
    return ids


def server_unreachable(exc: OSError) -> bool:
    """True for connection failures (refused, timed out, dropped), False for a refused message."""
    if isinstance(exc, smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected):
        return True
    return not isinstance(exc, smtplib.SMTPException)


def _finish(message: Message, status: str, now: dt.datetime, *, subject: str = "", error: str = "") -> None:
    fields = {"status": status, "claimed_until": None, "last_error": error[:500]}
    if status == Status.SENT:
        fields.update(sent_at=now, subject=subject[:250])
    Message.objects.filter(pk=message.pk).update(**fields)


def _schedule_retry(message: Message, exc: BaseException, now: dt.datetime) -> str:
    attempts = message.attempts
    error = f"{type(exc).__name__}: {exc}"[:500]
    if attempts >= MAX_ATTEMPTS:
        logger.error("giving up on message %s after %s attempts: %s", message.pk, attempts, error)
        _finish(message, Status.FAILED, now, error=error)
        return Status.FAILED
    due = now + retry_delay(attempts)
    logger.warning("message %s not sent (attempt %s), retrying at %s: %s", message.pk, attempts, due, error)
    Message.objects.filter(pk=message.pk).update(status=Status.PENDING, claimed_until=None, due_at=due,
                                                 last_error=error)
    return Status.PENDING


def deliver_many(message_ids: list[int], now: dt.datetime) -> dict[str, int]:
    """Deliver each message; stop at the first unreachable-server error. Counts by outcome."""
    counts: dict[str, int] = {}
    for message_id in message_ids:
        try:
            outcome = deliver(message_id, now)
        except MailUnavailable:
            counts["deferred"] = counts.get("deferred", 0) + 1
            break
        if outcome:
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def due_ids(now: dt.datetime, limit: int = BATCH) -> list[int]:
    """Pending messages whose time has come, oldest first."""
    return list(
        Message.objects.filter(status=Status.PENDING,
                               due_at__lte=now).order_by("due_at", "pk").values_list("pk", flat=True)[:limit]
    )


def retry_failed(message_ids: list[int], now: dt.datetime) -> int:
    """Give failed messages a fresh set of attempts (admin action); returns how many."""
    return Message.objects.filter(pk__in=message_ids, status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, due_at=now, last_error=""
    )
