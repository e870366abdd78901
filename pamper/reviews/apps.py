from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "pamper.reviews"
    label = "reviews"
