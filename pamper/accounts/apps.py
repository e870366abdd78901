from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pamper.accounts"
    label = "accounts"
