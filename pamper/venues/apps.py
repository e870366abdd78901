from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "pamper.venues"
    label = "venues"

    def ready(self) -> None:
        # Accounts stands below venues: the person's export asks here for their client records and favourites, and
        # closing the account takes the favourites with it (the client records go with the health data: clinical).
        from pamper.accounts import hooks as account_hooks

        from . import export, receivers

        export.register()
        account_hooks.account_closing.connect(receivers.account_closing, dispatch_uid="venues.account_closing")
