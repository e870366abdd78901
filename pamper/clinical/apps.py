from django.apps import AppConfig


class ClinicalConfig(AppConfig):
    name = "pamper.clinical"
    label = "clinical"

    def ready(self) -> None:
        # Bookings stands below clinical, so it runs the pathway through hooks registered here: every visit put
        # in the diary is checked (bookings refuses to book when no check is registered), and a consultation
        # leaving the diary takes the treatments that depended on it. Imported here, not at the top: models may
        # be imported only once the app registry is ready.
        from pamper.accounts import hooks as account_hooks
        from pamper.bookings import gates as booking_gates
        from pamper.bookings import hooks

        from . import actions, gate, pathway, privacy

        hooks.register_booking_check(pathway.check_visit)
        booking_gates.register_booking_gate(gate.booking_gate)
        hooks.register_release_handler(actions.cancel_waiting_treatments)
        # Closing an account erases the person's health data (as /account/health/erase does).
        account_hooks.account_closing.connect(privacy.account_closing, dispatch_uid="clinical.account_closing")
        # The person's export asks here for their health records (accounts.export).
        privacy.register_export()
