"""Build a believable demo world. Idempotent: a (seed, scale) already built is skipped."""

import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from vocations.accounts.demo import SCALES, build_demo_accounts, build_organizations
from vocations.ambassadors.demo import build_ambassadors
from vocations.analytics.demo import build_event_promotion, build_visits
from vocations.campaigns.demo import build_campaigns
from vocations.core.services import reference_dataset_is_current, reference_dataset_mark_loaded
from vocations.events.demo import build_events
from vocations.events.demo_outcomes import build_outcomes
from vocations.events.demo_registrations import build_registrations
from vocations.setup.demo import (
    build_event_links,
    build_organizer_showcase,
    build_public_identities,
    demo_organizer_organizations,
    print_public_identities,
)
from vocations.territories.models import Commune
from vocations.web.cache import bump_public_content_version


class Command(BaseCommand):
    help = "Crée les données de démonstration (organisations, comptes, et plus à mesure)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")

    def handle(self, *args, seed: int, scale: str, **options):
        if not Commune.objects.exists():
            raise CommandError(
                "Aucune commune en base : lancez d'abord « manage.py load_reference_data »."
            )
        marker = f"demo:{scale}"
        if reference_dataset_is_current(name=marker, checksum=str(seed)):
            self.stdout.write(f"Données de démonstration « {scale} » (graine {seed}) déjà là.")
        else:
            rng = random.Random(seed)
            with transaction.atomic():
                counts = build_organizations(rng, scale)
                counts |= build_events(rng, scale)
                showcase = build_organizer_showcase(rng)
                counts |= showcase.counts
                counts |= build_registrations(rng, scale, fill=showcase.fill)
                counts |= build_public_identities()
                counts |= build_outcomes(rng, scale)
                counts |= build_campaigns(rng, scale)
                counts |= build_event_links()
                counts |= build_visits(rng, scale)
                counts |= build_event_promotion(rng, scale)
                reference_dataset_mark_loaded(name=marker, checksum=str(seed), counts=counts)
            # Bulk inserts send no signal: tell the public page cache that content changed.
            bump_public_content_version()
            summary = ", ".join(f"{n} {k}" for k, n in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Démo « {scale} » créée : {summary}."))
        build_demo_accounts(self.stdout, organizer_organizations=demo_organizer_organizations())
        build_ambassadors(self.stdout, seed=seed)
        print_public_identities(self.stdout)
