from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "pamper.venues"
    label = "venues"

    def ready(self) -> None:
        # Accounts stands below venues: the person's export asks here for their client records and favourites.
        from . import export

        export.register()
