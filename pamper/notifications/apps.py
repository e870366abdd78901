from django.apps import AppConfig
from django.db.models.signals import post_delete


class NotificationsConfig(AppConfig):
    name = "pamper.notifications"
    label = "notifications"

    def ready(self) -> None:
        from pamper.accounts.models import Membership

        from . import receivers

        post_delete.connect(receivers.membership_ended, sender=Membership, dispatch_uid="notifications.membership_ended")
