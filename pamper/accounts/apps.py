from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pamper.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import export, receivers  # noqa: F401  (receivers: connects the token cache's invalidation)

        export.register()
