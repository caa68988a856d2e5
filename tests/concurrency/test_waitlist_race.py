"""Waiting-list races through real HTTP (gunicorn, PostgreSQL): offers confirmed by several
clicks at once, an offer confirmed while the expiry task runs, capacity raised while people
register. Never over capacity; each run has a control without the lock that shows the race.
"""

from __future__ import annotations

import http.client
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from vocations.accounts.models import Membership, User
from vocations.events.models import Event, Registration, Session
from vocations.events.offer_links import offer_token
from vocations.events.services import (
    SessionData,
    registration_cancel,
    registration_create,
    session_update,
    waitlist_offers_expire,
)
from vocations.events.tests.test_registrations_support import (
    make_department,
    make_event,
    make_session,
    person,
)

from .test_registration_race import _individual_body, _request, _together

pytestmark = pytest.mark.postgres

RACE_DELAY = 0.005
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _csrf_session(base_url: str, path: str) -> dict[str, str]:
    """GET the page as a browser does: its CSRF cookie and form token, for a later POST."""
    parts = urlsplit(base_url)
    connection_ = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection_.request("GET", path)
        response = connection_.getresponse()
        body = response.read().decode()
        cookie = next(
            c.split(";")[0]
            for c in response.headers.get_all("Set-Cookie") or []
            if c.startswith("csrftoken=")
        )
        return {"cookie": cookie, "token": CSRF_INPUT.search(body).group(1)}
    finally:
        connection_.close()


def _post_form(base_url: str, path: str, csrf: dict[str, str]) -> int:
    parts = urlsplit(base_url)
    connection_ = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection_.request(
            "POST",
            path,
            body=f"csrfmiddlewaretoken={csrf['token']}",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": csrf["cookie"],
            },
        )
        response = connection_.getresponse()
        response.read()
        return response.status
    finally:
        connection_.close()


def _confirmed(event: Event, session: Session | None = None) -> int:
    scope = session.pk if session else 0
    rows = Registration.objects.filter(event=event, scope=scope, status="confirmed")
    return rows.aggregate(s=Sum("seats"))["s"] or 0


def _offered(event: Event, session: Session | None = None) -> int:
    scope = session.pk if session else 0
    rows = Registration.objects.filter(
        event=event, scope=scope, status="waitlisted", offer_expires_at__isnull=False
    )
    return rows.aggregate(s=Sum("seats"))["s"] or 0


def _in_thread(function):
    """Run in a worker thread with its own database connection, closed afterwards."""

    def run(*args):
        try:
            return function(*args)
        finally:
            connection.close()

    return run


# --- several clicks on the last offered seats --------------------------------------------------


def _offers_clicked_together(race_server, *, lock: bool):
    make_department("69")
    event = make_event(capacity=2, waitlist_offer_hours=48, max_group_size=None)
    holders = [registration_create(event=event, data=person(f"h{i}@ex.fr")) for i in range(2)]
    waiting = [registration_create(event=event, data=person(f"w{i}@ex.fr")) for i in range(4)]
    for holder in holders:
        registration_cancel(registration=holder)  # w0 and w1 now hold the last two seats
    offered = [Registration.objects.get(pk=w.pk) for w in waiting[:2]]
    assert all(r.has_pending_offer for r in offered)
    paths = [f"/inscription/place-proposee/{offer_token(r)}/" for r in offered]
    with race_server(lock=lock, race_delay=RACE_DELAY, workers=2) as base_url:
        _together(base_url, [("GET", "/robots.txt", None, None)] * 16)
        # Each of the two people clicks ten times (two devices, impatience), while twenty
        # newcomers register for the same event through the API.
        clicks = [(path, _csrf_session(base_url, path)) for path in paths for _ in range(10)]
        barrier = threading.Barrier(len(clicks) + 20, timeout=120)

        def click(item):
            barrier.wait()
            return _post_form(base_url, *item)

        def newcomer(n):
            barrier.wait()
            return _request(
                base_url, "POST", f"/api/v1/events/{event.pk}/registrations", _individual_body(n)
            )[0]

        with ThreadPoolExecutor(max_workers=len(clicks) + 20) as pool:
            # Everything submitted before waiting on any result: they meet at the barrier.
            click_futures = [pool.submit(click, item) for item in clicks]
            new_futures = [pool.submit(newcomer, n) for n in range(20)]
            click_results = [f.result() for f in click_futures]
            new_results = [f.result() for f in new_futures]
    event.refresh_from_db()
    return event, offered, click_results, new_results


