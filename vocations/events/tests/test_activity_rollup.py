"""The territory roll-up (EventActivity) equals the live count after any sequence of operations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from vocations.accounts.models import Organization
from vocations.analytics.tests.support import make_event, register
from vocations.events import activity
from vocations.events.models import Event, EventActivity, Label, Registration
from vocations.events.selectors import activity_by_department, activity_by_department_live
from vocations.events.services import registration_cancel
from vocations.territories.models import Department, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(db):
    region = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", slug="ara")
    departments = [
        Department.objects.create(code=c, name=n, slug=n.lower(), region=region)
        for c, n in (("69", "Rhône"), ("42", "Loire"))
    ]
    org = Organization.objects.create(name="Forges", slug="forges", kind="company")
    return org, departments


operation = st.one_of(
    st.tuples(st.just("event"), st.integers(0, 1), st.sampled_from([None, 5, 40])),
    st.tuples(st.just("register"), st.integers(0, 9), st.integers(1, 3)),
    st.tuples(st.just("cancel"), st.integers(0, 30)),
    st.tuples(st.just("attend"), st.integers(0, 30), st.integers(0, 3)),
    st.tuples(st.just("delete"), st.integers(0, 30)),
    st.tuples(st.just("publish"), st.integers(0, 9)),
    st.tuples(st.just("label"), st.integers(0, 9)),
    st.tuples(st.just("move"), st.integers(0, 9), st.integers(0, 1)),
    st.tuples(st.just("capacity"), st.integers(0, 9), st.sampled_from([None, 2, 60])),
)


@hsettings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=st.lists(operation, min_size=1, max_size=25))
def test_roll_up_equals_live_count_after_any_operations(setting, operations):
    org, departments = setting
    Registration.objects.all().delete()
    Event.objects.all().delete()
    events: list[Event] = []
    emails = iter(range(10**6))
    for op in operations:
        kind = op[0]
        if kind == "event":
            start = timezone.now() + dt.timedelta(days=10 + len(events) * 20)
            events.append(
                make_event(org, department=departments[op[1]], capacity=op[2], starts_at=start,
                           ends_at=start + dt.timedelta(hours=8))
            )  # fmt: skip
        elif not events:
            continue
        elif kind == "register":
            event = events[op[1] % len(events)]
            event.refresh_from_db()
            # Through the service: confirmed, or waitlisted once the seats are gone.
            register(event, email=f"p{next(emails)}@example.fr", kind="individual")
        elif kind in ("cancel", "attend", "delete"):
            rows = list(Registration.objects.order_by("pk"))
            if not rows:
                continue
            row = rows[op[1] % len(rows)]
            if kind == "cancel" and row.checked_in_at is None:
                # (A registration checked in at the door cannot be cancelled: the service refuses.)
                registration_cancel(registration=row, notify=False)
            elif kind == "attend" and row.status == Registration.Status.CONFIRMED:
                row.attended = op[2]
                row.checked_in_at = timezone.now()
                row.save()
            elif kind == "delete":
                row.delete()
        else:
            event = Event.objects.get(pk=events[op[1] % len(events)].pk)
            if kind == "publish":
                event.is_published = not event.is_published
                event.save()
            elif kind == "label":
                label = Label.objects.get(event=event)
                label.state = (
                    Label.State.LABELLED if label.state != Label.State.LABELLED else "draft"
                )
                label.save()
            elif kind == "move":
                event.department = departments[op[2]]
                event.save()
            elif kind == "capacity":
                event.capacity = op[2]
                event.save(update_fields=["capacity"])
    assert activity_by_department() == activity_by_department_live()


def test_rebuild_after_bulk_writes_matches_the_live_count(setting):
    org, departments = setting
    event = make_event(org, department=departments[0], capacity=50)
    register(event, email="a@example.fr")
    Registration.objects.filter(event=event).update(seats=1, attended=1)  # no signal
    EventActivity.objects.all().delete()
    activity.rebuild()
    assert activity_by_department() == activity_by_department_live()
    assert activity_by_department()[departments[0].pk]["attendance"] == 1


def test_a_registration_costs_the_roll_up_one_query(setting):
    org, departments = setting
    event = make_event(org, department=departments[0], capacity=50)
    registration = register(event, email="a@example.fr")
    registration = Registration.objects.get(pk=registration.pk)
    registration.attended = 1
    with CaptureQueriesContext(connection) as queries:
        registration.save()
    assert [q["sql"] for q in queries].count(
        next(q["sql"] for q in queries if "events_eventactivity" in q["sql"])
    ) == 1
    assert sum("events_eventactivity" in q["sql"] for q in queries) == 1
