"""Helpers every benchmark shares: its own section of RESULTS.md and a server on a free port.

No Django imports here: load generators import this module too.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import time
from http.client import HTTPConnection
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def markers(key: str) -> tuple[str, str]:
    return f"<!-- {key}:start -->", f"<!-- {key}:end -->"


def replace_section(key: str, block: str) -> None:
    """Put block (which starts and ends with key's markers) in RESULTS.md in place of the old one, or append it.

    The file is read right before writing: other benchmarks own the other sections.
    """
    start, end = markers(key)
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(text)


def write_section(key: str, title: str, body: str) -> None:
    """Replace (or append) this benchmark's section, headed with when and where it was measured."""
    start, end = markers(key)
    stamp = (f"Measured {dt.datetime.now(tz=dt.UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, "
             f"Python {platform.python_version()}.")
    replace_section(key, f"{start}\n## {title}\n\n{stamp}\n\n{body}\n{end}")



def wait_until_up(port: int, path: str = "/bench/ping", timeout: float = 180) -> None:
    """Return once GET path on 127.0.0.1:port answers 200; RuntimeError after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server on port {port} did not answer")
