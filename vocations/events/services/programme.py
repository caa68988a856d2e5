"""An event's partners and its flagship programme: universes → spaces → sessions, invitations.

Every service checks that the actor may change the event's organization, validates everything
first and raises one French ValidationError by field, so nothing is half-written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from vocations.accounts.permissions import require
from vocations.careers.models import Trade
from vocations.core.audiences import Audience
from vocations.core.images import clean_image
from vocations.core.services import audit_log
from vocations.events.models import (
    Event,
    EventPartner,
    Partner,
    Session,
    SessionInvitation,
    Space,
    Universe,
)
from vocations.events.selectors import seats_taken
from vocations.events.services.waitlist import promote_waitlist

MAX_INVITATIONS = 2000


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _check_name(errors: _Errors, value: str, *, max_length: int, field: str = "name") -> str:
    value = (value or "").strip()
    if not value:
        errors.add(field, "Ce champ est obligatoire.")
    elif len(value) > max_length:
        errors.add(field, f"{max_length} caractères au maximum.")
    return value


def _check_position(errors: _Errors, position: int) -> None:
    if position < 0 or position > 32767:
        errors.add("position", "L'ordre d'affichage doit être compris entre 0 et 32767.")


def _locked_event(event: Event, actor) -> Event:
    # Lock order Event then Session, as the registration services do.
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actor, "change", event.organization)
    return event


# --- Partners -------------------------------------------------------------------------------


def _validate_partner(
    *, name: str, website: str, logo: UploadedFile | None, level: str, position: int
) -> tuple[str, ContentFile | None]:
    """The cleaned name and the re-encoded logo (None when no new logo was sent)."""
    errors = _Errors()
    name = _check_name(errors, name, max_length=200)
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            errors.add("website", "Indiquez une adresse web complète (https://…).")
    if level not in EventPartner.Level.values:
        errors.add("level", "Niveau de partenariat inconnu.")
    _check_position(errors, position)
    clean_logo = None
    if logo is not None:
        try:
            clean_logo = clean_image(logo)
        except ValidationError as exc:
            for message in exc.messages:
                errors.add("logo", message)
    errors.raise_if_any()
    return name, clean_logo


@transaction.atomic
def partner_add(
    *,
    actor,
    event: Event,
    name: str,
    website: str = "",
    logo: UploadedFile | None = None,
    level: str = EventPartner.Level.PARTNER,
    position: int = 0,
) -> EventPartner:
    event = _locked_event(event, actor)
    name, logo = _validate_partner(
        name=name, website=website, logo=logo, level=level, position=position
    )
    partner = Partner(name=name, website=website)
    if logo is not None:
        partner.logo = logo
    partner.save()
    link = EventPartner.objects.create(event=event, partner=partner, level=level, position=position)
    audit_log(
        actor=actor,
        action="event.partner_added",
        target=event,
        organization=event.organization,
        data={"partner": partner.pk, "name": name, "level": level},
    )
    return link


@transaction.atomic
def partner_update(
    *,
    actor,
    event_partner: EventPartner,
    name: str,
    website: str = "",
    logo: UploadedFile | None = None,
    level: str = EventPartner.Level.PARTNER,
    position: int = 0,
) -> EventPartner:
    event = _locked_event(event_partner.event, actor)
    link = EventPartner.objects.select_related("partner").get(pk=event_partner.pk, event=event)
    name, logo = _validate_partner(
        name=name, website=website, logo=logo, level=level, position=position
    )
    partner = old = link.partner
    if partner.event_links.exclude(event=event).exists():
        # Shared with another event (a duplicate, or set by staff): edit a copy, so the
        # change stays on this event.
        partner = Partner(logo=old.logo, organization=old.organization)
        link.partner = partner
    partner.name, partner.website = name, website
    if logo is not None:
        partner.logo = logo
    partner.save()
    if partner is not old:
        Space.objects.filter(universe__event=event, partner=old).update(partner=partner)
    link.level, link.position = level, position
    link.save()
    audit_log(
        actor=actor,
        action="event.partner_updated",
        target=event,
        organization=event.organization,
        data={"partner": partner.pk, "name": name, "level": level},
    )
    return link


@transaction.atomic
def partner_remove(*, actor, event_partner: EventPartner) -> None:
    event = _locked_event(event_partner.event, actor)
    link = EventPartner.objects.select_related("partner").get(pk=event_partner.pk, event=event)
    partner = link.partner
    partner_pk = partner.pk
    Space.objects.filter(universe__event=event, partner=partner).update(partner=None)
    link.delete()
    if not partner.event_links.exists() and not partner.spaces.exists():
        partner.delete()
    audit_log(
        actor=actor,
        action="event.partner_removed",
        target=event,
        organization=event.organization,
        data={"partner": partner_pk, "name": partner.name},
    )


# --- Universes ------------------------------------------------------------------------------


def _validate_universe(*, name: str, position: int) -> str:
    errors = _Errors()
    name = _check_name(errors, name, max_length=120)
    _check_position(errors, position)
    errors.raise_if_any()
    return name


@transaction.atomic
def universe_create(
    *, actor, event: Event, name: str, description: str = "", position: int = 0
) -> Universe:
    event = _locked_event(event, actor)
    name = _validate_universe(name=name, position=position)
    universe = Universe.objects.create(
        event=event, name=name, description=description.strip(), position=position
    )
    audit_log(
        actor=actor,
        action="event.universe_created",
        target=universe,
        organization=event.organization,
    )
    return universe


@transaction.atomic
def universe_update(
    *, actor, universe: Universe, name: str, description: str = "", position: int = 0
) -> Universe:
    event = _locked_event(universe.event, actor)
    universe = Universe.objects.get(pk=universe.pk, event=event)
    universe.name = _validate_universe(name=name, position=position)
    universe.description, universe.position = description.strip(), position
    universe.save()
    audit_log(
        actor=actor,
        action="event.universe_updated",
        target=universe,
        organization=event.organization,
    )
    return universe


@transaction.atomic
def universe_delete(*, actor, universe: Universe) -> None:
    """Delete a universe and its spaces; their sessions stay, without a space."""
    event = _locked_event(universe.event, actor)
    universe = Universe.objects.get(pk=universe.pk, event=event)
    audit_log(
        actor=actor,
        action="event.universe_deleted",
        target=universe,
        organization=event.organization,
        data={"name": universe.name},
    )
    universe.delete()


# --- Spaces ---------------------------------------------------------------------------------


@dataclass
class SpaceData:
    name: str
    description: str = ""
    trade_ids: Iterable[int] = ()
    partner: Partner | None = None
    position: int = 0


def _validate_space(event: Event, data: SpaceData) -> tuple[str, list[int]]:
    errors = _Errors()
    name = _check_name(errors, data.name, max_length=160)
    _check_position(errors, data.position)
    trade_ids = sorted({int(pk) for pk in data.trade_ids})
    if len(trade_ids) != Trade.objects.filter(pk__in=trade_ids).count():
        errors.add("trades", "Un des métiers choisis n'existe pas.")
    if (
        data.partner is not None
        and not EventPartner.objects.filter(event=event, partner=data.partner).exists()
    ):
        errors.add("partner", "Ce partenaire n'est pas un partenaire de cet événement.")
    errors.raise_if_any()
    return name, trade_ids


def _apply_space(space: Space, data: SpaceData, name: str, trade_ids: list[int]) -> None:
    space.name, space.description = name, data.description.strip()
    space.partner, space.position = data.partner, data.position
    space.save()
    space.trades.set(trade_ids)


@transaction.atomic
def space_create(*, actor, universe: Universe, data: SpaceData) -> Space:
    event = _locked_event(universe.event, actor)
    universe = Universe.objects.get(pk=universe.pk, event=event)
    name, trade_ids = _validate_space(event, data)
    space = Space(universe=universe)
    _apply_space(space, data, name, trade_ids)
    audit_log(
        actor=actor, action="event.space_created", target=space, organization=event.organization
    )
    return space


@transaction.atomic
def space_update(
    *, actor, space: Space, data: SpaceData, universe: Universe | None = None
) -> Space:
    """Edit a space; ``universe`` moves it to another universe of the same event."""
    event = _locked_event(space.universe.event, actor)
    space = Space.objects.get(pk=space.pk, universe__event=event)
    if universe is not None and universe.event_id != event.pk:
        raise ValidationError({"universe": "Cet univers n'appartient pas à cet événement."})
    name, trade_ids = _validate_space(event, data)
    if universe is not None:
        space.universe = universe
    _apply_space(space, data, name, trade_ids)
    audit_log(
        actor=actor, action="event.space_updated", target=space, organization=event.organization
    )
    return space


@transaction.atomic
def space_delete(*, actor, space: Space) -> None:
    """Delete a space; its sessions stay, without a space."""
    event = _locked_event(space.universe.event, actor)
    space = Space.objects.get(pk=space.pk, universe__event=event)
    audit_log(
        actor=actor,
        action="event.space_deleted",
        target=space,
        organization=event.organization,
        data={"name": space.name},
    )
    space.delete()


# --- Sessions -------------------------------------------------------------------------------


@dataclass
class SessionData:
    kind: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    description: str = ""
    space: Space | None = None
    capacity: int | None = None
    audience: str = ""
    school_groups_only: bool = False
    invitation_only: bool = False

    @classmethod
    def from_session(cls, session: Session) -> SessionData:
        return cls(
            kind=session.kind,
            title=session.title,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            description=session.description,
            space=session.space,
            capacity=session.capacity,
            audience=session.audience,
            school_groups_only=session.school_groups_only,
            invitation_only=session.invitation_only,
        )


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def _validate_session(event: Event, data: SessionData, *, session: Session | None) -> str:
    errors = _Errors()
    if data.kind not in Session.Kind.values:
        errors.add("kind", "Type de séance inconnu.")
    title = _check_name(errors, data.title, max_length=200, field="title")
    if data.audience and data.audience not in Audience.values:
        errors.add("audience", "Public inconnu.")
    for name in ("starts_at", "ends_at"):
        if timezone.is_naive(getattr(data, name)):
            errors.add(name, "La date doit préciser son fuseau horaire.")
    errors.raise_if_any()

    if data.ends_at < data.starts_at:
        errors.add("ends_at", "La fin de la séance doit être après son début.")
    if data.starts_at < event.starts_at or data.starts_at > event.ends_at:
        errors.add(
            "starts_at",
            f"La séance doit commencer pendant l'événement (du {_local(event.starts_at)} "
            f"au {_local(event.ends_at)}).",
        )
    if data.ends_at > event.ends_at or data.ends_at < event.starts_at:
        errors.add(
            "ends_at",
            f"La séance doit finir avant la fin de l'événement ({_local(event.ends_at)}).",
        )
    if data.capacity is not None:
        # Confirmed seats and pending waiting-list offers: both are promised.
        confirmed = seats_taken(event, session) if session is not None else 0
        if data.capacity < 1:
            errors.add("capacity", "La capacité doit être d'au moins une place.")
        elif data.capacity < confirmed:
            errors.add(
                "capacity",
                f"La capacité ({data.capacity}) ne peut pas être inférieure aux {confirmed} "
                "places déjà confirmées pour cette séance.",
            )
    if data.space is not None and data.space.universe.event_id != event.pk:
        errors.add("space", "Cet espace n'appartient pas à cet événement.")
    errors.raise_if_any()
    return title


def _apply_session(session: Session, data: SessionData, title: str) -> None:
    session.kind, session.title = data.kind, title
    session.description = data.description.strip()
    session.starts_at, session.ends_at = data.starts_at, data.ends_at
    session.space, session.capacity, session.audience = data.space, data.capacity, data.audience
    session.school_groups_only = data.school_groups_only
    session.invitation_only = data.invitation_only
    session.save()


@transaction.atomic
def session_create(*, actor, event: Event, data: SessionData) -> Session:
    event = _locked_event(event, actor)
    title = _validate_session(event, data, session=None)
    session = Session(event=event)
    _apply_session(session, data, title)
    audit_log(
        actor=actor,
        action="event.session_created",
        target=session,
        organization=event.organization,
    )
    return session


@transaction.atomic
def session_update(*, actor, session: Session, data: SessionData) -> Session:
    event = _locked_event(session.event, actor)
    # Locked after the event, so seats_confirmed cannot move while the capacity is checked.
    session = Session.objects.select_for_update().get(pk=session.pk, event=event)
    capacity_before = session.capacity
    title = _validate_session(event, data, session=session)
    _apply_session(session, data, title)
    # Both rows are locked: a raised capacity serves the waiting list now, in order (each
    # promotion or offer is audited and mailed after commit by the waiting-list service).
    served = promote_waitlist(event=event, session=session)
    audit_log(
        actor=actor,
        action="event.session_updated",
        target=session,
        organization=event.organization,
        data={
            "capacity_before": capacity_before,
            "capacity": session.capacity,
            "waitlist_served": len(served),
        },
    )
    return session


@transaction.atomic
def session_delete(*, actor, session: Session) -> None:
    event = _locked_event(session.event, actor)
    session = Session.objects.select_for_update().get(pk=session.pk, event=event)
    # Deleting would cascade to registrations: people would lose their seat silently.
    if session.registrations.exists():
        raise ValidationError(
            "Cette séance a déjà des inscriptions : elle ne peut pas être supprimée."
        )
    audit_log(
        actor=actor,
        action="event.session_deleted",
        target=session,
        organization=event.organization,
        data={"title": session.title},
    )
    session.delete()


def _parse_emails(emails: str | Iterable[str]) -> list[str]:
    lines = emails.splitlines() if isinstance(emails, str) else list(emails)
    errors: list[str] = []
    found: dict[str, None] = {}
    for number, raw in enumerate(lines, start=1):
        # One address per line; commas and semicolons from a pasted spreadsheet also split.
        for part in raw.replace(";", ",").split(","):
            address = part.strip()
            if not address:
                continue
            try:
                validate_email(address)
            except ValidationError:
                errors.append(
                    f"Ligne {number} : « {address[:80]} » n'est pas une adresse e-mail valide."
                )
                continue
            found.setdefault(address.lower(), None)
    if not errors and len(found) > MAX_INVITATIONS:
        errors.append(f"{MAX_INVITATIONS} invitations au maximum par séance.")
    if errors:
        raise ValidationError({"emails": errors})
    return list(found)


@transaction.atomic
def session_invitations_set(*, actor, session: Session, emails: str | Iterable[str]) -> int:
    """Replace the session's invited addresses; returns how many are invited now."""
    event = _locked_event(session.event, actor)
    session = Session.objects.select_for_update().get(pk=session.pk, event=event)
    wanted = _parse_emails(emails)
    existing = {invitation.email.lower(): invitation.pk for invitation in session.invitations.all()}
    stale = [pk for email, pk in existing.items() if email not in wanted]
    SessionInvitation.objects.filter(pk__in=stale).delete()
    SessionInvitation.objects.bulk_create(
        [SessionInvitation(session=session, email=e) for e in wanted if e not in existing]
    )
    audit_log(
        actor=actor,
        action="event.session_invitations_set",
        target=session,
        organization=event.organization,
        data={"count": len(wanted), "removed": len(stale)},
    )
    return len(wanted)
