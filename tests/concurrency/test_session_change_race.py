"""Several registrants move to the same session at the same moment: it never overbooks.

Threads with their own PostgreSQL connections call ``registration_change_session`` together
for a session with one seat left. With the capacity lock, one moves and the others get the
French "complète" error; the same run with the lock off (``REGISTRATION_CAPACITY_LOCK =
False``, test-only) first shows the overbooking the lock prevents.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from vocations.events.models import Registration, Session
from vocations.events.services import registration_change_session, registration_create
from vocations.events.tests.test_registrations_support import make_event, make_session, person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MOVERS = 6
RACE_DELAY = 0.2


def _move_together(settings, *, lock: bool):
    settings.REGISTRATION_CAPACITY_LOCK = lock
    event = make_event(capacity=None, kind="flagship")
    morning = make_session(event, title="Matin", capacity=MOVERS)
    afternoon = make_session(
        event,
        title="Après-midi",
        capacity=2,
        starts_at=event.starts_at + dt.timedelta(hours=4),
        ends_at=event.starts_at + dt.timedelta(hours=5),
    )
    registration_create(event=event, session=afternoon, data=person("deja@example.fr"))
    movers = [
        registration_create(event=event, session=morning, data=person(f"p{n}@example.fr"))
        for n in range(MOVERS)
    ]
    settings.REGISTRATION_TEST_RACE_DELAY = RACE_DELAY
    barrier = threading.Barrier(MOVERS)
    moved, refused, errors = [], [], []

    def move(registration: Registration) -> None:
        try:
            barrier.wait()
            moved.append(registration_change_session(registration=registration, session=afternoon))
        except ValidationError as error:
            refused.append(error.message_dict["session"][0])
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(r,)) for r in movers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    confirmed = Registration.objects.filter(session=afternoon, status="confirmed").aggregate(
        n=Sum("seats")
    )["n"]
    return afternoon, moved, refused, confirmed


def test_without_the_lock_simultaneous_moves_overbook_the_session(settings):
    afternoon, moved, refused, confirmed = _move_together(settings, lock=False)
    # The race the lock prevents: several movers read "1 seat left" and all move in.
    assert len(moved) > 1
    assert confirmed > afternoon.capacity


def test_simultaneous_moves_fill_the_last_seat_once(settings):
    afternoon, moved, refused, confirmed = _move_together(settings, lock=True)
    assert len(moved) == 1 and len(refused) == MOVERS - 1
    assert all(message.startswith("La séance choisie est complète") for message in refused)
    assert confirmed == afternoon.capacity == 2
    assert Session.objects.get(pk=afternoon.pk).seats_confirmed == 2
