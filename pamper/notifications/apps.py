from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "pamper.notifications"
    label = "notifications"
