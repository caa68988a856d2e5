from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "vocations.backoffice"
    label = "backoffice"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .idle import mark_signed_in
        from .two_factor import mark_enrolment

        user_logged_in.connect(mark_signed_in, dispatch_uid="backoffice-idle-clock")
        user_logged_in.connect(mark_enrolment, dispatch_uid="backoffice-two-factor")
