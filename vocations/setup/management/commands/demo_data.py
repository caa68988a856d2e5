"""Build a believable demo world. Idempotent: a (seed, scale) already built is skipped."""

import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from vocations.accounts.demo import SCALES, build_demo_accounts, build_organizations
from vocations.ambassadors.demo import build_ambassadors
from vocations.analytics.demo import build_event_promotion, build_visits
from vocations.analytics.models import Attribution, Visit
from vocations.campaigns.demo import build_campaigns
from vocations.campaigns.models import Placement, TrackedLink
from vocations.core.db import refresh_planner_statistics
from vocations.core.services import reference_dataset_is_current, reference_dataset_mark_loaded
from vocations.events.activity import rebuild as rebuild_event_activity
from vocations.events.demo import build_events
from vocations.events.demo_outcomes import build_outcomes
from vocations.events.demo_registrations import build_registrations, build_waitlist_offer
from vocations.events.demo_tickets import build_ticket_demo, demo_ticket_line
from vocations.events.models import Event, Registration
from vocations.setup.demo import (
    build_event_links,
    build_organizer_showcase,
    build_public_identities,
    demo_organizer_company,
    demo_organizer_organizations,
    print_public_identities,
)
from vocations.setup.demo_planner import shape_demo_attributions
from vocations.territories.models import Commune
from vocations.web.cache import bump_public_content_version
from vocations.webhooks.demo import build_demo_integrations


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
                # Fresh statistics for what follows (PostgreSQL plans on empty ones otherwise).
                refresh_planner_statistics(Event, Registration)
                counts |= build_ticket_demo()
                counts |= build_public_identities()
                counts |= build_outcomes(rng, scale)
                counts |= build_campaigns(rng, scale)
                counts |= build_event_links()
                visits = build_visits(rng, scale)
                counts |= visits
                refresh_planner_statistics(Visit, Attribution, TrackedLink, Placement)
                if visits:  # the planner's known curves, over the attributions just made
                    counts |= shape_demo_attributions(seed)
                counts |= build_event_promotion(rng, scale)
                counts |= build_waitlist_offer(demo_organizer_company())
                reference_dataset_mark_loaded(name=marker, checksum=str(seed), counts=counts)
            # Bulk inserts send no signal: tell the public page cache that content changed,
            # and build the territory roll-up of the events and registrations just made.
            bump_public_content_version()
            rebuild_event_activity()
            summary = ", ".join(f"{n} {k}" for k, n in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Démo « {scale} » créée : {summary}."))
        company = demo_organizer_company()
        build_demo_accounts(self.stdout, organizer_organizations=demo_organizer_organizations())
        if build_demo_integrations(company):
            self.stdout.write(
                "API et webhooks de la démo (un jeton, dont le secret n'est pas affiché, et un "
                f"webhook avec son journal) : /organisateur/organisations/{company.pk}/api/"
            )
        build_ambassadors(self.stdout, seed=seed)
        print_public_identities(self.stdout)
        # The registrant's side: "Mon inscription" with a ticket and its short code.
        self.stdout.write(demo_ticket_line())
