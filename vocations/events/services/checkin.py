"""Check-in at the door: a scanned QR code (signed payload) or a typed ticket code.

The first scan of a confirmed registration records ``checked_in_at`` and ``attended`` (the
whole group, or 1 person, unless told otherwise); a later scan changes nothing and says when
the first one happened, so a ticket shown twice is never counted twice. The registration row
is locked (``select_for_update``) for the whole decision, so two phones scanning the same
class at the same moment produce one check-in and one "déjà scanné" (audited as a repeat).

``settings.CHECK_IN_LOCK = False`` is for the race test only (tests/concurrency/
test_checkin_race.py): it reads the row without the lock, so that test can show the double
check-in the lock prevents. Production never sets it.

Phones on a bad network resend scans they got no answer for. Each scan may carry a
``scan_id`` chosen by the phone: when the same scan comes back (its answer was lost), it is
recognised from the audit trail and answered as the original check-in, not as a repeat.

Attendance is stored on the registration itself, so attribution reports (which read
``Registration.attended``) follow check-in with nothing more to do.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vocations.accounts.permissions import require
from vocations.core.models import AuditEntry
from vocations.core.services import audit_log
from vocations.events import signals
from vocations.events.models import Event, Registration
from vocations.events.tickets import TicketError, normalize_short_code, verify_ticket

Status = Registration.Status

UNKNOWN_TICKET = "Billet non reconnu"
CANCELLED = "Inscription annulée"
WAITLISTED = "Inscription en liste d'attente (non confirmée)"
OTHER_EVENT = "Billet d'un autre événement"
NOT_THIS_EVENT = "Cette inscription n'existe pas pour cet événement."
NOT_CHECKED_IN = "Ce billet n'a pas encore été scanné à l'accueil."
CHECK_IN_ACTION = "registration.check_in"
# Typed ticket codes are url-safe base64 (secrets.token_urlsafe); a signed payload adds ".", ":".
TYPED_CODE = re.compile(r"[A-Za-z0-9_-]{8,32}")
MAX_TICKET = 200
MAX_SCAN_ID = 64


@dataclass(frozen=True)
class CheckInResult:
    registration: Registration
    # True when this ticket had been scanned before: nothing was counted this time.
    already: bool
    # When the first scan happened (this one, or the earlier one).
    checked_in_at: dt.datetime
    attended: int


def _find(event: Event, ticket: str) -> Registration:
    """The registration a ticket stands for, or a French ValidationError; reads only."""
    value = "".join((ticket or "").split())
    if not value or len(value) > MAX_TICKET or "\x00" in value:
        raise ValidationError(UNKNOWN_TICKET)
    short = normalize_short_code(value)
    if short is not None:
        # The 8-character code printed under the QR: looked up in this event only, so a code
        # typed here never names (nor tells the existence of) another event's registration.
        found = (
            Registration.objects.select_related("event", "session")
            .filter(event=event, short_code=short)
            .first()
        )
        if found is None:
            raise ValidationError(UNKNOWN_TICKET)
    elif TYPED_CODE.fullmatch(value):
        # Typed codes are looked up in this event only: a code typed at this door says nothing
        # about other events. Exact first (the unique index), then ignoring case: staff read
        # the code off a printed or phone ticket and case is easily lost.
        registrations = Registration.objects.select_related("event", "session").filter(event=event)
        found = registrations.filter(ticket_code=value).first()
        if found is None:
            matches = list(registrations.filter(ticket_code__iexact=value)[:2])
            if len(matches) != 1:
                raise ValidationError(UNKNOWN_TICKET)
            found = matches[0]
    else:
        try:
            found = verify_ticket(value)
        except TicketError:
            raise ValidationError(UNKNOWN_TICKET) from None
    if found.event_id != event.pk:
        # Naming the other event helps staff redirect a visitor, but only within the same
        # organization: another organization's event title is not theirs to learn.
        if found.event.organization_id == event.organization_id:
            raise ValidationError(f"Ce billet est pour « {found.event.title} »")
        raise ValidationError(OTHER_EVENT)
    return found


def _check_status(registration: Registration) -> None:
    if registration.status == Status.CANCELLED:
        raise ValidationError(CANCELLED)
    if registration.status == Status.WAITLISTED:
        raise ValidationError(WAITLISTED)


def _clean_attended(registration: Registration, attended) -> int:
    """People present: 0 to the seats booked (a group may come with fewer, never with more)."""
    if attended is None or attended == "":
        return registration.seats
    if isinstance(attended, bool):
        raise ValidationError({"attended": "Le nombre de personnes présentes est invalide."})
    if isinstance(attended, str):
        if not re.fullmatch(r"\s*\d{1,6}\s*", attended):
            raise ValidationError(
                {"attended": "Le nombre de personnes présentes doit être un nombre entier."}
            )
        attended = int(attended)
    if not isinstance(attended, int) or attended < 0:
        raise ValidationError(
            {"attended": "Le nombre de personnes présentes ne peut pas être négatif."}
        )
    if attended > registration.seats:
        raise ValidationError(
            {
                "attended": f"Au plus {registration.seats} "
                f"personne{'s' if registration.seats > 1 else ''} pour cette inscription "
                "(le nombre de places réservées)."
            }
        )
    return attended


def _same_scan(registration: Registration, scan_id: str) -> bool:
    """Was the first check-in of this registration made by this very scan (a resent one)?"""
    if not scan_id:
        return False
    first = (
        AuditEntry.objects.filter(
            action=CHECK_IN_ACTION,
            target_type=registration._meta.label_lower,
            target_id=str(registration.pk),
        )
        .order_by("created_at", "id")
        .values_list("data", flat=True)
        .first()
    )
    return bool(first) and first.get("scan_id") == scan_id


def _clean_scan_id(scan_id: str | None) -> str:
    value = (scan_id or "").strip()
    return value if len(value) <= MAX_SCAN_ID and "\x00" not in value else ""


def _locked_registration(pk: int) -> Registration:
    """The registration row, locked until the transaction ends (unless a race test says not)."""
    rows = Registration.objects.select_related("session")
    if getattr(settings, "CHECK_IN_LOCK", True):
        rows = rows.select_for_update(of=("self",))
    registration = rows.get(pk=pk)
    # Test-only: the race test widens the gap between reading the row and writing it, so the
    # unlocked run shows the double check-in every time. Never set in production.
    delay = getattr(settings, "CHECK_IN_TEST_RACE_DELAY", 0)
    if delay:
        time.sleep(delay)
    return registration


def registration_check_in(
    *,
    actor,
    event: Event,
    ticket: str,
    attended: int | str | None = None,
    scan_id: str | None = None,
) -> CheckInResult:
    """Check a ticket in at the door of ``event``; a repeated scan warns and counts nothing.

    ``ticket`` is the QR code's signed payload or the typed ticket code (case and spaces
    ignored). Raises PermissionDenied without "change" on the event's organization, and a
    French ValidationError for a forged or unknown ticket, another event's, a cancelled or
    waitlisted registration, or an impossible ``attended``; nothing is written then.
    """
    require(actor, "change", event)
    found = _find(event, ticket)
    scan_id = _clean_scan_id(scan_id)
    with transaction.atomic():
        registration = _locked_registration(found.pk)
        registration.event = event
        _check_status(registration)
        if registration.checked_in_at is not None:
            replay = _same_scan(registration, scan_id)
            if not replay:
                audit_log(
                    actor=actor,
                    action="registration.check_in_repeat",
                    target=registration,
                    organization=event.organization,
                    data={"first_at": registration.checked_in_at.isoformat()},
                )
            return CheckInResult(
                registration=registration,
                already=not replay,
                checked_in_at=registration.checked_in_at,
                attended=registration.attended or 0,
            )
        # The lock held since the read makes this scan the only one deciding: no second
        # "not checked in" can be read before it commits (the race test shows it without).
        registration.attended = _clean_attended(registration, attended)
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["attended", "checked_in_at", "updated_at"])
        audit_log(
            actor=actor,
            action=CHECK_IN_ACTION,
            target=registration,
            organization=event.organization,
            data={
                "attended": registration.attended,
                "seats": registration.seats,
                "session": registration.session_id,
                "scan_id": scan_id,
            },
        )
        signals.registration_checked_in.send(Registration, registration=registration)
    return CheckInResult(
        registration=registration,
        already=False,
        checked_in_at=registration.checked_in_at,
        attended=registration.attended,
    )


def registration_set_attendance(
    *, actor, event: Event, registration: Registration | int, attended: int | str
) -> Registration:
    """Correct the number of people present for a registration already checked in.

    The explicit way to change what a first scan recorded (a class of 25 came with 24)."""
    require(actor, "change", event)
    pk = registration.pk if isinstance(registration, Registration) else registration
    with transaction.atomic():
        current = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("session")
            .filter(pk=pk, event=event)
            .first()
        )
        if current is None:
            raise ValidationError(NOT_THIS_EVENT)
        current.event = event
        _check_status(current)
        if current.checked_in_at is None:
            raise ValidationError(NOT_CHECKED_IN)
        if attended is None or attended == "":
            raise ValidationError({"attended": "Indiquez le nombre de personnes présentes."})
        value = _clean_attended(current, attended)
        if value == current.attended:
            return current
        before = current.attended
        current.attended = value
        current.save(update_fields=["attended", "updated_at"])
        audit_log(
            actor=actor,
            action="registration.attendance",
            target=current,
            organization=event.organization,
            data={"attended": value, "attended_before": before, "seats": current.seats},
        )
    return current
