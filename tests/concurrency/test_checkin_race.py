"""Two (or more) phones scan the same class at the same moment: one check-in, no double count.

Threads with their own PostgreSQL connections call the check-in service together; the row lock
lets exactly one of them record the arrival, the others get "déjà scanné" with the first scan's
time. The same run with the lock off (``CHECK_IN_LOCK = False``, test-only) first shows the
race the lock prevents: several phones each record "the" first check-in.
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
# Seconds between reading the registration and writing it, so every unlocked phone reads
# "not checked in" before any of them writes (locked, the phones wait their turn instead).
RACE_DELAY = 0.2


def _scan_together(settings, *, lock: bool):
    settings.CHECK_IN_LOCK = lock
    settings.CHECK_IN_TEST_RACE_DELAY = RACE_DELAY
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
    return klass, results


def first_check_ins(klass) -> int:
    return AuditEntry.objects.filter(
        action="registration.check_in", target_id=str(klass.pk)
    ).count()


def test_without_the_lock_simultaneous_scans_check_the_class_in_several_times(settings):
    klass, results = _scan_together(settings, lock=False)

    # The race the lock prevents: several phones read "not checked in" and each records the
    # arrival as the first one (the audit trail counts the class several times).
    assert sum(1 for r in results if not r.already) > 1
    assert first_check_ins(klass) > 1


def test_simultaneous_scans_of_one_class_make_one_check_in(settings):
    klass, results = _scan_together(settings, lock=True)

    assert sorted(r.already for r in results) == [False] + [True] * (PHONES - 1)
    first_times = {r.checked_in_at for r in results}
    assert len(first_times) == 1
    klass = Registration.objects.get(pk=klass.pk)
    assert klass.attended == 27 and klass.checked_in_at in first_times
    assert first_check_ins(klass) == 1
    # Every other phone waited for the lock, then saw the arrival: each repeat is audited.
    repeats = AuditEntry.objects.filter(
        action="registration.check_in_repeat", target_id=str(klass.pk)
    )
    assert repeats.count() == PHONES - 1
