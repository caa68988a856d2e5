from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "vocations.api"
    label = "api"
