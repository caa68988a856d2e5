"""Load every shipped reference file. Idempotent: an unchanged file is skipped."""

from django.core.management.base import BaseCommand, CommandError

from vocations.careers.services import load_careers
from vocations.core.exceptions import ReferenceDataError
from vocations.territories.services import load_commune_coordinates, load_geography
from vocations.web.cache import bump_public_content_version


class Command(BaseCommand):
    help = (
        "Charge les données de référence (géographie, filières, branches, métiers, "
        "coordonnées des communes)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Recharger même si le fichier n'a pas changé."
        )

    def handle(self, *args, force: bool = False, **options):
        loaders = (
            ("géographie", load_geography),
            ("métiers", load_careers),
            # Needs the communes the géographie step created.
            ("coordonnées", load_commune_coordinates),
        )
        for label, loader in loaders:
            try:
                result = loader(force=force)
            except ReferenceDataError as exc:
                raise CommandError(f"Données de référence « {label} » : {exc}") from exc
            if result.skipped:
                self.stdout.write(f"{label} : déjà à jour ({result.summary()}).")
            else:
                # Bulk loads send no signal: public pages showing trades must be rebuilt.
                bump_public_content_version()
                self.stdout.write(self.style.SUCCESS(f"{label} : chargé ({result.summary()})."))
