"""Keep personal data no longer than needed: anonymize registrations (waiting list included)
and press requests, delete session invitations, after the event.

Counts (seats, pupils, attendance, audience, département of origin) stay for the outcome
figures and the campaign reports; names, e-mail addresses and phone numbers go. The delay is
``REGISTRATION_RETENTION_DAYS`` after the event's end (90 by default), stated on the
données personnelles page.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vocations.core.services import audit_log
from vocations.events.models import PressAccreditation, Registration, SessionInvitation

ANONYMOUS_DOMAIN = "anonyme.invalid"


def retention_days() -> int:
    return int(getattr(settings, "REGISTRATION_RETENTION_DAYS", 90))


@transaction.atomic
def personal_data_purge(*, now: dt.datetime | None = None) -> dict[str, int]:
    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days())
    not_yet_purged = ~Q(email__endswith=f"@{ANONYMOUS_DOMAIN}")
    registrations = Registration.objects.filter(not_yet_purged, event__ends_at__lt=cutoff)
    # The e-mail column is part of a unique constraint per event: give each row its own
    # placeholder, built from its id, in one UPDATE per batch.
    purged = 0
    ids = list(registrations.values_list("id", flat=True)[:50_000])
    for start in range(0, len(ids), 1000):
        batch = ids[start : start + 1000]
        rows = list(Registration.objects.filter(id__in=batch).only("id"))
        for row in rows:
            row.email = f"inscription-{row.pk}@{ANONYMOUS_DOMAIN}"
            row.first_name = row.last_name = ""
            row.idempotency_key = None
        Registration.objects.bulk_update(
            rows, ["email", "first_name", "last_name", "idempotency_key"]
        )
        purged += len(rows)
    accreditations = PressAccreditation.objects.filter(not_yet_purged, event__ends_at__lt=cutoff)
    press_rows = list(accreditations.only("id"))
    for row in press_rows:
        row.email = f"presse-{row.pk}@{ANONYMOUS_DOMAIN}"
        row.full_name = "Anonyme"
        row.phone = row.press_card_number = ""
    PressAccreditation.objects.bulk_update(
        press_rows, ["email", "full_name", "phone", "press_card_number"]
    )
    # Invitations to invitation-only sessions are addresses too: gone with their event. (The
    # waiting list is registrations: anonymized above like every other row.)
    invitations, _ = SessionInvitation.objects.filter(session__event__ends_at__lt=cutoff).delete()
    counts = {
        "inscriptions": purged,
        "accréditations": len(press_rows),
        "invitations": invitations,
    }
    if purged or press_rows or invitations:
        audit_log(action="personal_data.purged", data=counts)
    return counts
