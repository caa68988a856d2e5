from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "vocations.careers"
    label = "careers"
