from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data generators and the `seed` command: not domain code, and above every domain app."""

    name = "pamper.demo"
    label = "demo"
