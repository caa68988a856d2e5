from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "vocations.analytics"
    label = "analytics"
    verbose_name = "Mesure d'audience"
