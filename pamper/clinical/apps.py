from django.apps import AppConfig


class ClinicalConfig(AppConfig):
    name = "pamper.clinical"
    label = "clinical"
