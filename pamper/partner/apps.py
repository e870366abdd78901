from django.apps import AppConfig


class PartnerConfig(AppConfig):
    name = "pamper.partner"
    label = "partner"
