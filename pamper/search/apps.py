from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "pamper.search"
    label = "search"
