"""Import France Travail's ROME 4.0 CSV referential (codes and appellations)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from vocations.careers.services import (
    KIND_CODES,
    import_rome_referential,
    rome_file_kind,
)
from vocations.core.exceptions import ImportFileError


class _RollBack(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Importe le référentiel ROME 4.0 de France Travail (fichiers CSV des codes ROME "
        "et des appellations). Tout ou rien : une erreur annule l'import de tous les fichiers."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="fichiers CSV")

    def handle(self, *args, files: list[Path], **options):
        contents = []
        for path in files:
            try:
                raw = path.read_bytes()
            except OSError as exc:
                raise CommandError(f"Fichier {path} illisible : {exc.strerror}.") from exc
            try:
                kind = rome_file_kind(file=raw, filename=path.name)
            except ImportFileError as exc:
                raise CommandError(str(exc)) from exc
            contents.append((kind != KIND_CODES, path.name, raw))
        # Codes first: appellations need their trade to exist.
        contents.sort(key=lambda item: item[0])
        reports = []
        try:
            with transaction.atomic():
                for _, name, raw in contents:
                    report = import_rome_referential(file=raw, filename=name)
                    reports.append(report)
                    if not report.ok:
                        raise _RollBack
        except _RollBack:
            report = reports[-1]
            message = "\n".join([report.summary(), *report.errors])
            raise CommandError(f"{message}\nAucun fichier n'a été importé.") from None
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        for report in reports:
            self.stdout.write(self.style.SUCCESS(report.summary()))
