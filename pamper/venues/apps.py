from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "pamper.venues"
    label = "venues"
