from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vocations.accounts"
    label = "accounts"
