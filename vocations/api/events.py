"""Open data feed of labelled events: GET /api/v1/events/ and GET /api/v1/events/{id}/.

Filters are the finder's (vocations.events.finder), read from the same query parameters as
/evenements/. A value that makes no sense never fails the request: it is ignored and explained
in French in the response's ``warnings`` list (docs/events.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import BeforeValidator, Field

from vocations.analytics.open_data import LICENCE, LICENCE_LINK
from vocations.core.audiences import Audience
from vocations.events.finder import FEED_PREFETCH, find_events, parse_filters
from vocations.events.links import event_url
from vocations.events.models import Event
from vocations.events.selectors import annotate_seats_taken, public_events, seats_left

router = Router(tags=["Événements"])

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def _lenient_int(value: Any) -> int | None:
    # Documented as an integer, but a bad value becomes a warning, not a 422 (docs/events.md).
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _lenient_str(value: Any) -> Any:
    return value if isinstance(value, str | list) else None


LenientInt = Annotated[int | None, BeforeValidator(_lenient_int)]
LenientStr = Annotated[str | None, BeforeValidator(_lenient_str)]
LenientList = Annotated[list[str] | None, BeforeValidator(_lenient_str)]


class FinderQuery(Schema):
    """The finder's parameters, as /evenements/ reads them (documentation of the spec)."""

    region: LenientStr = Field(None, description="Code INSEE de la région, ex. 84.")
    departement: LenientStr = Field(None, description="Code du département, ex. 69 ou 2A.")
    commune: LenientStr = Field(None, description="Code INSEE de la commune, ex. 69123.")
    code_postal: LenientStr = Field(
        None, description="Code postal (5 chiffres) : recherche autour de sa commune."
    )
    rayon: LenientInt = Field(
        None, description="Rayon autour du code postal en km (défaut 30, max 200, 0 = ce code)."
    )
    du: LenientStr = Field(None, description="Date de début (AAAA-MM-JJ), défaut : aujourd'hui.")
    au: LenientStr = Field(None, description="Date de fin incluse (AAAA-MM-JJ).")
    type: LenientList = Field(
        None, description="Type(s) d'événement, répétable : " + ", ".join(Event.Kind.values)
    )
    public: LenientList = Field(
        None, description="Public(s) visé(s), répétable : " + ", ".join(Audience.values)
    )
    filiere: LenientList = Field(None, description="Slug(s) de filière, répétable.")
    metier: LenientStr = Field(None, description="Code ROME (ex. H2913) ou slug du métier.")
    places: LenientStr = Field(None, description="1 : seulement s'il reste des places.")
    en_ligne: LenientStr = Field(None, description="1 : en ligne seulement ; 0 : sur place.")
    q: LenientStr = Field(None, description="Mots contenus dans le titre.")
    limit: LenientInt = Field(None, description=f"Taille de page, 1 à {MAX_LIMIT} (défaut 20).")
    offset: LenientInt = Field(None, description="Nombre d'événements à sauter (défaut 0).")


class Place(Schema):
    commune: str | None = Field(description="Nom de la commune.")
    insee_code: str | None = Field(description="Code INSEE de la commune.")
    postal_code: str | None
    department: str | None = Field(description="Code du département (ex. « 69 », « 2A »).")
    region: str | None = Field(description="Code INSEE de la région (ex. « 84 »).")
    latitude: float | None
    longitude: float | None
    address: str = Field(description="Lieu et adresse, tels que l'organisateur les donne.")


class SectorOut(Schema):
    slug: str
    name: str


class TradeOut(Schema):
    rome_code: str = Field(description="Code ROME 4.0 (ex. H2913).")
    title: str


class EventOut(Schema):
    id: int
    slug: str
    url: str = Field(description="Page publique de l'événement.")
    title: str
    kind: str = Field(description="Type d'événement : " + ", ".join(Event.Kind.values) + ".")
    kind_label: str
    summary: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    is_online: bool
    place: Place | None = Field(description="Null pour un événement en ligne.")
    audiences: list[str] = Field(description="Codes des publics visés.")
    sectors: list[SectorOut]
    trades: list[TradeOut]
    is_free: bool
    capacity: int | None = Field(description="Null : sans limite de places.")
    seats_left: int | None = Field(description="Places restantes ; null si sans limite.")
    organizer: str
    label: str = Field(description="Toujours « labelled » : seuls les événements labellisés.")
    updated_at: dt.datetime


class LicenceOut(Schema):
    name: str = Field(description="Licence Ouverte / Open Licence version 2.0 (Etalab).")
    url: str
    attribution: str = Field(description="Mention de la source à reprendre.")


