"""Production settings pass Django's deployment checks; secrets are generated once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        check=False
    )


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "SECRET_KEY", "PAMPER_TESTING",
                                                            "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(PAMPER_DATA_DIR=str(tmp_path), **extra)
    return env


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    env = clean_env(tmp_path, PAMPER_HTTPS="1", SECRET_KEY="k" * 20 + "-production-secret-" + "x" * 40,
                    ALLOWED_HOSTS="pamper.example", SITE_URL="https://pamper.example",
                    PAMPER_HEALTH_KEYS="m1n2Sg1UoVkCqDO8hz0uPTzbNnhk1q2gddQ9XbGFmSU=")
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_secret_key_is_generated_once_into_the_data_dir(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_manage("shell", "-c", code, env=env).stdout.strip()
    second = run_manage("shell", "-c", code, env=env).stdout.strip()
    assert first and first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
