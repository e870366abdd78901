"""`make bench`: run every bench/bench_*.py module's main() in turn.

Each benchmark writes its own section of bench/RESULTS.md (replacing the
figures of its previous run, leaving the others). `python -m bench search`
runs only the modules whose name contains "search"; a benchmark that fails
is reported and the others still run.
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent


def modules(only: list[str]) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    return [n for n in names if not only or any(word in n for word in only)]


def main() -> int:
    failed = []
    for name in modules(sys.argv[1:]):
        print(f"\n=== {name} ===", flush=True)
        started = time.monotonic()
        try:
            importlib.import_module(f"bench.{name}").main()
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(name)
        print(f"=== {name}: {time.monotonic() - started:.0f} s ===", flush=True)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    print(f"\nFigures: {HERE / 'RESULTS.md'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
