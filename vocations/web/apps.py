from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "vocations.web"
    label = "web"
