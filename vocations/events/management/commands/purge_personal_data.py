from django.core.management.base import BaseCommand

from vocations.events.services.retention import personal_data_purge, retention_days


class Command(BaseCommand):
    help = "Anonymise les inscriptions et accréditations des événements terminés depuis longtemps."

    def handle(self, *args, **options):
        counts = personal_data_purge()
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        self.stdout.write(
            f"Données personnelles anonymisées ({retention_days()} jours) : {summary}."
        )
