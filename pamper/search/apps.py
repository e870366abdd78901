from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "pamper.search"
    label = "search"

    def ready(self) -> None:
        # Venues stands below search: its writes send venue_changed, and the index follows in the same
        # transaction. Imported here, not at the top: models may be imported only once the app registry is ready.
        from django.db.models.signals import post_delete, post_save

        from pamper.catalog.models import Category, Treatment
        from pamper.venues import hooks as venue_hooks

        from . import receivers, understand

        venue_hooks.venue_changed.connect(receivers.venue_changed, dispatch_uid="search.venue_changed")
        # The query matcher is built from the treatments and their categories: an edit here is seen at once.
        for model in (Treatment, Category):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(understand.stale, sender=model, dispatch_uid=f"search.{model.__name__}.{name}")
