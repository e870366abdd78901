"""The read replica: is it there, and how far behind the primary is it.

`lag_seconds()` asks the replica (alias "replica", configured by DATABASE_REPLICA_URL) how many seconds of the
primary's history it has not replayed yet: 0 when it has replayed everything it received, None when it cannot be
reached or is not a replica. The router (pamper/lib/dbrouter.py) and /readyz use it; the router keeps the answer
for a few seconds so a busy site asks once per process every REPLICA_CHECK_SECONDS, not per query.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connections

ALIAS = "replica"
logger = logging.getLogger(__name__)

# Replayed everything received: no lag (an idle primary sends nothing, and now() - last replay would grow).
LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END
"""


def configured() -> bool:
    return ALIAS in connections.databases


def lag_seconds() -> float | None:
    """Seconds the replica is behind; None when it is not configured, unreachable, or not in recovery."""
    if not configured():
        return None
    connection = connections[ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, lag = cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("replica unreachable: %s", exc)
        connection.close()  # the next try opens a fresh connection
        return None
    return float(lag) if in_recovery else None
