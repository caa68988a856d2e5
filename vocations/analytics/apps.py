from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "vocations.analytics"
    label = "analytics"
    verbose_name = "Mesure d'audience"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from vocations.campaigns.models import Placement, TrackedLink

        from .links import forget_link
        from .tasks import export_nginx_links_soon

        # The redirect reads links from the cache: drop an entry as soon as its link changes.
        def link_changed(sender, instance, **kwargs) -> None:
            forget_link(instance.code)
            export_nginx_links_soon()

        def placement_changed(sender, instance, **kwargs) -> None:
            for code in TrackedLink.objects.filter(placement=instance).values_list(
                "code", flat=True
            ):
                forget_link(code)
            export_nginx_links_soon()

        post_save.connect(link_changed, sender=TrackedLink, weak=False, dispatch_uid="an_link")
        post_delete.connect(link_changed, sender=TrackedLink, weak=False, dispatch_uid="an_link_d")
        post_save.connect(
            placement_changed, sender=Placement, weak=False, dispatch_uid="an_placement"
        )
