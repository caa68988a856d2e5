from django.core.management.base import BaseCommand, CommandError

from vocations.analytics import nginx_links


class Command(BaseCommand):
    help = (
        "Écrit pour nginx la table des liens suivis et le gestionnaire njs des visites "
        "(ANALYTICS_NGINX_DIR), puis lance ANALYTICS_NGINX_RELOAD."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-reload", action="store_true", help="N'envoie pas le rechargement."
        )

    def handle(self, *args, no_reload, **options):
        directory = nginx_links.export(reload=not no_reload)
        if directory is None:
            raise CommandError("ANALYTICS_NGINX_DIR n'est pas réglé : rien à écrire.")
        self.stdout.write(f"Liens suivis écrits dans {directory}.")
