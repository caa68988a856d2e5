from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "vocations.campaigns"
    label = "campaigns"
    verbose_name = "Campagnes"
