from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "pamper.bookings"
    label = "bookings"

    def ready(self) -> None:
        # Venues stands below bookings: a change to hours, shifts, time off or services announces itself, and the
        # next free slots shown in search are recomputed once it commits.
        from pamper.accounts import hooks as account_hooks
        from pamper.venues import hooks as venue_hooks

        from . import closing, erasure, export, nextfree

        venue_hooks.venue_changed.connect(nextfree.venue_changed, dispatch_uid="bookings.venue_changed")
        # Accounts stands below bookings: closing an account asks here first (upcoming visits refuse it), then the
        # stored answers to the person's booking requests go with it.
        account_hooks.register_closing_check(closing.refuse_upcoming_visits)
        account_hooks.account_closing.connect(erasure.account_closing, dispatch_uid="bookings.account_closing")
        # The person's export asks here for their bookings.
        export.register()
