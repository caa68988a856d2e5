"""What one registration attempt costs the database (issue 14, point 4: the registration rush).

The public form's POST, as a browser sends it, for the event itself: confirmed, waitlisted (no
seat left) and a duplicate address. Each statement is named below; a new one on this path is a
choice to make knowingly, since a rush pays it 2,000 times. Counted inside the test's
transaction, so each ``atomic`` block shows as a SAVEPOINT / RELEASE pair (outside a test the
outer one is BEGIN / COMMIT, which Django does not count).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vocations.events.models import Registration

from .registration_support import INDIVIDUAL, make_world, post

pytestmark = pytest.mark.django_db

# The event (1), the key + address look-up (1), then the locked transaction: SAVEPOINT, the
# Event row FOR UPDATE, INSERT, the event's activity counter (a signal), the seats counter,
# the audit entry, the webhooks (SAVEPOINT, SELECT, RELEASE), the organizer's notice, RELEASE.
CONFIRMED = 13
# The same without the two counters (nobody is confirmed, nobody comes), and with no seat
# left the waiting list is not served again (its head and its held seats cannot change).
WAITLISTED = 11
# The event, the look-up that finds the address, the sessions for the page shown again.
DUPLICATE = 3


@pytest.fixture
def event():
    _geo, event = make_world()
    event.capacity = 1
    event.save(update_fields=["capacity"])
    return event


def _post(client, event, email: str, key: str):
    with CaptureQueriesContext(connection) as queries:
        response = post(client, event, {**INDIVIDUAL, "email": email}, key=key)
    return response, [q["sql"] for q in queries.captured_queries]


def test_a_confirmed_attempt_costs_its_budget_and_reads_no_session(client, event):
    response, queries = _post(client, event, "lea@example.fr", "k1")

    assert response.status_code == 302
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    assert len(queries) == CONFIRMED, "\n".join(queries)
    assert not [q for q in queries if "events_session" in q]
    # One look-up answers both "was this key used" and "does this address hold a seat".
    lookups = [q for q in queries if q.startswith("SELECT") and "events_registration" in q]
    assert len(lookups) == 1 and "idempotency_key" in lookups[0] and '"email"' in lookups[0]


def test_a_waitlisted_attempt_is_cheaper_and_keeps_the_line(client, event):
    _post(client, event, "lea@example.fr", "k1")
    response, queries = _post(client, event, "paul@example.fr", "k2")

    assert response.status_code == 302
    waiting = Registration.objects.get(email="paul@example.fr")
    assert waiting.status == Registration.Status.WAITLISTED
    assert len(queries) == WAITLISTED, "\n".join(queries)
    # The waiting list is not read again: no sum of offered seats, no queue.
    assert not [q for q in queries if "SUM(" in q]
    event.refresh_from_db()
    assert (event.seats_confirmed, event.seats_held) == (1, 0)


def test_a_duplicate_address_is_answered_before_any_lock(client, event):
    _post(client, event, "lea@example.fr", "k1")
    response, queries = _post(client, event, "lea@example.fr", "k2")

    assert response.status_code == 422
    assert "Une inscription existe déjà pour cette adresse" in response.content.decode()
    assert len(queries) == DUPLICATE, "\n".join(queries)
    assert not [q for q in queries if "FOR UPDATE" in q or q.startswith(("INSERT", "UPDATE"))]
    assert Registration.objects.filter(email="lea@example.fr").count() == 1
