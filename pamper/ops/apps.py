from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations commands (backups); no models."""

    name = "pamper.ops"
    label = "ops"
