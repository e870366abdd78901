from django.apps import AppConfig


class WaitlistConfig(AppConfig):
    name = "pamper.waitlist"
    label = "waitlist"

    def ready(self) -> None:
        # Bookings and venues stand below the waitlist: their writes announce themselves, and the waitlist
        # offers what they freed after the write commits.
        from pamper.accounts import hooks as account_hooks
        from pamper.bookings import hooks as booking_hooks
        from pamper.venues import hooks as venue_hooks

        from . import export, receivers

        booking_hooks.booking_changed.connect(receivers.booking_changed, dispatch_uid="waitlist.booking_changed")
        venue_hooks.venue_changed.connect(receivers.venue_changed, dispatch_uid="waitlist.venue_changed")
        account_hooks.account_closing.connect(receivers.account_closing, dispatch_uid="waitlist.account_closing")
        # The person's export asks here for their waitlist places.
        export.register()
