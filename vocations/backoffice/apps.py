from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "vocations.backoffice"
    label = "backoffice"
