"""Flush the visit buffer once, or keep flushing (``--loop``). Also what the kill test runs."""

import time

from django.core.management.base import BaseCommand

from vocations.analytics.services import buffer as buffer_module
from vocations.analytics.services import flusher, rollups


class Command(BaseCommand):
    help = "Enregistre les visites en attente dans le tampon, par lots, puis met à jour les cumuls."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--loop", action="store_true", help="Recommence toutes les secondes.")
        parser.add_argument(
            "--buffer",
            choices=["direct", "database", "redis"],
            default=None,
            help="Tampon à vider (par défaut : le réglage ANALYTICS_BUFFER).",
        )
        parser.add_argument(
            "--reclaim-after",
            type=float,
            default=None,
            help="Secondes après lesquelles un lot pris par un autre processus est repris.",
        )
        # Test-only: sleep between a batch's insert and its acknowledgement.
        parser.add_argument("--pause-in-batch", type=float, default=0.0, help="(tests)")

    def handle(self, *args, batch_size, loop, buffer, reclaim_after, pause_in_batch, **options):
        name = buffer or buffer_module.buffer_name()
        backend = buffer_module.BACKENDS[name]()
        while True:
            processed = flusher.flush(
                buffer=backend,
                batch_size=batch_size,
                lease_seconds=reclaim_after,
                pause_in_batch=pause_in_batch,
            )
            if name == "direct":
                rollups.rollup_pending()
            self.stdout.write(f"{processed} visites enregistrées.")
            if not loop:
                return
            time.sleep(1)
