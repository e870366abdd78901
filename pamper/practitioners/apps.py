from django.apps import AppConfig


class PractitionersConfig(AppConfig):
    name = "pamper.practitioners"
    label = "practitioners"

    def ready(self) -> None:
        # Bookings stands below: who may treat connects through its doors. The staff filter narrows every
        # availability answer and placement to qualified staff; the booking check refuses a customer under
        # the minimum age (first, before the pathway) and a prescription-only treatment without a
        # prescriber's prescription. Imported here: models load once the registry is ready.
        from pamper.bookings import hooks

        from . import checks, export

        hooks.register_staff_filter(checks.qualified_staff)
        hooks.register_booking_check(checks.check_visit, first=True)
        # The person's export asks here for their prescriptions and credentials.
        export.register()
        # A person erasing their health data (or closing their account) erases their prescriptions with it.
        from pamper.clinical import hooks as clinical_hooks

        from .actions import erase_prescriptions

        clinical_hooks.health_data_erasing.connect(erase_prescriptions, dispatch_uid="practitioners.prescriptions")
