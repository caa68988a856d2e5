from django.apps import AppConfig


class AmbassadorsConfig(AppConfig):
    name = "vocations.ambassadors"
    label = "ambassadors"
    verbose_name = "Ambassadeurs"
