from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "pamper.bookings"
    label = "bookings"
