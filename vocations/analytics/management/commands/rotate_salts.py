from django.core.management.base import BaseCommand

from vocations.analytics.salts import rotate_salts


class Command(BaseCommand):
    help = (
        "Supprime les sels de mesure d'audience de plus de 48 heures (à lancer toutes les heures)."
    )

    def handle(self, *args, **options):
        deleted = rotate_salts()
        self.stdout.write(f"{deleted} sel(s) supprimé(s).")
