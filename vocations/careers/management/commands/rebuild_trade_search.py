"""Rebuild the trades' search index (after editing trades or appellations by hand)."""

from django.core.management.base import BaseCommand

from vocations.careers.services.search_index import rebuild_search_index


class Command(BaseCommand):
    help = "Reconstruit l'index de recherche des métiers."

    def handle(self, *args, **options):
        count = rebuild_search_index()
        self.stdout.write(self.style.SUCCESS(f"Index de recherche reconstruit : {count} métiers."))
