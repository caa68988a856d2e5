from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vocations.core"
    label = "core"