def test_clicks_on_the_last_offered_seats_confirm_each_once_and_never_overbook(race_server):
    event, offered, clicks, newcomers = _offers_clicked_together(race_server, lock=True)
    assert not [s for s in clicks + newcomers if s >= 500]
    assert sorted(clicks).count(302) == 2  # one success per offer, the rest "already used"
    assert set(clicks) == {302, 410}
    assert [Registration.objects.get(pk=r.pk).status for r in offered] == ["confirmed"] * 2
    assert _confirmed(event) == 2 == event.seats_confirmed
    assert _offered(event) == 0 and event.seats_held == 0
    assert newcomers == [201] * 20
    assert Registration.objects.filter(event=event, status="waitlisted").count() == 22


def test_without_the_lock_the_same_clicks_confirm_twice(race_server):
    event, offered, clicks, _newcomers = _offers_clicked_together(race_server, lock=False)
    # The proof the test can fail: a seat confirmed by several requests, or a counter that no
    # longer matches the rows.
    assert clicks.count(302) > 2 or event.seats_confirmed != _confirmed(event)


# --- expiry and confirmation at the same moment ----------------------------------------------

POOLS = 12


def _expiry_against_confirmations(race_server, settings, *, lock: bool):
    make_department("69")
    events, offers = [], []
    for _ in range(POOLS):
        event = make_event(capacity=1, waitlist_offer_hours=24, max_group_size=None)
        holder = registration_create(event=event, data=person("h@ex.fr"))
        first = registration_create(event=event, data=person("first@ex.fr"))
        registration_create(event=event, data=person("second@ex.fr"))
        registration_cancel(registration=holder)
        events.append(event)
        offers.append(Registration.objects.get(pk=first.pk))
    deadline = max(o.offer_expires_at for o in offers) + timedelta(seconds=1)
    settings.REGISTRATION_CAPACITY_LOCK = lock
    settings.REGISTRATION_TEST_RACE_DELAY = RACE_DELAY
    with race_server(lock=lock, race_delay=RACE_DELAY, workers=2) as base_url:
        _together(base_url, [("GET", "/robots.txt", None, None)] * 16)
        paths = [f"/inscription/place-proposee/{offer_token(o)}/" for o in offers]
        csrf = [_csrf_session(base_url, path) for path in paths]
        barrier = threading.Barrier(POOLS + 3, timeout=120)

        def confirm(i):
            barrier.wait()
            return _post_form(base_url, paths[i], csrf[i])

        @_in_thread
        def expire(_n):
            barrier.wait()
            # The beat task at the deadline (three workers at once), while the clicks arrive.
            return waitlist_offers_expire(now=deadline)

        with ThreadPoolExecutor(max_workers=POOLS + 3) as pool:
            confirmations = [pool.submit(confirm, i) for i in range(POOLS)]
            expiries = [pool.submit(expire, n) for n in range(3)]
            statuses = [f.result() for f in confirmations]
            expired = sum(f.result() for f in expiries)
    settings.REGISTRATION_CAPACITY_LOCK = True
    settings.REGISTRATION_TEST_RACE_DELAY = 0
    return events, offers, statuses, expired


def _pool_is_sound(event: Event) -> bool:
    event.refresh_from_db()
    confirmed, offered = _confirmed(event), _offered(event)
    return confirmed + offered <= 1 and event.seats_confirmed == confirmed


def test_an_offer_confirmed_as_it_expires_is_either_confirmed_or_passed_on(race_server, settings):
    events, offers, statuses, expired = _expiry_against_confirmations(
        race_server, settings, lock=True
    )
    assert not [s for s in statuses if s >= 500]
    for event, offer, status in zip(events, offers, statuses, strict=True):
        assert _pool_is_sound(event)
        offer.refresh_from_db()
        second = Registration.objects.get(event=event, email="second@ex.fr")
        if status == 302:  # the click won: the seat is theirs, nobody else got it
            assert offer.status == "confirmed" and not second.has_pending_offer
        else:  # the task won: offer expired, passed to the next
            assert status == 410
            assert offer.status == "cancelled" and second.has_pending_offer
    assert expired == statuses.count(410)


