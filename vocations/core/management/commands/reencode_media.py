from django.core.management.base import BaseCommand

from vocations.core.images import reencode_stored_images


class Command(BaseCommand):
    help = (
        "Ré-encode les images envoyées avant le correctif des envois (nom aléatoire, PNG, "
        "JPEG ou WebP) et supprime celles qui ne sont pas des images sûres."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Dire ce qui serait fait, sans rien changer."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        report = reencode_stored_images(dry_run=dry_run)
        verb = "seraient" if dry_run else "ont été"
        self.stdout.write(
            f"{report.reencoded} image(s) {verb} ré-encodée(s), {report.kept} déjà sûre(s), "
            f"{len(report.removed)} fichier(s) dangereux ou illisible(s) {verb} supprimé(s)."
        )
        for name in report.removed:
            self.stdout.write(f"  supprimé : {name}")
