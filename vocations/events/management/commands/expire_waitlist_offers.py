from django.core.management.base import BaseCommand

from vocations.events.services import waitlist_offers_expire


class Command(BaseCommand):
    help = (
        "Annule les places proposées sur liste d'attente et restées sans réponse à leur date "
        "limite, et les propose aux suivants (tâche périodique en production)."
    )

    def handle(self, *args, **options):
        expired = waitlist_offers_expire()
        self.stdout.write(f"Propositions expirées et passées aux suivants : {expired}.")
