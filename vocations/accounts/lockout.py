"""Sign-in lockout per account, with an increasing delay (docs/decisions.md, docs/security.md).

The first ``LOGIN_LOCKOUT_FREE_FAILURES`` wrong passwords in a row cost nothing (typos). Each
further failure locks the account for ``LOGIN_LOCKOUT_FIRST_SECONDS``, doubled at every new
failure, up to ``LOGIN_LOCKOUT_MAX_SECONDS``. While locked, the password is not even checked:
the right one is refused like a wrong one, so a guesser learns nothing. A successful sign-in
clears the record. State lives in the cache (Redis in production), keyed by a hash of the
address: nothing about attempts is written to the database.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

FAILURES_TTL = 86400  # a day without failure forgets the count


def _key(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"vocations:login-lockout:{digest}"


def seconds_locked(email: str) -> int:
    """Seconds until this account may try again (0: free)."""
    if not email:
        return 0
    record = cache.get(_key(email))
    if not record:
        return 0
    left = record.get("until", 0) - time.time()
    return max(0, int(left + 0.999))


def record_failure(email: str) -> int:
    """Count one more failure; the lock (seconds) it starts, 0 if still within the free ones."""
    if not email:
        return 0
    record = cache.get(_key(email)) or {"failures": 0, "until": 0}
    record["failures"] += 1
    beyond = record["failures"] - settings.LOGIN_LOCKOUT_FREE_FAILURES
    lock = 0
    if beyond > 0:
        lock = min(
            settings.LOGIN_LOCKOUT_MAX_SECONDS,
            settings.LOGIN_LOCKOUT_FIRST_SECONDS * 2 ** min(beyond - 1, 20),
        )
        record["until"] = time.time() + lock
    cache.set(_key(email), record, FAILURES_TTL)
    return lock


def clear(email: str) -> None:
    cache.delete(_key(email))
