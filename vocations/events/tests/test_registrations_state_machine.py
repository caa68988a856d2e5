"""Hypothesis state machine: register / change a group / cancel, against a plain model.

After every step: confirmed seats never exceed the capacity, the counter equals the sum of
confirmed seats, promotion is complete (the head of the waiting list does not fit in the seats
left, which are held for it) and it happened in strict waiting-list order (the service's
statuses match a model that walks the list first-come first-served and stops at the first
that does not fit: nobody passes anybody).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from vocations.events.models import Registration
from vocations.events.services import (
    NotEnoughSeatsError,
    registration_cancel,
    registration_change_group,
    registration_create,
)

from .test_registrations_support import (
    confirmed_sum,
    counter,
    group,
    make_department,
    make_event,
    person,
    waitlisted_ids,
)

CONFIRMED, WAITLISTED, CANCELLED = "confirmed", "waitlisted", "cancelled"


@dataclass
class Entry:
    """The model's view of one registration; ``order`` is its place in the waiting list."""

    pk: int
    kind: str
    seats: int
    status: str
    order: int


class RegistrationMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.entries: dict[int, Entry] = {}
        self.emails = 0
        self.ticks = 0

    @initialize(capacity=st.integers(min_value=1, max_value=12))
    def create_event(self, capacity):
        self.capacity = capacity
        self.event = make_event(capacity=capacity, max_group_size=None)

    # --- the model --------------------------------------------------------------------------

    def confirmed(self) -> int:
        return sum(e.seats for e in self.entries.values() if e.status == CONFIRMED)

    def left(self) -> int:
        return self.capacity - self.confirmed()

    def waiting(self) -> list[Entry]:
        return sorted(
            (e for e in self.entries.values() if e.status == WAITLISTED), key=lambda e: e.order
        )

    def newcomer_left(self) -> int:
        # Seats are kept for whoever waits: a newcomer only gets them when nobody does.
        return 0 if self.waiting() else self.left()

    def promote(self) -> None:
        left = self.left()
        for entry in self.waiting():
            if entry.seats > left:
                break
            entry.status = CONFIRMED
            left -= entry.seats

    def add(self, registration: Registration) -> None:
        self.ticks += 1
        status = CONFIRMED if registration.seats <= self.newcomer_left() else WAITLISTED
        self.entries[registration.pk] = Entry(
            registration.pk, registration.kind, registration.seats, status, self.ticks
        )
        assert registration.status == status

    # --- rules ------------------------------------------------------------------------------

    @rule()
    def register_individual(self):
        self.emails += 1
        self.add(registration_create(event=self.event, data=person(f"p{self.emails}@ex.fr")))

    @rule(pupils=st.integers(1, 8), adults=st.integers(0, 3), wait=st.booleans())
    def register_group(self, pupils, adults, wait):
        # Each group its own class: the same class twice within minutes is a duplicate.
        self.groups_made = getattr(self, "groups_made", 0) + 1
        data = group(pupils, adults, school_name=f"Collège n° {self.groups_made}", waitlist=wait)
        if pupils + adults > self.capacity:
            with pytest.raises(ValidationError, match="capacité totale"):
                registration_create(event=self.event, data=data)
            return
        if not wait and 0 < self.newcomer_left() < pupils + adults:
            # Seats remain but not enough: the group must choose, nothing is written.
            with pytest.raises(NotEnoughSeatsError):
                registration_create(event=self.event, data=data)
            return
        self.add(registration_create(event=self.event, data=data))
        self.promote()

    def active_groups(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.kind == "group" and e.status != CANCELLED]

    def active(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.status != CANCELLED]

    @precondition(lambda self: self.active_groups())
    @rule(data=st.data(), pupils=st.integers(1, 8), adults=st.integers(0, 3))
    def change_group(self, data, pupils, adults):
        entry = data.draw(st.sampled_from(self.active_groups()))
        registration = Registration.objects.select_related("event", "session").get(pk=entry.pk)
        seats = pupils + adults
        delta = seats - entry.seats
        refused = seats > self.capacity or (
            entry.status == CONFIRMED and delta > self.newcomer_left()
        )
        if refused:
            with pytest.raises(ValidationError):
                registration_change_group(registration=registration, pupils=pupils, adults=adults)
            return
        registration_change_group(registration=registration, pupils=pupils, adults=adults)
        entry.seats = seats
        self.promote()

    @precondition(lambda self: self.active())
    @rule(data=st.data())
    def cancel(self, data):
        entry = data.draw(st.sampled_from(self.active()))
        registration = Registration.objects.select_related("event", "session").get(pk=entry.pk)
        registration_cancel(registration=registration)
        entry.status = CANCELLED
        self.promote()

    # --- invariants -------------------------------------------------------------------------

    @invariant()
    def matches_the_model(self):
        if not self.entries:
            return
        stored = dict(
            Registration.objects.filter(event=self.event).values_list("pk", "status")
        )  # fmt: skip
        assert stored == {pk: e.status for pk, e in self.entries.items()}

    @invariant()
    def capacity_and_counter_hold(self):
        if not hasattr(self, "event"):
            return
        total = confirmed_sum(self.event)
        assert total <= self.capacity
        assert counter(self.event) == total

    @invariant()
    def promotion_is_complete_and_in_order(self):
        if not hasattr(self, "event"):
            return
        left = self.capacity - confirmed_sum(self.event)
        waiting = [Registration.objects.get(pk=pk) for pk in waitlisted_ids(self.event)]
        # Strict order: the head does not fit, and the seats left are held for it.
        assert not waiting or waiting[0].seats > left
        self.event.refresh_from_db()
        assert self.event.seats_held == (left if waiting else 0)
        # The stored waiting list keeps arrival order.
        assert waitlisted_ids(self.event) == [
            e.pk
            for e in sorted(self.entries.values(), key=lambda e: e.order)
            if e.status == WAITLISTED
        ]


@pytest.mark.django_db
def test_registration_state_machine():
    make_department("69")
    run_state_machine_as_test(
        RegistrationMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
            database=None,
        ),
    )
