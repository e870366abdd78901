"""The cache every process on one machine shares when no CACHE_URL is set: Django's file cache, fixed for counters.

Rate limits and sign-in lockouts count in this cache (pamper.throttles), two or three counters per request, so
four things about Django's `FileBasedCache` mattered:

- it lists the whole folder on every write to see whether it is full (0.7 ms a write with a few hundred entries,
  more as the folder grows): here a process sweeps at most once every `SWEEP_SECONDS`;
- when full it deletes entries at random, live lockout counters included, while expired ones stay: here a sweep
  deletes the expired entries first and only then, if still over `MAX_ENTRIES`, live ones at random;
- `incr` is a read followed by a separate write, so two workers counting at once both write the same number and
  one request goes uncounted: here it rewrites the file in place under an exclusive lock, and reads take a shared
  lock so none sees a file half rewritten;
- `add` is a check then a write, so two workers opening the same new window (or taking the same one-time key) at
  once both won: here the entry is written whole to a temporary file and hard-linked to its name, which fails
  when the name is taken (`os.link` never replaces), so exactly one adder wins. An expired entry in the way is
  removed under its exclusive lock, once checked to be still the file under that name; reads no longer remove
  expired entries by name (Django's get closes the file, then deletes whatever the name holds by then, which
  could be a fresh entry another process had just added): they are left to add, set and the sweep.

The files are Django's format (pickles), written only by this site's own processes into its data folder, which
no one else may write to; that is why unpickling them is safe here, as in Django's own file cache.
"""

from __future__ import annotations

import os
import pickle
import random
import tempfile
import time
import zlib
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

SWEEP_SECONDS = 10.0


class FileCache(FileBasedCache):
    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._next_sweep = 0.0

    def _cull(self) -> None:
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_SECONDS
        self.sweep()

    def sweep(self) -> None:
        """Delete expired entries; if the live ones still reach max_entries, a random share of them (as Django)."""
        files = self._list_cache_files()
        if len(files) < self._max_entries:
            return
        live = [name for name in files if not self._drop_if_expired(name)]
        if len(live) >= self._max_entries:
            if self._cull_frequency == 0:
                self.clear()
                return
            for name in random.sample(live, len(live) // self._cull_frequency):
                self._delete(name)

    def _is_expired(self, f: Any) -> bool:
        """True when the open entry file `f` has expired (or is unreadable). Unlike Django's, it leaves the file:
        removing it by name after the check could remove a fresh entry written there meanwhile (_drop_if_expired
        removes safely)."""
        try:
            expiry = pickle.load(f)  # noqa: S301 - see the module docstring
        except (EOFError, pickle.UnpicklingError):
            return True
        return expiry is not None and expiry < time.time()

    def _drop_if_expired(self, fname: str) -> bool:
        """Remove the entry file `fname` when it has expired. True when the name may be free now (removed here,
        gone already, or replaced meanwhile: look again); False when a live entry holds it. The file goes only
        under its exclusive lock and while it is still the one under that name, so a fresh entry never goes in
        its place."""
        try:
            with open(fname, "rb") as f:
                locks.lock(f, locks.LOCK_EX)
                try:
                    if os.stat(fname).st_ino != os.fstat(f.fileno()).st_ino:
                        return True
                    if not self._is_expired(f):
                        return False
                    os.remove(fname)
                    return True
                finally:
                    locks.unlock(f)
        except FileNotFoundError:
            return True

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        """Store `value` under `key` unless a live entry is there; True when this call stored it. Atomic across
        processes: of several adding one key at once, exactly one gets True (see the module docstring)."""
        if self.has_key(key, version):
            # The usual answer for a key in use (a rate limit's window, a debounce): one read under a shared lock,
            # instead of a temporary file written, linked and removed (1.5 ms a booking, whose limits add three).
            return False
        self._createdir()
        fname = self._key_to_file(key, version)
        self._cull()
        fd, tmp = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as f:
                self._write_content(f, timeout, value)
            while True:
                try:
                    os.link(tmp, fname)  # whole, and only where no file is
                    return True
                except FileExistsError:
                    if not self._drop_if_expired(fname):
                        return False
        finally:
            os.remove(tmp)

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        try:
            with open(self._key_to_file(key, version), "rb") as f:
                locks.lock(f, locks.LOCK_SH)
                try:
                    if not self._is_expired(f):
                        return pickle.loads(zlib.decompress(f.read()))  # noqa: S301 - see the module docstring
                finally:
                    locks.unlock(f)
        except FileNotFoundError:
            pass
        return default

    def has_key(self, key: str, version: int | None = None) -> bool:
        try:
            with open(self._key_to_file(key, version), "rb") as f:
                locks.lock(f, locks.LOCK_SH)
                try:
                    return not self._is_expired(f)
                finally:
                    locks.unlock(f)
        except FileNotFoundError:
            return False

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        """Add `delta` to a number stored under `key`, atomically across processes; ValueError when it is missing."""
        try:
            with open(self._key_to_file(key, version), "r+b") as f:
                locks.lock(f, locks.LOCK_EX)
                try:
                    expiry = pickle.load(f)  # noqa: S301 - see the module docstring
                    if expiry is not None and expiry < time.time():
                        raise ValueError(f"Key '{key}' not found")
                    value = pickle.loads(zlib.decompress(f.read())) + delta  # noqa: S301
                    size = f.tell()
                    number = zlib.compress(pickle.dumps(value, self.pickle_protocol))
                    data = pickle.dumps(expiry, self.pickle_protocol) + number
                    f.seek(0)
                    f.write(data)
                    if len(data) < size:  # a counter's file only grows; truncating costs a journal write (1 ms)
                        f.truncate()
                    f.flush()  # before the lock goes: the buffer would reach the file only at close
                    return value
                finally:
                    locks.unlock(f)
        except FileNotFoundError:
            raise ValueError(f"Key '{key}' not found") from None
