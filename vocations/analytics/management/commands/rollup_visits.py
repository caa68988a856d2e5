import datetime as dt

from django.core.management.base import BaseCommand
from django.db.models import Min
from django.utils import timezone

from vocations.analytics.models import Visit
from vocations.analytics.services.rollups import rollup_visits


class Command(BaseCommand):
    help = "Recalcule les cumuls horaires et journaliers des visites (par défaut : 2 jours)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=2)
        parser.add_argument("--all", action="store_true", help="Depuis la première visite.")

    def handle(self, *args, days, all, **options):
        since = timezone.now() - dt.timedelta(days=days)
        if all:
            since = Visit.objects.aggregate(first=Min("at"))["first"] or timezone.now()
        rows = rollup_visits(since=since)
        self.stdout.write(f"{rows} lignes horaires recalculées.")
