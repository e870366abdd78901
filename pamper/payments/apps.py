from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "pamper.payments"
    label = "payments"

    def ready(self) -> None:
        # Bookings stands below payments: it asks what a visit costs up front through the gate registered here,
        # and tells of cancellations through booking_changed. Imported here, not at the top: models may be
        # imported only once the app registry is ready.
        from pamper.accounts import hooks as account_hooks
        from pamper.bookings import hooks
        from pamper.venues import hooks as venue_hooks

        from . import currency, export, receivers
        from .gate import gate

        hooks.register_payment_gate(gate)
        hooks.booking_changed.connect(receivers.booking_changed, dispatch_uid="payments.booking_changed")
        account_hooks.account_closing.connect(receivers.account_closing, dispatch_uid="payments.account_closing")
        # A venue switching currency asks here for the fixed amounts the new currency must be able to hold.
        venue_hooks.currency_changing.connect(currency.fixed_amounts, dispatch_uid="payments.currency_changing")
        # The person's export asks here for their payments, refunds and gift cards.
        export.register()
