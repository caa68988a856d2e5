from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "vocations.territories"
    label = "territories"
