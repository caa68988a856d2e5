from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "vocations.events"
    label = "events"
    verbose_name = "Événements"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_init, post_save, pre_delete

        from . import activity
        from .models import Event, Label, Registration

        # The territory roll-up (EventActivity) follows every event, label and registration.
        def on_registration_init(sender, instance, **kwargs) -> None:
            activity.remember(instance)

        def on_registration_save(sender, instance, created, **kwargs) -> None:
            activity.registration_saved(instance, created)

        def on_registration_delete(sender, instance, **kwargs) -> None:
            activity.registration_deleted(instance)

        def on_event_save(sender, instance, update_fields=None, **kwargs) -> None:
            activity.event_saved(instance, update_fields)

        def on_label_change(sender, instance, **kwargs) -> None:
            activity.refresh_events([instance.event_id])

        def on_event_deleting(sender, instance, **kwargs) -> None:
            activity.event_deleting(instance.pk)

        def on_event_deleted(sender, instance, **kwargs) -> None:
            activity.event_deleting(instance.pk, done=True)

        uid = "events_activity_"
        pre_delete.connect(on_event_deleting, sender=Event, weak=False, dispatch_uid=uid + "ep")
        post_delete.connect(on_event_deleted, sender=Event, weak=False, dispatch_uid=uid + "ed")
        post_init.connect(
            on_registration_init, sender=Registration, weak=False, dispatch_uid=uid + "ri"
        )
        post_save.connect(
            on_registration_save, sender=Registration, weak=False, dispatch_uid=uid + "rs"
        )
        post_delete.connect(
            on_registration_delete, sender=Registration, weak=False, dispatch_uid=uid + "rd"
        )
        post_save.connect(on_event_save, sender=Event, weak=False, dispatch_uid=uid + "es")
        post_save.connect(on_label_change, sender=Label, weak=False, dispatch_uid=uid + "ls")
        post_delete.connect(on_label_change, sender=Label, weak=False, dispatch_uid=uid + "ld")
