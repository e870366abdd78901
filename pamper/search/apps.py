from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "pamper.search"
    label = "search"

    def ready(self) -> None:
        # Venues stands below search: its writes send venue_changed, and the index follows in the same
        # transaction. Imported here, not at the top: models may be imported only once the app registry is ready.
        from pamper.venues import hooks as venue_hooks

        from . import receivers

        venue_hooks.venue_changed.connect(receivers.venue_changed, dispatch_uid="search.venue_changed")
