"""What keeps a web process small (issue 19: at most 120 MB resident per warmed gunicorn worker): a module it need
not load (`load_test_signals_alone`, called by pamper/wsgi.py before Django starts) and garbage it need not keep
(`Collector`, driven by gunicorn's worker hooks in pamper/gunicorn_conf.py).

django-ninja's settings module (ninja/conf.py) imports `setting_changed` from `django.test.signals`. Importing that
module runs the `django.test` package first, which loads Django's test client and test cases, and with them
unittest, unittest.mock, jinja2 and xml.dom: about 20 MB that no request uses. `django.test.signals` itself needs
none of that, so it is loaded on its own, under its own name, before ninja asks for it. A later `import
django.test` (a test run, a shell) still loads the whole package and finds this same module.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import importlib.util
import sys
import threading
from pathlib import Path

import django

TEST_SIGNALS = "django.test.signals"


def load_test_signals_alone() -> None:
    """Put `django.test.signals` in sys.modules without running the `django.test` package (no-op when loaded)."""
    if TEST_SIGNALS in sys.modules or "django.test" in sys.modules:
        return
    path = Path(django.__file__).parent / "test" / "signals.py"
    spec = importlib.util.spec_from_file_location(TEST_SIGNALS, path)
    if spec is None or spec.loader is None:  # an unusual install: let ninja import it the usual way
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules[TEST_SIGNALS] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[TEST_SIGNALS]
        raise


class Collector:
    """Keeps a long-running web process's garbage small (gunicorn's worker hooks call it: pamper/gunicorn_conf.py).

    Pages read model rows whose reference cycles (a category and its prefetched treatments, each pointing back)
    hold their decoded JSON until Python's full collection runs, and that runs rarely: only once the objects
    waiting in the oldest generation number a quarter of those already there, a million after start-up. So the
    process grows by tens of MB of dead rows, and a full collection, when it comes, walks everything (0.1-0.2 s).

    - `started()`: after start-up, freeze everything alive (gc.freeze): later collections skip it. The C
      allocator is also held to one arena: by default glibc gives each thread its own heap (4 threads, 4 heaps
      each keeping its own free pages), which the GIL makes useless: Python threads seldom allocate at once.
    - `after_request()`: a full collection after each request (under a millisecond once the process is warm; it
      runs after the answer is sent). What the first requests build to keep (compiled templates, translations,
      caches) is frozen too, at the first moment no other request is in flight after the 1st, 4th, 16th and
      64th request (`refreeze_at`), so collections stay short; freezing only when idle keeps another request's
      garbage out of it. Every `trim_every` requests the C allocator hands freed pages back to the system.
    """

    def __init__(self, refreeze_at: tuple[int, ...] = (1, 4, 16, 64), trim_every: int = 16) -> None:
        self.refreeze_at = refreeze_at
        self.trim_every = trim_every
        self.served = 0
        self.in_flight = 0
        self.refrozen = 0  # how many of refreeze_at are done
        self._lock = threading.Lock()
        self._libc = _libc()

    def started(self) -> None:
        if self._libc is not None:
            self._libc.mallopt(M_ARENA_MAX, 1)
        gc.collect()
        gc.freeze()

    def before_request(self) -> None:
        with self._lock:
            self.in_flight += 1

    def after_request(self) -> None:
        with self._lock:
            self.in_flight -= 1
            self.served += 1
            served, alone = self.served, self.in_flight == 0
            due = self.refrozen < len(self.refreeze_at) and served >= self.refreeze_at[self.refrozen]
            refreeze = alone and due
            if refreeze:
                self.refrozen = sum(1 for n in self.refreeze_at if n <= served)
        if self.refrozen == 0 and not refreeze:
            return  # until the first requests' keepers are frozen, a full collection would walk them all, each time
        gc.collect()
        if refreeze:
            gc.freeze()
        if self._libc is not None and served % self.trim_every == 0:
            self._libc.malloc_trim(0)


M_ARENA_MAX = -8  # mallopt's parameter number in glibc's malloc.h


def _libc() -> ctypes.CDLL | None:
    """glibc, for mallopt and malloc_trim; None where the C library has neither (musl, macOS)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt, libc.malloc_trim  # noqa: B018 - both exist, or AttributeError
    except (OSError, AttributeError):
        return None
    return libc
