"""Two (or more) phones scan the same class at the same moment: one check-in, no double count.

Threads with their own PostgreSQL connections call the check-in service together; the row lock
(and the guarded UPDATE behind it) let exactly one of them record the arrival, the others get
"déjà scanné" with the first scan's time.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from vocations.accounts.models import Membership, User
from vocations.core.models import AuditEntry
from vocations.events.models import Registration
from vocations.events.services import registration_check_in, registration_create
from vocations.events.tests.test_registrations_support import group, make_department, make_event
from vocations.events.tickets import ticket_payload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PHONES = 8


def test_simultaneous_scans_of_one_class_make_one_check_in():
    make_department("69")
    event = make_event(capacity=60)
    klass = registration_create(event=event, data=group(pupils=25, adults=2))
    editor = User.objects.create_user("accueil@forges.fr", "x")
    Membership.objects.create(user=editor, organization=event.organization, role="editor")
    payload = ticket_payload(klass)
    barrier = threading.Barrier(PHONES)
    results, errors = [], []

    def scan(n: int) -> None:
        try:
            barrier.wait()
            results.append(
                registration_check_in(
                    actor=editor, event=event, ticket=payload, scan_id=f"phone-{n}"
                )
            )
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan, args=(n,)) for n in range(PHONES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    assert sorted(r.already for r in results) == [False] + [True] * (PHONES - 1)
    first_times = {r.checked_in_at for r in results}
    assert len(first_times) == 1
    klass = Registration.objects.get(pk=klass.pk)
    assert klass.attended == 27 and klass.checked_in_at in first_times
    assert (
        AuditEntry.objects.filter(action="registration.check_in", target_id=str(klass.pk)).count()
        == 1
    )
