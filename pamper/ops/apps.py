from django.apps import AppConfig

from pamper.lib.catalogues import compile_stale


class OpsConfig(AppConfig):
    """Operations: commands (backups, demo accounts, housekeeping), deployment checks, metrics; no models."""

    name = "pamper.ops"
    label = "ops"

    def ready(self) -> None:
        from . import checks, metrics  # noqa: F401 - checks registers the deployment checks on import

        metrics.connect()  # counts bookings made and refused, task failures (pamper/ops/metrics.py)

        compile_stale()  # the translation catalogues, so a fresh clone speaks every language (pamper/lib/catalogues.py)
