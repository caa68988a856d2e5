# Ticket short codes, step 2 of 3 (data): give every existing registration a short code,
# unique within its event. The codes are drawn here rather than imported from the model so the
# migration keeps working if the model's generator changes.
import secrets

from django.db import migrations
from django.db.models import Q

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
LENGTH = 8
BATCH = 2000


def _code():
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def fill_short_codes_for_existing_registrations(apps, schema_editor):
    Registration = apps.get_model("events", "Registration")
    taken = {}  # event id -> codes used in that event
    pending = []
    rows = Registration.objects.filter(Q(short_code__isnull=True) | Q(short_code="")).order_by("pk")
    for registration in rows.only("pk", "event_id").iterator(chunk_size=BATCH):
        used = taken.setdefault(registration.event_id, set())
        code = _code()
        while code in used:
            code = _code()
        used.add(code)
        registration.short_code = code
        pending.append(registration)
        if len(pending) >= BATCH:
            Registration.objects.bulk_update(pending, ["short_code"])
            pending = []
    if pending:
        Registration.objects.bulk_update(pending, ["short_code"])


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0009_ticket_short_code_add'),
    ]

    operations = [
        migrations.RunPython(
            fill_short_codes_for_existing_registrations, migrations.RunPython.noop, elidable=False
        ),
    ]
