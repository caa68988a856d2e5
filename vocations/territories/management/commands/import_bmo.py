"""Import a France Travail BMO open-data file (CSV or .xlsx) into the hiring needs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vocations.core.exceptions import ImportFileError
from vocations.territories.services import import_hiring_needs

MAX_PRINTED_ERRORS = 50


class Command(BaseCommand):
    help = (
        "Importe un fichier « Besoins en Main-d'Œuvre » (BMO) de France Travail "
        "(CSV point-virgule ou .xlsx)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Fichier BMO (.csv ou .xlsx).")
        parser.add_argument(
            "--valid-lines-only",
            action="store_true",
            help="Importer les lignes valides même si d'autres lignes sont en erreur.",
        )
        parser.add_argument(
            "--year", type=int, default=None, help="Année attendue (contrôle la colonne annee)."
        )

    def _progress(self, lines: int) -> None:
        self.stdout.write(f"… {lines:,} lignes lues".replace(",", "\u202f"))
        self.stdout.flush()

    def handle(self, *args, file: Path, valid_lines_only: bool, year: int | None, **options):
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        try:
            with file.open("rb") as handle:
                result = import_hiring_needs(
                    file=handle,
                    filename=file.name,
                    year=year,
                    valid_lines_only=valid_lines_only,
                    progress=self._progress,
                )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        for error in result.errors[:MAX_PRINTED_ERRORS]:
            self.stderr.write(str(error))
        if len(result.errors) > MAX_PRINTED_ERRORS:
            self.stderr.write(f"… et {len(result.errors) - MAX_PRINTED_ERRORS} autre(s) ligne(s).")
        if not result.written:
            raise CommandError(
                f"{len(result.errors)} ligne(s) en erreur : rien n'a été importé. Corrigez le "
                "fichier ou relancez avec --valid-lines-only."
            )
        self.stdout.write(self.style.SUCCESS(result.summary() + "."))
