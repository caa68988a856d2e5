from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "vocations.web"
    label = "web"

    def ready(self):
        # Cached public pages are invalidated when events, labels, trades or branches change.
        from . import signals

        signals.connect()
