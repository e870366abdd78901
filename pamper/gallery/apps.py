from django.apps import AppConfig


class GalleryConfig(AppConfig):
    name = "pamper.gallery"
    label = "gallery"
    verbose_name = "Venue and staff photos"

    def ready(self) -> None:
        # Imported here, not at the top: models may be imported only once the app registry is ready.
        from pamper.venues import hooks as venue_hooks

        from . import receivers

        venue_hooks.venue_changed.connect(receivers.venue_changed, dispatch_uid="gallery.venue_changed")
