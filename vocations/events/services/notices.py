"""Organizer notices: one row per new registration, waiting-list move or press request.

Written inside the service's transaction that caused them (so a rollback leaves none), and
mailed after commit to the members who want them at once; the others get the daily digest
(vocations/events/notices.py). No personal data in the text: the back-office shows who.
"""

from __future__ import annotations

from vocations.events.models import Event, OrganizerNotice, PressAccreditation, Registration

Kind = OrganizerNotice.Kind


def _what(registration: Registration) -> str:
    seats = f"{registration.seats} place{'s' if registration.seats > 1 else ''}"
    if registration.kind == Registration.Kind.GROUP:
        what = f"groupe de {seats} ({registration.school_name})"
    elif registration.seats > 1:
        what = f"individuelle, {seats}"
    else:
        what = "individuelle, 1 place"
    if registration.session_id:
        what += f", séance « {registration.session.title} »"
    return what


def organizer_notice_add(*, event: Event, kind: str, text: str) -> OrganizerNotice:
    """Record a notice and queue its immediate mail for after the commit."""
    from vocations.events.notices import queue_organizer_notice

    notice = OrganizerNotice.objects.create(
        organization_id=event.organization_id, event=event, kind=kind, text=text[:300]
    )
    queue_organizer_notice(notice.pk)
    return notice


def notice_for_registration(registration: Registration, mail_kind: str) -> None:
    """The organizer's side of a registrant's mail: new registration or waiting-list move."""
    if mail_kind == "confirmed":
        kind, text = Kind.REGISTRATION, f"Nouvelle inscription confirmée : {_what(registration)}"
    elif mail_kind == "waitlisted":
        kind, text = (
            Kind.REGISTRATION,
            f"Nouvelle inscription en liste d'attente : {_what(registration)}",
        )
    elif mail_kind in ("promoted", "resized"):
        kind, text = (
            Kind.WAITLIST,
            f"Liste d'attente : inscription confirmée, {_what(registration)}",
        )
    else:
        return
    organizer_notice_add(event=registration.event, kind=kind, text=text)


def notice_for_accreditation(accreditation: PressAccreditation) -> None:
    organizer_notice_add(
        event=accreditation.event,
        kind=Kind.PRESS,
        text=f"Demande d'accréditation presse : {accreditation.outlet} ({accreditation.role})",
    )
