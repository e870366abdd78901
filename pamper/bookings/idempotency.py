"""Idempotency-Key: a retried request gets the first answer instead of a second booking.

The record is written in the same transaction as the booking, under a unique
(user, key) constraint: when two copies of one request race, the second one's
insert fails, its booking rolls back, and it replays the first answer. A key
reused with a different request is refused (422). Records live a day.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, router, transaction
from django.utils.translation import gettext

from pamper.accounts.models import User
from pamper.errors import Refusal, refusal_shown
from pamper.lib.prepared import fetch_all, json_value

from .models import IdempotencyRecord

KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,200}$")
KEEP = dt.timedelta(days=1)

Answer = tuple[int, dict[str, Any], bool]  # status, body, replayed


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\n".join([method.encode(), path.encode(), body])).hexdigest()


def check_key(key: str | None) -> str | None:
    """The key, or None when absent; Refusal 422 when it is not 1-200 visible ASCII characters."""
    if key is None:
        return None
    if not KEY_PATTERN.match(key):
        raise Refusal(
            422, "invalid_idempotency_key", gettext("Idempotency-Key must be 1 to 200 visible ASCII characters.")
        )
    return key


Kept = tuple[str, int, dict[str, Any]]  # a stored answer: request hash, status, body


@functools.cache
def _lookup_sql() -> str:
    table = IdempotencyRecord._meta.db_table
    return f"SELECT request_hash, status_code, body FROM {table} WHERE user_id = %s AND key = %s"  # noqa: S608


def _kept(user: User, key: str) -> Kept | None:
    """The answer stored under (user, key), if any. One fixed statement (prepared on PostgreSQL): every booking
    asks it first, and the ORM took longer to build the query than the database to answer it."""
    rows = fetch_all(_lookup_sql(), [user.pk, key], router.db_for_write(IdempotencyRecord))
    if not rows:
        return None
    request_hash, status, body = rows[0]
    return request_hash, status, json_value(body)


def _replay(kept: Kept, digest: str) -> Answer:
    request_hash, status, body = kept
    if request_hash != digest:
        raise Refusal(422, "idempotency_key_reused", gettext("This Idempotency-Key was used for a different request."))
    return status, body, True


def _error_body(exc: Refusal) -> dict[str, Any]:
    refusal_shown.send(sender=Refusal, refusal=exc)  # it becomes the answer here, not in the API's handler
    return {"code": exc.code, "message": exc.message, **exc.extra}


def run_once(*, user: User, key: str | None, digest: str, action: Callable[[], tuple[int, dict[str, Any]]]) -> Answer:
    """Run `action` (status, body) once per (user, key); refusals become answers and are kept too."""
    if key is None:
        try:
            return (*action(), False)
        except Refusal as exc:
            return exc.status, _error_body(exc), False
    found = _kept(user, key)
    if found is not None:
        return _replay(found, digest)
    try:
        with transaction.atomic():
            status, body = action()
            IdempotencyRecord.objects.create(user=user, key=key, request_hash=digest, status_code=status, body=body)
        return status, body, False
    except Refusal as exc:
        return _keep(user, key, digest, exc.status, _error_body(exc))
    except IntegrityError:
        found = _kept(user, key)
        if found is None:
            raise
        return _replay(found, digest)


def _keep(user: User, key: str, digest: str, status: int, body: dict[str, Any]) -> Answer:
    """Store an error answer; when a concurrent copy stored its answer first, replay that one."""
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.create(user=user, key=key, request_hash=digest, status_code=status, body=body)
    except IntegrityError:
        found = _kept(user, key)
        if found is not None:
            return _replay(found, digest)
    return status, body, False


def purge(now: dt.datetime) -> int:
    """Forget records older than a day."""
    return IdempotencyRecord.objects.filter(created_at__lt=now - KEEP).delete()[0]
