from django.apps import AppConfig

from pamper.lib.catalogues import compile_stale


class OpsConfig(AppConfig):
    """Operations commands (backups, demo accounts) and the deployment checks of the data; no models."""

    name = "pamper.ops"
    label = "ops"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the checks

        compile_stale()  # the translation catalogues, so a fresh clone speaks every language (pamper/lib/catalogues.py)
