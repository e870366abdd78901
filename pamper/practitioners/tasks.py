"""Background work for who may treat (django-tasks): the scheduler queues the credential sweep every minute."""

from __future__ import annotations

from django_tasks import task

from pamper.lib import clock

from .expiry import flag_lapsed, send_expiry_notices


@task()
def sweep_credentials() -> int:
    """Expiry notices 30 and 7 days ahead, then the bookings of credentials that lapsed. Returns how many."""
    now = clock.now()
    return send_expiry_notices(now=now) + flag_lapsed(now=now)
