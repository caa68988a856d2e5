"""Workshops "sortir de l'ombre": events of kind "workshop" (Atelier), registered for through
the events app's registration service; their attendees can be invited to join the collective.

Attendees are the confirmed individual registrations; once check-in has started (someone is
marked present), only those present. An address that is already a member or has an invitation
pending is skipped, so pressing the button twice sends nothing twice.
"""

from __future__ import annotations

from django.db import transaction

from vocations.accounts.permissions import require_coordinator
from vocations.events.models import Event, Registration

from .models import Ambassador, Invitation
from .services.members import invitation_create


def workshops_for_coordinator() -> list[Event]:
    """Workshops of the platform, most recent first, with their confirmed registrations count."""
    from django.db.models import Count, Q

    return list(
        Event.objects.filter(kind=Event.Kind.WORKSHOP)
        .select_related("department")
        .annotate(
            attendee_count=Count(
                "registrations",
                filter=Q(registrations__status="confirmed", registrations__kind="individual"),
            )
        )
        .order_by("-starts_at", "pk")
    )


def workshop_attendees(workshop: Event) -> list[Registration]:
    confirmed = Registration.objects.filter(
        event=workshop, kind=Registration.Kind.INDIVIDUAL, status=Registration.Status.CONFIRMED
    ).order_by("pk")
    present = [r for r in confirmed if r.attended]
    return present or list(confirmed)


@transaction.atomic
def invite_workshop_attendees(*, actor, collective, workshop: Event) -> list[Invitation]:
    """Invite every attendee not yet a member nor invited; returns the new invitations."""
    require_coordinator(actor, collective)
    members = set(
        Ambassador.objects.filter(collective=collective, status="active").values_list(
            "user__email", flat=True
        )
    )
    pending = set(
        Invitation.objects.filter(
            collective=collective, status__in=["pending", "accepted"]
        ).values_list("email", flat=True)
    )
    invitations = []
    for registration in workshop_attendees(workshop):
        email = registration.email.strip().lower()
        if email in members or email in pending:
            continue
        pending.add(email)
        invitations.append(
            invitation_create(
                actor=actor,
                collective=collective,
                email=email,
                full_name=f"{registration.first_name} {registration.last_name}".strip(),
                message=f"Merci d'avoir participé à l'atelier « {workshop.title} ».",
                workshop=workshop,
            )
        )
    return invitations
