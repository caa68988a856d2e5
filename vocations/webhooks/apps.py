from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "vocations.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        # The domain announces (vocations/events/signals.py); this app listens.
        from . import receivers  # noqa: F401
