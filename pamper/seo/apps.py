from django.apps import AppConfig


class SeoConfig(AppConfig):
    name = "pamper.seo"
    label = "seo"

    def ready(self) -> None:
        # Venues, catalog and reviews stand below: their writes reach the landing-page cache and the sitemaps'
        # change stamps through venue_changed and model signals. Imported here: models load once the registry is.
        from . import receivers

        receivers.connect()
