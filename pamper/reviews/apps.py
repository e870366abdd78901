from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "pamper.reviews"
    label = "reviews"

    def ready(self) -> None:
        # Accounts stands below reviews: the person's export asks here for their reviews and the replies.
        from . import export

        export.register()
