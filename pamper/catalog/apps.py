from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "pamper.catalog"
    label = "catalog"
