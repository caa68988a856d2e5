"""Never overbook: 220 simultaneous registrations on a 50-seat event, through real HTTP.

The server is gunicorn (4 processes × 8 threads) on the PostgreSQL test database; the clients
are 220 threads released together by a barrier. With the capacity lock, exactly 50 seats end
confirmed and the rest wait in order. With the lock switched off (test-only setting), the same
run overbooks: that proves the test can fail.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.db.models import Sum

from vocations.events.models import Registration
from vocations.events.services import registration_create
from vocations.events.tests.test_registrations_support import (
    group,
    make_department,
    make_event,
    person,
)
from vocations.events.tickets import self_service_token

pytestmark = pytest.mark.postgres

CAPACITY = 50
ATTEMPTS = 220
# Test-only: seconds between reading the counter and writing it, in both runs, so the unlocked
# run overbooks every time (with the lock it only makes the queue slower).
RACE_DELAY = 0.005


def _request(base_url: str, method: str, path: str, body=None, headers=None):
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        payload = json.dumps(body) if body is not None else None
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        connection.request(method, path, body=payload, headers=all_headers)
        response = connection.getresponse()
        raw = response.read()
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = raw.decode(errors="replace")
        return response.status, data
    finally:
        connection.close()


def _together(base_url: str, calls: list[tuple[str, str, dict | None, dict | None]]):
    """Send every call at the same moment, one thread each; returns (status, body) in order."""
    barrier = threading.Barrier(len(calls))

    def one(call):
        method, path, body, headers = call
        barrier.wait()
        return _request(base_url, method, path, body, headers)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(one, calls))


def _individual_body(n: int) -> dict:
    return {
        "kind": "individual",
        "email": f"visiteur{n}@example.fr",
        "first_name": "Camille",
        "last_name": f"Visiteur {n}",
        "audience": "young_people",
        "consent": True,
    }


def _group_body(n: int, pupils: int, adults: int) -> dict:
    return {
        "kind": "group",
        "email": f"prof{n}@college.fr",
        "first_name": "Alex",
        "last_name": f"Enseignant {n}",
        "consent": True,
        "school_name": f"Collège {n}",
        "class_level": "3e",
        "pupils": pupils,
        "adults": adults,
        "origin_department": "69",
        # Whole groups wait when short of seats (else the API asks them to choose: 422).
        "waitlist": True,
    }


def _mixed_bodies(rng: random.Random, count: int) -> list[dict]:
    # Two thirds individuals, one third groups of 2 to 6 people.
    bodies = []
    for n in range(count):
        if rng.random() < 2 / 3:
            bodies.append(_individual_body(n))
        else:
            bodies.append(_group_body(n, rng.randint(1, 4), rng.randint(1, 2)))
    return bodies


def _confirmed_seats(event) -> int:
    return (
        Registration.objects.filter(event=event, status="confirmed").aggregate(s=Sum("seats"))["s"]
        or 0
    )


def _run_race(race_server, *, lock: bool):
    make_department("69")
    event = make_event(capacity=CAPACITY, max_group_size=None)
    bodies = _mixed_bodies(random.Random(20270320), ATTEMPTS)
    path = f"/api/v1/events/{event.pk}/registrations"
    with race_server(lock=lock, race_delay=RACE_DELAY) as base_url:
        # The project's own URLconf and API (config/urls.py), not one mounted for the tests.
        status, schema = _request(base_url, "GET", "/api/v1/openapi.json")
        assert status == 200 and schema["info"]["title"] == "Vocations API"
        assert "/api/v1/organisation/events" in schema["paths"]
        # Warm every worker up (imports, connections) so the race starts on equal terms.
        _together(base_url, [("GET", "/robots.txt", None, None)] * 32)
        started = time.monotonic()
        results = _together(base_url, [("POST", path, body, None) for body in bodies])
        elapsed = time.monotonic() - started
    event.refresh_from_db()
    return event, results, elapsed


def test_two_hundred_simultaneous_registrations_never_overbook(race_server):
    event, results, elapsed = _run_race(race_server, lock=True)
    statuses = [status for status, _ in results]
    assert not [s for s in statuses if s >= 500], results
    assert statuses == [201] * ATTEMPTS, [r for r in results if r[0] != 201][:5]

    confirmed = _confirmed_seats(event)
    registrations = Registration.objects.filter(event=event)
    waitlisted = list(registrations.filter(status="waitlisted").order_by("waitlisted_at", "id"))
    assert registrations.count() == ATTEMPTS
    # Every seat is confirmed or kept for the group at the head of the waiting list.
    assert confirmed <= CAPACITY
    assert confirmed + event.seats_held == CAPACITY
    assert event.seats_confirmed == confirmed
    assert len(waitlisted) == ATTEMPTS - registrations.filter(status="confirmed").count()
    # In order: the position each client was told is its rank in the stored waiting list, and
    # the list's time order is its insertion order (both were decided under the lock).
    told = {body["id"]: body["waitlist_position"] for status, body in results}
    assert [told[r.pk] for r in waitlisted] == list(range(1, len(waitlisted) + 1))
    assert [r.pk for r in waitlisted] == sorted(r.pk for r in waitlisted)
    print(
        f"\nrace with lock: {ATTEMPTS} attempts in {elapsed:.1f} s → {confirmed} seats confirmed "
        f"({registrations.filter(status='confirmed').count()} registrations), "
        f"{len(waitlisted)} waitlisted, 0 errors"
    )


def test_without_the_lock_the_same_race_overbooks(race_server):
    event, results, elapsed = _run_race(race_server, lock=False)
    assert not [s for s, _ in results if s >= 500], results
    confirmed = _confirmed_seats(event)
    # The proof the race test can fail: counters read without the lock let seats be sold twice.
    assert confirmed > CAPACITY
    print(
        f"\nrace without lock: {ATTEMPTS} attempts in {elapsed:.1f} s → {confirmed} seats "
        f"confirmed for {CAPACITY} (counter says {event.seats_confirmed})"
    )


def test_concurrent_cancellations_changes_and_registrations_keep_the_invariants(race_server):
    make_department("69")
    rng = random.Random(7)
    event = make_event(capacity=CAPACITY, max_group_size=None)
    # 10 groups of 4 and 10 people fill the 50 seats; 40 more wait (groups and individuals).
    groups = [
        registration_create(event=event, data=group(3, 1, email=f"g{i}@lycee.fr"))
        for i in range(10)
    ]
    people = [registration_create(event=event, data=person(f"p{i}@example.fr")) for i in range(10)]
    for i in range(40):
        data = (
            group(rng.randint(1, 5), 1, email=f"w{i}@lycee.fr")
            if i % 3 == 0
            else person(f"w{i}@example.fr")
        )
        registration_create(event=event, data=data)
    assert _confirmed_seats(event) == CAPACITY

    calls = []
    # Cancel 6 people and 3 groups; shrink 4 groups, grow 3; 60 newcomers.
    for registration in people[:6] + groups[:3]:
        calls.append(("DELETE", f"/api/v1/registrations/{self_service_token(registration)}"))
    for registration in groups[3:7]:
        calls.append(("PATCH", f"/api/v1/registrations/{self_service_token(registration)}", 1, 0))
    for registration in groups[7:10]:
        calls.append(("PATCH", f"/api/v1/registrations/{self_service_token(registration)}", 6, 2))
    for n in range(60):
        body = _individual_body(1000 + n) if n % 2 else _group_body(1000 + n, rng.randint(1, 3), 1)
        calls.append(("POST", f"/api/v1/events/{event.pk}/registrations", body))
    rng.shuffle(calls)
    requests = []
    for call in calls:
        if call[0] == "PATCH":
            requests.append(("PATCH", call[1], {"pupils": call[2], "adults": call[3]}, None))
        elif call[0] == "POST":
            requests.append(("POST", call[1], call[2], None))
        else:
            requests.append(("DELETE", call[1], None, None))

    with race_server(lock=True, race_delay=RACE_DELAY) as base_url:
        _together(base_url, [("GET", "/robots.txt", None, None)] * 32)
        results = _together(base_url, requests)

    assert not [r for r in results if r[0] >= 500], results
    for (method, *_), (status, body) in zip(requests, results, strict=True):
        expected = {"POST": {201}, "DELETE": {200}, "PATCH": {200, 422}}[method]
        assert status in expected, (method, status, body)
    event.refresh_from_db()
    confirmed = _confirmed_seats(event)
    assert confirmed <= CAPACITY
    assert event.seats_confirmed == confirmed
    left = CAPACITY - confirmed
    waiting = list(
        Registration.objects.filter(event=event, status="waitlisted").order_by(
            "waitlisted_at", "id"
        )
    )
    # Promotion is complete: the head of the line does not fit in the seats left, which are
    # kept for it (strict first come, first served).
    assert not waiting or waiting[0].seats > left
    assert event.seats_held == (left if waiting else 0)
    # And in order: nobody was promoted from behind someone still waiting.
    promoted = Registration.objects.filter(event=event, promoted_at__isnull=False)
    for p in promoted:
        for w in waiting:
            assert (p.waitlisted_at, p.pk) < (w.waitlisted_at, w.pk), (w.pk, p.pk)
    assert promoted.exists()
