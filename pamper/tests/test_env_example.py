"""`.env.example` lists every environment variable Pamper reads, so an operator can see them all in one place."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# os.environ["X"], os.environ.get("X"), os.getenv("X"), env_bool("X"), env_list("X"), _secret_from_file("X", ...)
READS = re.compile(r"""(?:os\.environ(?:\.get|\.setdefault)?[\[(]|os\.getenv\(|env_(?:bool|list|int)\(|"""
                   r"""_secret_from_file\()\s*["']([A-Z][A-Z0-9_]+)["']""")
# Read by the test harness or the machinery around Django, not by Pamper itself.
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def variables_read() -> set[str]:
    """Every variable name read in pamper/ (tests aside) and bin/run's ${X:-default} inputs."""
    found: set[str] = set()
    for path in (ROOT / "pamper").rglob("*.py"):
        if "tests" in path.parts:
            continue
        found |= set(READS.findall(path.read_text()))
    found |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]+):-", (ROOT / "bin" / "run").read_text()))  # ${X:-default}
    return found - NOT_SETTINGS


def listed() -> set[str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {line.split("=", 1)[0].strip() for line in lines if "=" in line and not line.lstrip().startswith("#")}


def test_env_example_lists_every_variable_pamper_reads() -> None:
    read = variables_read()
    assert {"DATABASE_URL", "SECRET_KEY", "PAMPER_HEALTH_KEYS", "SITE_URL", "WEB_WORKERS"} <= read  # the scan works
    missing = read - listed()
    assert not missing, f"add these to .env.example with a comment: {sorted(missing)}"
