"""Demo tickets: seeded short codes for the bulk-made registrations, companions on open days
and company visits (a young person may come with a parent), and one self-service link that
`make demo` prints, so the "Mon inscription" page can be opened with a real ticket on it.
"""

from __future__ import annotations

import random
from collections import defaultdict

from django.utils import timezone

from vocations.events.models import Event, Registration
from vocations.events.models.registrations import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH
from vocations.events.tickets import self_service_url

COMPANION_KINDS = (Event.Kind.OPEN_DAY, Event.Kind.COMPANY_VISIT)


def assign_short_codes(rng: random.Random, rows: list[Registration]) -> None:
    """Give unsaved rows seeded short codes, unique per event (the same demo every time)."""
    used: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        while True:
            code = "".join(rng.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))
            if code not in used[row.event_id]:
                break
        used[row.event_id].add(code)
        row.short_code = code


def build_ticket_demo() -> dict[str, int]:
    events = Event.objects.filter(kind__in=COMPANION_KINDS).update(max_companions=2)
    return {"événements avec accompagnants": events}


def demo_ticket_line() -> str:
    """« Billet de démonstration … : <link> », for a confirmed individual on an upcoming event
    (one that has sessions when there is one, so changing session can be tried)."""
    registrations = Registration.objects.filter(
        kind=Registration.Kind.INDIVIDUAL,
        status=Registration.Status.CONFIRMED,
        event__is_published=True,
        event__starts_at__gt=timezone.now(),
    ).select_related("event")
    registration = (
        registrations.filter(event__max_companions__gt=0).order_by("event__starts_at", "pk").first()
        or registrations.order_by("event__starts_at", "pk").first()
    )
    if registration is None:
        return "Billet de démonstration : aucune inscription confirmée à venir."
    return (
        f"Billet de démonstration (code {registration.short_code_display}, "
        f"« {registration.event.title} ») : {self_service_url(registration)}"
    )
