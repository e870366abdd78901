from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pamper.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the token cache's invalidation)
