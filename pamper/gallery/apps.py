from django.apps import AppConfig


class GalleryConfig(AppConfig):
    name = "pamper.gallery"
    label = "gallery"
    verbose_name = "Venue and staff photos"
