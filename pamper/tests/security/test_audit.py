"""bandit finds no high-severity issue in pamper/ (the configuration is [tool.bandit] in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.slow
def test_bandit_reports_no_high_severity_finding() -> None:
    bandit = shutil.which("bandit", path=str(Path(sys.executable).parent))
    if bandit is None:
        pytest.skip("bandit is not installed (make install adds it)")
    result = subprocess.run([bandit, "-c", "pyproject.toml", "-q", "-r", "pamper", "-lll"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
