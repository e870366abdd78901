from django.apps import AppConfig
from django.db.models.signals import post_delete


class NotificationsConfig(AppConfig):
    name = "pamper.notifications"
    label = "notifications"

    def ready(self) -> None:
        # Imported here, not at the top: models may be imported only once the app registry is ready.
        from pamper.accounts import hooks as account_hooks
        from pamper.accounts.models import Membership
        from pamper.bookings import hooks as booking_hooks

        from . import export, receivers

        post_delete.connect(receivers.membership_ended, sender=Membership,
                            dispatch_uid="notifications.membership_ended")
        booking_hooks.booking_changed.connect(receivers.booking_changed, dispatch_uid="notifications.booking_changed")
        account_hooks.account_closing.connect(receivers.account_closing, dispatch_uid="notifications.account_closing")
        account_hooks.email_confirmed.connect(receivers.email_confirmed, dispatch_uid="notifications.email_confirmed")
        # The person's export asks here for their email settings, calendar feeds and emails.
        export.register()
