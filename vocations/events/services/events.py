"""Create, edit, duplicate, publish and unpublish events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from vocations.accounts.models import Organization
from vocations.accounts.permissions import require
from vocations.core.audiences import Audience
from vocations.core.images import clean_image
from vocations.core.services import audit_log
from vocations.core.text import MULTI_LINE_MESSAGE, has_line_break
from vocations.events import signals
from vocations.events.models import Event, EventAudience, Label
from vocations.events.selectors import seats_taken
from vocations.events.services.waitlist import OFFER_HOURS_CHOICES, promote_waitlist
from vocations.territories.models import Commune, PostalCode

PAST_START = "La date de début est passée : choisissez une date à venir."

# Fields copied as they are from EventData onto the model.
_PLAIN_FIELDS = (
    "kind",
    "title",
    "summary",
    "description",
    "starts_at",
    "ends_at",
    "is_online",
    "online_url",
    "venue_name",
    "address",
    "latitude",
    "longitude",
    "access_info",
    "accessibility_info",
    "is_open_to_public",
    "is_free",
    "price_info",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "accepts_groups",
    "max_group_size",
    "waitlist_offer_hours",
    "max_companions",
    "image_alt",
)


@dataclass
class EventData:
    """What an organizer states about an event, from a form or an API payload."""

    kind: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str = ""
    description: str = ""
    is_online: bool = False
    online_url: str = ""
    commune_insee: str = ""
    postal_code: str = ""
    venue_name: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    access_info: str = ""
    accessibility_info: str = ""
    is_open_to_public: bool = True
    is_free: bool = True
    price_info: str = ""
    audiences: list[str] = field(default_factory=list)
    sector_ids: list[int] = field(default_factory=list)
    trade_ids: list[int] = field(default_factory=list)
    capacity: int | None = None
    registration_opens_at: dt.datetime | None = None
    registration_closes_at: dt.datetime | None = None
    accepts_groups: bool = False
    max_group_size: int | None = None
    # None: the waiting list is confirmed automatically; else offers valid this many hours.
    waitlist_offer_hours: int | None = None
    max_companions: int = 0
    image: UploadedFile | None = None
    image_alt: str = ""

    @classmethod
    def from_event(cls, event: Event) -> EventData:
        values = {name: getattr(event, name) for name in _PLAIN_FIELDS}
        return cls(
            **values,
            commune_insee=event.commune.insee_code if event.commune_id else "",
            postal_code=event.postal_code,
            audiences=[row.audience for row in event.audience_rows.all()],
            sector_ids=[s.pk for s in event.sectors.all()],
            trade_ids=[t.pk for t in event.trades.all()],
        )


def _validate(data: EventData, *, event: Event | None = None) -> tuple[Commune | None, object]:
    """Check every rule; raise one ValidationError listing all problems, by field.

    Returns the commune and the re-encoded image (None when no new image was sent).
    """
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.kind not in Event.Kind.values:
        add("kind", "Type d'événement inconnu.")
    if not data.title or not data.title.strip():
        add("title", "Le titre est obligatoire.")
    elif len(data.title) > 200:
        add("title", "Le titre ne doit pas dépasser 200 caractères.")
    elif has_line_break(data.title):
        add("title", MULTI_LINE_MESSAGE)
    for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        value = getattr(data, name)
        if value is not None and timezone.is_naive(value):
            add(name, "La date doit préciser son fuseau horaire.")
    if errors:
        raise ValidationError(errors)

    if data.ends_at < data.starts_at:
        add("ends_at", "La fin de l'événement doit être après son début.")
    # A new event, or new dates, must lie ahead; an event already under way or over keeps
    # its dates when other fields are edited (a corrected description, an outcome note).
    if (event is None or data.starts_at != event.starts_at) and data.starts_at <= timezone.now():
        add("starts_at", PAST_START)
    opens, closes = data.registration_opens_at, data.registration_closes_at
    if opens and closes and closes <= opens:
        add("registration_closes_at", "La clôture des inscriptions doit suivre leur ouverture.")
    if closes and closes > data.ends_at:
        add(
            "registration_closes_at", "Les inscriptions doivent fermer avant la fin de l'événement."
        )
    if opens and opens > data.ends_at:
        add("registration_opens_at", "Les inscriptions doivent ouvrir avant la fin de l'événement.")

    unknown = sorted(set(data.audiences) - set(Audience.values))
    if unknown:
        add("audiences", f"Public inconnu : {', '.join(unknown)}.")

    if data.capacity is not None:
        if data.capacity < 1:
            add("capacity", "La capacité doit être d'au moins une place.")
        elif event is not None and data.capacity < (taken := seats_taken(event)):
            add(
                "capacity",
                f"La capacité ({data.capacity}) ne peut pas être inférieure aux {taken} places "
                "déjà réservées.",
            )
    if data.waitlist_offer_hours is not None and data.waitlist_offer_hours not in (
        OFFER_HOURS_CHOICES
    ):
        hours = ", ".join(str(h) for h in OFFER_HOURS_CHOICES)
        add("waitlist_offer_hours", f"Choisissez un délai de réponse de {hours} heures.")
    if data.accepts_groups and data.max_group_size is not None and data.max_group_size < 1:
        add("max_group_size", "La taille maximale d'un groupe doit être d'au moins 1.")
    if (
        data.capacity is not None
        and data.max_group_size is not None
        and data.max_group_size > data.capacity
    ):
        add("max_group_size", "Un groupe ne peut pas dépasser la capacité de l'événement.")
    if not isinstance(data.max_companions, int) or not 0 <= data.max_companions <= 10:
        add("max_companions", "Le nombre d'accompagnants va de 0 à 10 par inscription.")
    if not data.is_free and not data.price_info.strip():
        add("price_info", "Indiquez le tarif d'un événement payant.")

    commune = None
    if data.is_online:
        if not data.online_url:
            add("online_url", "Indiquez le lien de la session en ligne.")
    else:
        commune = _resolve_commune(data, add)
    for name, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        value = getattr(data, name)
        if value is not None and not low <= value <= high:
            add(name, f"Valeur hors limites ({low} à {high}).")
    image = None
    if data.image is not None:
        try:
            image = clean_image(data.image)
        except ValidationError as exc:
            for message in exc.messages:
                add("image", message)
    if errors:
        raise ValidationError(errors)
    return commune, image


def _resolve_commune(data: EventData, add) -> Commune | None:
    postal_code = (data.postal_code or "").strip()
    insee = (data.commune_insee or "").strip().upper()
    if not postal_code and not insee:
        add("commune_insee", "Indiquez la commune de l'événement (ou cochez « en ligne »).")
        return None
    if postal_code and not (len(postal_code) == 5 and postal_code.isdigit()):
        add("postal_code", f"« {postal_code[:20]} » n'est pas un code postal (5 chiffres).")
        return None
    if insee:
        commune = Commune.objects.select_related("department").filter(insee_code=insee).first()
        if commune is None:
            add("commune_insee", f"Commune inconnue : code INSEE « {insee[:10]} ».")
            return None
        if (
            postal_code
            and not PostalCode.objects.filter(code=postal_code, commune=commune).exists()
        ):
            add("postal_code", f"Le code postal {postal_code} ne correspond pas à {commune.name}.")
            return None
        return commune
    communes = list(Commune.objects.filter(postal_codes__code=postal_code)[:2])
    if not communes:
        add("postal_code", f"Code postal inconnu : {postal_code}.")
        return None
    if len(communes) > 1:
        add(
            "commune_insee",
            f"Plusieurs communes ont le code postal {postal_code} : choisissez-en une.",
        )
        return None
    return communes[0]


def _apply(event: Event, data: EventData, commune: Commune | None, image) -> None:
    for name in _PLAIN_FIELDS:
        setattr(event, name, getattr(data, name))
    event.title = data.title.strip()
    if data.is_online:
        event.commune = event.department = event.region = None
        event.postal_code = ""
    else:
        event.commune = commune
        event.department_id = commune.department_id
        event.region_id = commune.region_id
        event.postal_code = data.postal_code or _first_postal_code(commune)
        if data.latitude is None and commune.latitude is not None:
            event.latitude, event.longitude = commune.latitude, commune.longitude
    if not data.accepts_groups:
        event.max_group_size = None
    if image is not None:
        event.image = image


def _first_postal_code(commune: Commune) -> str:
    return (
        PostalCode.objects.filter(commune=commune)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
        or ""
    )


def _save_relations(event: Event, data: EventData) -> None:
    EventAudience.objects.filter(event=event).exclude(audience__in=data.audiences).delete()
    existing = set(EventAudience.objects.filter(event=event).values_list("audience", flat=True))
    EventAudience.objects.bulk_create(
        [EventAudience(event=event, audience=a) for a in sorted(set(data.audiences) - existing)]
    )
    event.sectors.set(data.sector_ids)
    event.trades.set(data.trade_ids)


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:200] or "evenement"
    slug, n = base, 2
    taken = Event.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def event_create(*, actor, organization: Organization, data: EventData) -> Event:
    require(actor, "change", organization)
    commune, image = _validate(data)
    event = Event(organization=organization, slug=_unique_slug(data.title))
    _apply(event, data, commune, image)
    event.save()
    _save_relations(event, data)
    Label.objects.create(event=event)
    audit_log(actor=actor, action="event.created", target=event, organization=organization)
    return event


@transaction.atomic
def event_update(*, actor, event: Event, data: EventData) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actor, "change", event.organization)
    capacity_before = event.capacity
    commune, image = _validate(data, event=event)
    _apply(event, data, commune, image)
    event.save()
    _save_relations(event, data)
    # The row is locked: a raised capacity serves whoever waits, in order (confirmed or
    # offered, each audited and mailed after commit by the waiting-list service).
    served = promote_waitlist(event=event)
    audit_log(
        actor=actor,
        action="event.updated",
        target=event,
        organization=event.organization,
        data={
            "capacity_before": capacity_before,
            "capacity": event.capacity,
            "waitlist_served": len(served),
        },
    )
    signals.event_changed.send(Event, event=event, change="updated")
    return event


@transaction.atomic
def event_duplicate(*, actor, event: Event, starts_at: dt.datetime | None = None) -> Event:
    """A new draft copying everything but dates (shifted), label and registrations."""
    require(actor, "change", event.organization)
    data = EventData.from_event(event)
    if starts_at is not None:
        shift = starts_at - event.starts_at
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            value = getattr(data, name)
            if value is not None:
                setattr(data, name, value + shift)
    data.title = f"{event.title} (copie)"[:200]
    copy = event_create(actor=actor, organization=event.organization, data=data)
    copy.duplicated_from = event
    copy.image = event.image
    copy.save(update_fields=["duplicated_from", "image"])
    for link in event.event_partners.all():
        copy.event_partners.create(partner=link.partner, level=link.level, position=link.position)
    audit_log(
        actor=actor,
        action="event.duplicated",
        target=copy,
        organization=event.organization,
        data={"from": event.pk},
    )
    return copy


@transaction.atomic
def event_publish(*, actor, event: Event) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actor, "change", event.organization)
    if not event.is_published and event.ends_at <= timezone.now():
        raise ValidationError("L'événement est terminé : il ne peut plus être publié.")
    if not event.is_published:
        event.is_published = True
        event.published_at = timezone.now()
        event.save(update_fields=["is_published", "published_at", "updated_at"])
        audit_log(
            actor=actor, action="event.published", target=event, organization=event.organization
        )
        signals.event_published.send(Event, event=event)
    return event


@transaction.atomic
def event_unpublish(*, actor, event: Event) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actor, "change", event.organization)
    if event.is_published:
        event.is_published = False
        event.save(update_fields=["is_published", "updated_at"])
        audit_log(
            actor=actor, action="event.unpublished", target=event, organization=event.organization
        )
        signals.event_changed.send(Event, event=event, change="unpublished")
    return event


EVENT_DATA_FIELDS = tuple(f.name for f in fields(EventData))
