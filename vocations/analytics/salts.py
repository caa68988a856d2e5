"""Daily salts for visitor hashes (the Plausible scheme, CNIL-exempt audience measurement).

One random 32-byte salt per local day (Europe/Paris), created on first use; a salt is deleted
48 hours after its day started (:func:`rotate_salts`, run hourly), so yesterday's hashes can no
longer be recomputed from an IP and a user agent, and no visitor can be followed across days.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import DailySalt

SALT_BYTES = 32
SALT_LIFETIME = dt.timedelta(hours=48)
_CACHE_PREFIX = "analytics:salt:"


def local_day(when: dt.datetime | None = None) -> dt.date:
    return timezone.localdate(when or timezone.now())


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def salt_for(day: dt.date) -> bytes:
    """The salt of ``day``, created at first use. Cached until the salt's deletion time."""
    key = f"{_CACHE_PREFIX}{day.isoformat()}"
    salt = cache.get(key)
    if salt is not None:
        return salt
    row = DailySalt.objects.filter(day=day).first()
    if row is None:
        try:
            with transaction.atomic():
                row = DailySalt.objects.create(day=day, salt=secrets.token_bytes(SALT_BYTES))
        except IntegrityError:  # another process created it a moment ago
            row = DailySalt.objects.get(day=day)
    salt = bytes(row.salt)
    remaining = (_day_start(day) + SALT_LIFETIME - timezone.now()).total_seconds()
    if remaining > 0:
        # Never cached past the salt's deletion time: a deleted salt must be gone everywhere.
        cache.set(key, salt, timeout=int(remaining))
    return salt


def rotate_salts(*, now: dt.datetime | None = None) -> int:
    """Delete every salt whose day started 48 hours ago or more. Returns how many."""
    now = now or timezone.now()
    # Salt of day D is deleted at D + 48 h: today's and yesterday's are the only ones kept.
    oldest_kept = local_day(now) - dt.timedelta(days=1)
    expired = list(DailySalt.objects.filter(day__lt=oldest_kept).values_list("day", flat=True))
    if not expired:
        return 0
    DailySalt.objects.filter(day__in=expired).delete()
    cache.delete_many([f"{_CACHE_PREFIX}{day.isoformat()}" for day in expired])
    return len(expired)