class EventPage(Schema):
    licence: LicenceOut = Field(description="Licence de réutilisation du flux.")
    count: int = Field(description="Nombre total d'événements correspondant aux filtres.")
    next: str | None
    previous: str | None
    warnings: list[str] = Field(description="Filtres ignorés et pourquoi, en français.")
    results: list[EventOut]


class ErrorOut(Schema):
    detail: str


def _place(event: Event) -> dict[str, Any] | None:
    if event.is_online:
        return None
    return {
        "commune": event.commune.name if event.commune else None,
        "insee_code": event.commune.insee_code if event.commune else None,
        "postal_code": event.postal_code or None,
        "department": event.department.code if event.department else None,
        "region": event.region.code if event.region else None,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "address": ", ".join(p for p in (event.venue_name, event.address) if p),
    }


def serialize(event: Event) -> dict[str, Any]:
    return {
        "id": event.pk,
        "slug": event.slug,
        "url": event_url(event),
        "title": event.title,
        "kind": event.kind,
        "kind_label": event.get_kind_display(),
        "summary": event.summary,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "is_online": event.is_online,
        "place": _place(event),
        "audiences": sorted(
            (row.audience for row in event.audience_rows.all()), key=Audience.values.index
        ),
        "sectors": [{"slug": s.slug, "name": s.name} for s in event.sectors.all()],
        "trades": [{"rome_code": t.rome_code, "title": t.title} for t in event.trades.all()],
        "is_free": event.is_free,
        "capacity": event.capacity,
        "seats_left": seats_left(event),
        "organizer": event.organization.name,
        "label": "labelled",
        "updated_at": event.updated_at,
    }


def _page_url(request: HttpRequest, *, offset: int, limit: int) -> str:
    params = [
        (key, value)
        for key, values in request.GET.lists()
        if key not in ("offset", "limit")
        for value in values
    ]
    params += [("limit", str(limit)), ("offset", str(offset))]
    return request.build_absolute_uri(request.path + "?" + urlencode(params))


def _paging(request: HttpRequest, warnings: list[str]) -> tuple[int, int]:
    limit, offset = DEFAULT_LIMIT, 0
    raw = request.GET.get("limit", "").strip()
    if raw:
        if raw.isdigit() and len(raw) <= 6 and int(raw) >= 1:
            limit = min(int(raw), MAX_LIMIT)
            if int(raw) > MAX_LIMIT:
                warnings.append(f"Limite ramenée à {MAX_LIMIT} événements par page.")
        else:
            warnings.append(
                f"Limite ignorée : « {raw[:30]} » n'est pas un nombre entre 1 et {MAX_LIMIT}."
            )
    raw = request.GET.get("offset", "").strip()
    if raw:
        if raw.isdigit() and len(raw) <= 9:
            offset = int(raw)
        else:
            warnings.append(f"Décalage ignoré : « {raw[:30]} » n'est pas un entier positif.")
    return limit, offset


@router.get(
    "/",
    response=EventPage,
    url_name="events_list",
    summary="Événements labellisés (filtrables comme le moteur de recherche du site)",
)
def list_events(request: HttpRequest, response: HttpResponse, params: Query[FinderQuery]):
    # The declared parameters document the API; the finder reads the raw query string so the
    # site, the .ics feed and the API apply exactly the same rules.
    filters = parse_filters(request.GET)
    warnings = list(filters.warnings)
    limit_value, offset_value = _paging(request, warnings)
    results = find_events(filters, prefetch=FEED_PREFETCH)
    count = results.count()
    events = results[offset_value : offset_value + limit_value] if offset_value < count else []
    following = offset_value + limit_value
    response["Link"] = LICENCE_LINK
    return {
        "licence": LICENCE,
        "count": count,
        "next": _page_url(request, offset=following, limit=limit_value)
        if following < count
        else None,
        "previous": _page_url(
            request, offset=max(0, min(offset_value, count) - limit_value), limit=limit_value
        )
        if offset_value > 0
        else None,
        "warnings": warnings,
        "results": [serialize(e) for e in events],
    }


@router.get(
    "/{int:event_id}/",
    response={200: EventOut, 404: ErrorOut},
    url_name="events_detail",
    summary="Un événement labellisé",
)
def get_event(request: HttpRequest, event_id: int):
    event = (
        annotate_seats_taken(public_events())
        .select_related("commune", "department", "region", "organization")
        .prefetch_related(*FEED_PREFETCH)
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return Status(404, {"detail": "Événement introuvable (ou non publié)."})
    return Status(200, serialize(event))
