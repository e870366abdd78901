"""Both cores for the seed's bulk loads: forked workers with their own connections, statements run side by side.

One Python process and one PostgreSQL backend use one core between them, and
most of the seed's time is one waiting for the other. So on PostgreSQL, when
the caller is outside a transaction (never in a test's transaction, which
other connections could not see), the demo reviews are planned and copied by
forked worker processes, and the indexes and foreign keys dropped for a load
are put back from several connections at once:

- index builds of a table share its lock (SHARE), so any may run side by side;
- foreign keys are added NOT VALID (no scan, a moment's lock) one after the
  other, then validated side by side, one table per connection (a validation
  takes SHARE UPDATE EXCLUSIVE on its table and only ROW SHARE on the table it
  points at, so validations of different tables never wait for each other).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import re
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from multiprocessing.util import Finalize
from typing import Any, TypeVar

from django.db import DatabaseError, connection, connections

_INDEX_TABLE = re.compile(r" ON (?:ONLY )?(?:\w+\.)?\"?(\w+)\"? USING ")
T = TypeVar("T")
R = TypeVar("R")


def workers() -> int:
    """How many processes or connections to use at once: one more than the cores, so a core never waits for
    a process that waits for the database (at least 2)."""
    return max(2, min(4, (os.cpu_count() or 1) + 1))


def can_fork() -> bool:
    """True when work may move to other processes and connections: PostgreSQL, outside any transaction (the
    workers could not see its rows), without a connection pool (its open sockets would be shared by the
    children), on a system that forks, from a process running no other thread.

    A fork copies every thread's open connections and locks but only the calling thread: in a test worker (its
    messaging thread, a live server's) a forked child found its connection closed under it and the pool then
    waited for ever. `pamper seed` runs in one thread; elsewhere the loads run in this process, as on SQLite."""
    return (connection.vendor == "postgresql" and not connection.in_atomic_block
            and "pool" not in connection.settings_dict.get("OPTIONS", {})
            and "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1)


def _worker_started() -> None:
    # Pool.terminate() ends the workers with SIGTERM: a handler inherited from the parent must not keep them alive.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # Closed when the worker exits normally (the pool closed), so the server sees a clean goodbye.
    Finalize(None, connections.close_all, exitpriority=10)
    # A worker makes millions of small objects and keeps few: collect the young ones less often.
    gc.set_threshold(50_000, 20, 100)


@contextlib.contextmanager
def _frozen_heap() -> Iterator[None]:
    """The parent's objects kept out of the workers' garbage collections while they run (collecting would
    visit, and so copy, every page the fork shares)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def fork_map(func: Callable[[T], R], tasks: Iterable[T], processes: int) -> Iterator[R]:
    """func(task) for every task in `processes` forked workers, each opening its own database connection;
    yields the results as they finish, in any order. A worker's exception is raised here (the others stop).

    The caller's connections are closed first (a child must not share their sockets); Django opens a new one
    when the caller next needs it. func must be a module-level function; state the workers share can be set in
    a module global before the call (the children are forks, so they see it without pickling).
    """
    with _frozen_heap(), _forked_pool(processes) as pool:
        yield from pool.imap_unordered(func, tasks)


@contextlib.contextmanager
def in_background(func: Callable[[], R], *, fork: bool) -> Iterator[Callable[[], R]]:
    """func() in a forked process with its own connection while the caller goes on (fork=True; else when the
    caller asks for the result); yields the function that waits for func's result (or its exception).

    func must be a module-level function (the child is told its name) returning something picklable.
    """
    if not fork:
        yield func
        return
    with _forked_pool(1) as pool:
        yield pool.apply_async(func).get


@contextlib.contextmanager
def _forked_pool(processes: int) -> Iterator[Any]:
    """A pool of forked workers, each opening its own connection: closed and joined when the block ends, its
    workers ended at once when the block raises. The caller's connections are closed first (a child must not
    share their sockets); Django opens new ones when the caller next needs one."""
    connections.close_all()
    pool = multiprocessing.get_context("fork").Pool(processes, initializer=_worker_started)
    try:
        yield pool
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def _on_own_connection(func: Callable[[], R]) -> R:
    """func() in this thread with its own connection (Django's are per thread), closed afterwards."""
    try:
        return func()
    finally:
        connection.close()


def run_sql(statements: Sequence[str]) -> Callable[[], None]:
    """A task running these statements in order on one connection (each its own transaction), with room to
    sort in memory and no parallel maintenance workers (the other connections use the cores already)."""
    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            cursor.execute("SET max_parallel_maintenance_workers = 0")
            for sql in statements:
                cursor.execute(sql)
    return run


class Side:
    """Tasks run side by side, each in a thread with its own connection; `wait()` raises the first error."""

    def __init__(self, threads: int | None = None) -> None:
        self.pool = ThreadPoolExecutor(threads or workers(), thread_name_prefix="seed")
        self.futures: list[Future] = []

    def submit(self, task: Callable[[], R]) -> Future:
        future = self.pool.submit(_on_own_connection, task)
        self.futures.append(future)
        return future

    def wait(self) -> None:
        try:
            for future in self.futures:
                future.result()
        finally:
            self.futures = []

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def split_restore(statements: Sequence[str]) -> tuple[list[str], list[tuple[str, str, str]]]:
    """drop_for_load's statements as (index builds, [(table, key name, ADD CONSTRAINT statement)])."""
    indexes, keys = [], []
    for sql in statements:
        if sql.startswith("ALTER TABLE "):
            _, _, table, _, _, name, _ = sql.split(" ", 6)
            keys.append((table, name, sql))
        else:
            indexes.append(sql)
    return indexes, keys


def table_of(index_sql: str) -> str:
    """The table a CREATE INDEX statement (as pg_get_indexdef writes it) builds on."""
    found = _INDEX_TABLE.search(index_sql)
    return found.group(1) if found else ""


def put_back(statements: Sequence[str]) -> None:
    """After a failed load: run drop_for_load's statements one by one, skipping those that fail (an index
    built already, a key the partial rows break), so the tables keep what can be kept."""
    for sql in statements:
        index = sql.startswith("CREATE INDEX ")
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute(sql.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1) if index else sql)


def add_keys_then_validate(side: Side, keys: Sequence[tuple[str, str, str]]) -> None:
    """Add the foreign keys NOT VALID here (instant), then validate them side by side, one table per task."""
    with connection.cursor() as cursor:
        for _, _, sql in keys:
            cursor.execute(f"{sql} NOT VALID")
    by_table: dict[str, list[str]] = {}
    for table, name, _ in keys:
        by_table.setdefault(table, []).append(f"ALTER TABLE {table} VALIDATE CONSTRAINT {name}")
    for statements in sorted(by_table.values(), key=len, reverse=True):
        side.submit(run_sql(statements))


def restore_side_by_side(statements: Sequence[str], analyze: Sequence[str] = (),
                         threads: int | None = None) -> None:
    """Run drop_for_load's statements from several connections (outside a transaction): index builds, then
    foreign keys, then ANALYZE of `analyze` (table names), each step side by side."""
    indexes, keys = split_restore(statements)
    side = Side(threads)
    try:
        for sql in indexes:
            side.submit(run_sql([sql]))
        side.wait()
        add_keys_then_validate(side, keys)
        side.wait()
        for table in analyze:
            side.submit(run_sql([f"ANALYZE {connection.ops.quote_name(table)}"]))
        side.wait()
    finally:
        side.close()
