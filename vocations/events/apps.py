from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "vocations.events"
    label = "events"
    verbose_name = "Événements"
