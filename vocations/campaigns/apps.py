from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "vocations.campaigns"
    label = "campaigns"
    verbose_name = "Campagnes"

    def ready(self) -> None:
        from .services.import_jobs import register_all

        register_all()
