from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations commands (backups, demo accounts) and the deployment checks of the data; no models."""

    name = "pamper.ops"
    label = "ops"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the checks
