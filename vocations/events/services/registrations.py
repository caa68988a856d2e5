"""Registrations under capacity: register, change a group's size, cancel, promote the waiting list.

Capacity is a locked invariant (docs/architecture.md, rule 5). Every service that consumes or frees
seats takes, inside its transaction and just before reading the counter, a row lock on the
Event, then on the Session when the registration is for one (always that order, so two
services can never deadlock). The counter ``seats_confirmed`` of that row changes only under
that lock, so it always equals the sum of the pool's confirmed seats.

A pool is the event itself (``session=None``) or one session: a session has its own capacity.
The waiting list of a pool is served strictly in (waitlisted_at, id) order, by confirmation or
by time-limited offers (vocations.events.services.waitlist): nobody passes a group that does
not fit yet, and the seats kept for it or offered (``seats_held``) are not free for newcomers.
The locks and counters live in services/pools.py.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from vocations.core.services import audit_log
from vocations.events import signals, tickets
from vocations.events.models import Event, Registration, Session
from vocations.events.rules import event_has_ended, event_has_started
from vocations.events.selectors import seats_left

from .pools import (
    _add_confirmed,
    _audit_data,
    _pool_rows,
    _queue_email,
    _scope,
    _sync,
)
from .registration_checks import (
    RegistrationData,
    _check_counts,
    _check_group_size,
    _clean,
    _clean_key,
)
from .resize import resize_under_lock
from .waitlist import promote_waitlist

Status = Registration.Status
Kind = Registration.Kind

CHECKED_IN_CANNOT_CANCEL = (
    "Cette inscription a été enregistrée à l'accueil de l'événement : elle ne peut plus être "
    "annulée."
)


INDIVIDUAL_DUPLICATE = (
    "Cette adresse e-mail est déjà inscrite : un seul billet par personne. "
    "Retrouvez-le dans l'e-mail de confirmation."
)
GROUP_DUPLICATE = (
    "Ce groupe vient d'être inscrit avec cette adresse (même établissement, même classe) : "
    "retrouvez l'inscription dans l'e-mail de confirmation, où vous pouvez changer l'effectif."
)
# A second identical group (same e-mail, event, school and class) within this window is a
# double submission or a flood, not a new class: one registration, one e-mail.
GROUP_DUPLICATE_SECONDS = 600


class NotEnoughSeatsError(ValidationError):
    """A group asks more seats than remain (and some remain): it must choose, reduce the group
    or wait for all its seats (``RegistrationData.waitlist``), rather than be wait-listed
    without being told. ``seats_left`` and ``seats_asked`` say the truth to any interface."""

    def __init__(self, *, seats_left: int, seats_asked: int):
        message = (
            f"Il reste {seats_left} place{'s' if seats_left > 1 else ''}, votre groupe en "
            f"demande {seats_asked} : réduisez le groupe à {seats_left} personne"
            f"{'s' if seats_left > 1 else ''} au plus, ou inscrivez-le en entier sur liste "
            "d'attente."
        )
        super().__init__({"pupils": [ValidationError(message, code="seats_short")]})
        self.seats_left = seats_left
        self.seats_asked = seats_asked


class DuplicateRegistrationError(ValidationError):
    """This e-mail already holds an active individual registration here (or just registered the
    same group); ``registration`` is it."""

    def __init__(self, registration: Registration, message: str = INDIVIDUAL_DUPLICATE):
        super().__init__({"email": [ValidationError(message, code="duplicate")]})
        self.registration = registration


def _replay(existing: Registration, data: RegistrationData) -> Registration:
    """The registration a retried request already created (same key, same person)."""
    if existing.email != (data.email or "").strip().lower():
        raise ValidationError(
            {"idempotency_key": "Cette clé d'idempotence a déjà servi pour une autre inscription."}
        )
    existing.created_now = False
    return existing


def _active_individual(event: Event, session: Session | None, email: str) -> Registration | None:
    return (
        Registration.objects.filter(
            event=event, scope=_scope(session), email=email, kind=Kind.INDIVIDUAL
        )
        .exclude(status=Status.CANCELLED)
        .first()
    )


def _earlier(
    event: Event, session: Session | None, key: str | None, individual_email: str
) -> tuple[Registration | None, Registration | None]:
    """(the registration this key already made, the address's active individual one), in one
    query: the two questions every attempt asks before any lock."""
    wanted = Q()
    if key:
        wanted |= Q(idempotency_key=key)
    if individual_email:
        wanted |= Q(scope=_scope(session), email=individual_email, kind=Kind.INDIVIDUAL) & ~Q(
            status=Status.CANCELLED
        )
    if not wanted:
        return None, None
    rows = list(Registration.objects.filter(wanted, event=event)[:2])
    replayed = next((r for r in rows if key and r.idempotency_key == key), None)
    duplicate = next(
        (
            r
            for r in rows
            if r.kind == Kind.INDIVIDUAL
            and r.scope == _scope(session)
            and r.email == individual_email
            and r.status != Status.CANCELLED
        ),
        None,
    )
    return replayed, duplicate


def _recent_same_group(
    event: Event, session: Session | None, values: dict, now
) -> Registration | None:
    return (
        Registration.objects.filter(
            event=event,
            scope=_scope(session),
            email=values["email"],
            kind=Kind.GROUP,
            school_name__iexact=values.get("school_name") or "",
            class_level=values.get("class_level") or "",
            created_at__gte=now - timedelta(seconds=GROUP_DUPLICATE_SECONDS),
        )
        .exclude(status=Status.CANCELLED)
        .order_by("-created_at")
        .first()
    )


def _raise_if_duplicate(event: Event, session: Session | None, values: dict, now) -> None:
    if values["kind"] == Kind.INDIVIDUAL:
        existing = _active_individual(event, session, values["email"])
        if existing is not None:
            raise DuplicateRegistrationError(existing)
    elif values["kind"] == Kind.GROUP:
        existing = _recent_same_group(event, session, values, now)
        if existing is not None:
            raise DuplicateRegistrationError(existing, GROUP_DUPLICATE)


# --- services --------------------------------------------------------------------------------

# A new short code is drawn when the one drawn is already taken in this event (about one
# chance in 10⁹ per attempt at 1,000 registrations): the unique constraint is the check.
SHORT_CODE_DRAWS = 5


def registration_create(
    *,
    event: Event,
    session: Session | None = None,
    data: RegistrationData,
    idempotency_key: str | None = None,
    idempotency_scope: str = "",
    actor=None,
) -> Registration:
    """Register a person or a group: confirmed if the seats are there, else waitlisted.

    Idempotent: the same ``idempotency_key`` from the same ``idempotency_scope`` (who is
    calling: an API client, a browser's form) returns the first registration; an e-mail that
    already holds an active individual registration raises DuplicateRegistrationError
    carrying it. The returned registration's ``created_now`` says which case happened.

    The hot path of a registration rush (docs/registration.md, "Cost of an attempt"): one
    look-up before the lock, then the lock held for the insert and its counters only.
    """
    key = _clean_key(idempotency_key, idempotency_scope)
    individual = (data.kind or Kind.INDIVIDUAL) == Kind.INDIVIDUAL
    # _clean() says what is wrong with a value that is not a string; the look-up skips it.
    email = data.email.strip().lower() if individual and isinstance(data.email, str) else ""
    replayed, duplicate = _earlier(event, session, key, email)
    if replayed is not None:
        return _replay(replayed, data)
    now = timezone.now()
    values = _clean(event=event, session=session, data=data, now=now)
    if duplicate is not None:
        raise DuplicateRegistrationError(duplicate)
    if values["kind"] == Kind.GROUP:
        _raise_if_duplicate(event, session, values, now)
    for _ in range(SHORT_CODE_DRAWS):
        try:
            registration = _insert(event, session, data, values, key, now, actor)
        except IntegrityError:
            # Outside the rolled-back transaction: which unique constraint refused the row?
            # A concurrent double click (the key), the same address from another tab (the
            # e-mail), else a short code drawn twice: draw again.
            replayed, duplicate = _earlier(
                event, session, key, values["email"] if individual else ""
            )
            if replayed is not None:
                return _replay(replayed, data)
            if duplicate is not None:
                raise DuplicateRegistrationError(duplicate) from None
            continue
        registration.created_now = True
        return registration
    raise IntegrityError("registration: no free short code after several draws")


def _insert(event, session, data, values, key, now, actor) -> Registration:
    """The locked part: decide confirmed or waitlisted, write, count, audit, queue the mail."""
    with transaction.atomic():
        locked_event, locked_session = _pool_rows(event, session)
        # Checked again under the lock: a double click may have raced us up to here. Not for
        # an individual's e-mail nor a key: their unique constraints refuse the second row and
        # registration_create answers as these look-ups would.
        if values["kind"] == Kind.GROUP:
            _raise_if_duplicate(event, session, values, now)
        # The capacity may have been lowered since _clean() read it.
        errors: dict[str, list[str]] = {}
        _check_group_size(
            locked_event,
            locked_session,
            values["seats"],
            lambda name, message: errors.setdefault(name, []).append(message),
            individual=values["kind"] == Kind.INDIVIDUAL,
        )
        if errors:
            raise ValidationError(errors)

        left = seats_left(locked_event, locked_session)
        confirmed = left is None or values["seats"] <= left
        if not confirmed and left and not data.waitlist:
            # Seats remain but not enough: say so, never a silent "complet".
            raise NotEnoughSeatsError(seats_left=left, seats_asked=values["seats"])
        registration = Registration(
            event=event,
            session=session,
            scope=_scope(session),
            status=Status.CONFIRMED if confirmed else Status.WAITLISTED,
            waitlisted_at=None if confirmed else timezone.now(),
            idempotency_key=key,
            short_code=tickets.new_short_code(),
            **values,
        )
        registration.save()
        if confirmed:
            _add_confirmed(locked_event, locked_session, values["seats"])
        elif left:
            # A group that waits for more than is free keeps those seats (nobody passes it).
            # With no seat left, a newcomer at the tail changes nothing the last promotion
            # decided (its head still waits, nothing is free to keep): two queries saved.
            promote_waitlist(event=locked_event, session=locked_session)
        audit_log(
            actor=actor,
            action="registration.create",
            target=registration,
            organization=event.organization,
            data=_audit_data(registration),
        )
        signals.registration_created.send(Registration, registration=registration)
        _queue_email(registration, "confirmed" if confirmed else "waitlisted")
    _sync(event, session, locked_event, locked_session)
    return registration


def registration_change_group(
    *, registration: Registration, pupils: Any, adults: Any, actor=None
) -> Registration:
    """Change a group's size: a smaller group frees seats (and promotes the waiting list), a
    larger confirmed one must fit in the seats left, else nothing changes."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if registration.kind != Kind.GROUP:
        raise ValidationError({"kind": "Seule une inscription de groupe peut changer d'effectif."})
    event, session = registration.event, registration.session
    if event_has_started(event):
        add(NON_FIELD_ERRORS, "L'événement a commencé : l'effectif ne peut plus être modifié.")
    n_pupils, n_adults = _check_counts(pupils, adults, add)
    if not errors:
        _check_group_size(event, session, n_pupils + n_adults, add)
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        locked_event, locked_session = _pool_rows(event, session)
        current = Registration.objects.get(pk=registration.pk)
        if current.status == Status.CANCELLED:
            raise ValidationError({NON_FIELD_ERRORS: "Cette inscription est annulée."})
        _check_group_size(locked_event, locked_session, n_pupils + n_adults, add)
        if errors:
            raise ValidationError(errors)
        resize_under_lock(
            current=current,
            locked_event=locked_event,
            session=locked_session,
            seats=n_pupils + n_adults,
            fields={"pupils": n_pupils, "adults": n_adults},
            too_many=lambda left, delta: {
                "pupils": f"Il ne reste que {left} place{'s' if left > 1 else ''} : "
                f"impossible d'ajouter {delta} personne{'s' if delta > 1 else ''} "
                "au groupe."
            },
            action="registration.change_group",
            change="group_size",
            organization=event.organization,
            actor=actor,
        )
    current.refresh_from_db()
    _sync(event, session, locked_event, locked_session)
    return current


def registration_cancel(
    *, registration: Registration, actor=None, notify: bool = True
) -> Registration:
    """Cancel; confirmed seats go back to the pool and the waiting list moves up.

    Cancelling twice is harmless (the second call changes nothing and sends nothing).
    ``notify=False`` sends no cancellation mail (an erasure: the address is about to go)."""
    event, session = registration.event, registration.session
    if event_has_ended(event):
        raise ValidationError(
            {NON_FIELD_ERRORS: "L'événement est terminé : l'inscription ne peut plus être annulée."}
        )
    with transaction.atomic():
        locked_event, locked_session = _pool_rows(event, session)
        current = Registration.objects.get(pk=registration.pk)
        if current.status == Status.CANCELLED:
            return current
        if current.checked_in_at is not None:
            # Attendance is a fact: cancelling would silently remove people who came.
            raise ValidationError({NON_FIELD_ERRORS: CHECKED_IN_CANNOT_CANCEL})
        was_confirmed = current.status == Status.CONFIRMED
        current.status = Status.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at", "updated_at"])
        if was_confirmed:
            _add_confirmed(locked_event, locked_session, -current.seats)
        # Also when it waited: it may have held seats (an offer, the head of the line).
        promote_waitlist(event=locked_event, session=locked_session)
        audit_log(
            actor=actor,
            action="registration.cancel",
            target=current,
            organization=event.organization,
            data=_audit_data(current),
        )
        signals.registration_cancelled.send(Registration, registration=current)
        if notify:
            _queue_email(current, "cancelled")
    _sync(event, session, locked_event, locked_session)
    return current