def test_without_the_lock_expiry_and_confirmation_both_win(race_server, settings):
    events, _offers, _statuses, _expired = _expiry_against_confirmations(
        race_server, settings, lock=False
    )
    assert not all(_pool_is_sound(event) for event in events)


# --- capacity raised while people register ----------------------------------------------------


def _capacity_raised_during_registrations(race_server, settings, *, lock: bool):
    make_department("69")
    event = make_event(capacity=500, max_group_size=None)
    slot = make_session(event, capacity=10)
    owner = User.objects.create_user("owner@forges.fr", "mot-de-passe-de-test")
    Membership.objects.create(user=owner, organization=event.organization, role="owner")
    for i in range(25):
        registration_create(event=event, session=slot, data=person(f"p{i}@ex.fr"))
    settings.REGISTRATION_CAPACITY_LOCK = lock
    settings.REGISTRATION_TEST_RACE_DELAY = RACE_DELAY
    path = f"/api/v1/events/{event.pk}/registrations"
    bodies = [{**_individual_body(100 + n), "session_id": slot.pk} for n in range(60)]
    with race_server(lock=lock, race_delay=RACE_DELAY, workers=2) as base_url:
        _together(base_url, [("GET", "/robots.txt", None, None)] * 16)
        barrier = threading.Barrier(len(bodies) + 4, timeout=120)

        def register(body):
            barrier.wait()
            return _request(base_url, "POST", path, body)[0]

        @_in_thread
        def raise_capacity(capacity):
            barrier.wait()
            data = SessionData(
                kind=slot.kind,
                title=slot.title,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                capacity=capacity,
            )
            try:
                session_update(actor=owner, session=slot, data=data)
            except ValidationError as exc:
                # Applied after a larger one, it would lower the capacity below the seats
                # already confirmed: refused in French, under the same lock.
                assert "ne peut pas être inférieure" in exc.messages[0]
                return "refused"
            return "applied"

        with ThreadPoolExecutor(max_workers=len(bodies) + 4) as pool:
            raises = [pool.submit(raise_capacity, c) for c in (20, 30, 40, 50)]
            registrations = [pool.submit(register, body) for body in bodies]
            statuses = [f.result() for f in registrations]
            outcomes = [future.result() for future in raises]
    assert "applied" in outcomes
    settings.REGISTRATION_CAPACITY_LOCK = True
    settings.REGISTRATION_TEST_RACE_DELAY = 0
    slot.refresh_from_db()
    return event, slot, statuses


def test_capacity_raised_while_people_register_serves_the_list_in_order(race_server, settings):
    event, slot, statuses = _capacity_raised_during_registrations(race_server, settings, lock=True)
    assert statuses == [201] * 60
    confirmed = _confirmed(event, slot)
    assert confirmed <= slot.capacity
    assert slot.seats_confirmed == confirmed
    waiting = Registration.objects.filter(event=event, scope=slot.pk, status="waitlisted")
    # Promotion is complete (individuals: one seat each): no seat free while someone waits.
    assert confirmed == slot.capacity or not waiting.exists()
    # In order: nobody still waiting arrived before somebody confirmed from the list.
    first_waiting = waiting.order_by("waitlisted_at", "id").first()
    if first_waiting is not None:
        late = Registration.objects.filter(
            event=event,
            scope=slot.pk,
            status="confirmed",
            waitlisted_at__gt=first_waiting.waitlisted_at,
        )
        assert not late.exists()


def test_without_the_lock_registrations_overbook_despite_the_raises(race_server, settings):
    event, slot, _statuses = _capacity_raised_during_registrations(
        race_server, settings, lock=False
    )
    confirmed = _confirmed(event, slot)
    assert confirmed > slot.capacity or slot.seats_confirmed != confirmed
