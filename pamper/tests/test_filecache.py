"""The shared file cache (pamper.lib.filecache) that rate limits and lockouts count in without CACHE_URL."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest

from pamper.lib import filecache
from pamper.lib.filecache import FileCache


def _cache(folder: Path, **options: int) -> FileCache:
    return FileCache(str(folder), {"OPTIONS": options})


def _count(folder: str, times: int) -> None:
    cache = FileCache(folder, {})  # a process of its own, as a gunicorn worker
    for _ in range(times):
        cache.incr("attempts")


def test_workers_counting_at_once_lose_no_count(tmp_path: Path) -> None:
    _cache(tmp_path).set("attempts", 0, timeout=60)
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_count, args=(str(tmp_path), 150)) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert [w.exitcode for w in workers] == [0] * 4
    assert _cache(tmp_path).get("attempts") == 600  # Django's read-then-write incr loses some of these


def test_incr_of_a_missing_or_expired_key_is_refused(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    with pytest.raises(ValueError, match="not found"):
        cache.incr("nothing")
    cache.set("old", 5, timeout=0.01)
    time.sleep(0.05)
    with pytest.raises(ValueError, match="not found"):
        cache.incr("old")
    cache.set("n", 5, timeout=60)
    assert cache.incr("n", 3) == 8
    assert cache.get("n") == 8
    cache.set("big", 70_000, timeout=60)
    assert cache.incr("big", -69_990) == 10  # a shorter file than before: nothing of the old number left behind
    assert cache.get("big") == 10
    assert cache.incr("big") == 11


def test_a_full_cache_drops_expired_entries_and_keeps_live_counters(tmp_path: Path) -> None:
    cache = _cache(tmp_path, MAX_ENTRIES=10)
    for i in range(12):
        cache.set(f"gone-{i}", i, timeout=0.01)
    live = {f"lockout-{i}": i for i in range(6)}
    for key, value in live.items():
        cache.set(key, value, timeout=600)
    time.sleep(0.05)
    cache.sweep()
    assert len(list(tmp_path.glob("*.djcache"))) == 6
    assert {key: cache.get(key) for key in live} == live  # Django's random cull would take some of these


def test_a_cache_of_live_entries_over_its_size_still_shrinks(tmp_path: Path) -> None:
    cache = _cache(tmp_path, MAX_ENTRIES=9, CULL_FREQUENCY=3)
    for i in range(12):
        cache.set(f"k{i}", i, timeout=600)
    cache.sweep()
    assert len(list(tmp_path.glob("*.djcache"))) == 8  # a third of the 12 gone


def test_writes_do_not_list_the_folder_each_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = _cache(tmp_path)
    listings = []
    real = cache._list_cache_files
    monkeypatch.setattr(cache, "_list_cache_files", lambda: listings.append(1) or real())
    for i in range(200):
        cache.set(f"k{i}", i, timeout=60)
    assert len(listings) == 1  # the first write sweeps; the next sweep waits SWEEP_SECONDS
    later = time.monotonic() + filecache.SWEEP_SECONDS + 1
    monkeypatch.setattr(filecache.time, "monotonic", lambda: later)
    cache.set("later", 1, timeout=60)
    assert len(listings) == 2


KEYS = 40


def _add_each(folder: str, start: Any, wins: Any, name: str) -> None:
    cache = FileCache(folder, {})  # a process of its own, as a gunicorn worker
    start.wait(timeout=30)
    wins.put([key for key in (f"window-{i}" for i in range(KEYS)) if cache.add(key, name, timeout=60)])


def _race(folder: Path, racers: int = 6) -> dict[str, int]:
    """`racers` processes add the same KEYS keys at once; how many times each key was won."""
    context = multiprocessing.get_context("fork")
    start, wins = context.Barrier(racers), context.Queue()
    workers = [context.Process(target=_add_each, args=(str(folder), start, wins, f"p{n}")) for n in range(racers)]
    for w in workers:
        w.start()
    won = [wins.get(timeout=60) for _ in workers]
    for w in workers:
        w.join(timeout=60)
    assert [w.exitcode for w in workers] == [0] * racers
    return {key: sum(key in keys for keys in won) for key in (f"window-{i}" for i in range(KEYS))}


def test_processes_adding_one_key_at_once_have_exactly_one_winner(tmp_path: Path) -> None:
    assert set(_race(tmp_path).values()) == {1}  # Django's add is a check then a write: several won a key
    cache = _cache(tmp_path)
    winners = {cache.get(f"window-{i}") for i in range(KEYS)}
    assert winners <= {f"p{n}" for n in range(6)}
    assert cache.add("window-0", "late", timeout=60) is False and cache.get("window-0") in winners


def test_processes_adding_over_expired_entries_have_exactly_one_winner(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    for i in range(KEYS):
        cache.set(f"window-{i}", "old", timeout=0.01)
    time.sleep(0.05)
    assert set(_race(tmp_path).values()) == {1}
    assert "old" not in {cache.get(f"window-{i}") for i in range(KEYS)}


def test_add_takes_the_place_of_an_expired_entry(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    cache.set("k", "old", timeout=0.01)
    time.sleep(0.05)
    assert cache.get("k") is None and not cache.has_key("k")
    assert cache.add("k", "new", timeout=60) is True
    assert cache.get("k") == "new" and cache.add("k", "again", timeout=60) is False


def test_adding_over_a_live_entry_leaves_the_folder_untouched(tmp_path: Path) -> None:
    """The rate limits add their window's key on every request, and it is there nearly always: that answer is one
    read. Writing, linking and removing a temporary file for it cost a booking 1.5 ms (three such adds)."""
    cache = _cache(tmp_path)
    assert cache.add("window", 0, timeout=60) is True
    before = tmp_path.stat().st_mtime_ns
    time.sleep(0.01)
    assert cache.add("window", 1, timeout=60) is False
    assert tmp_path.stat().st_mtime_ns == before  # no file was created or removed in it
    assert cache.get("window") == 0
