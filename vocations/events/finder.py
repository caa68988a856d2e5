"""The event finder: one set of filter rules for the public list, the iCalendar feed and the API.

``parse_filters`` turns query parameters into an ``EventFilters`` and never fails: a value that
makes no sense is ignored and explained by a French warning. ``find_events`` applies the filters
to ``public_events()`` and returns ``EventResults``, a sliceable sequence a Django ``Paginator``
can page through.

Radius search ("près de chez moi"): the centre is the postal code's commune (its coordinates);
a bounding box is applied in SQL on the events' latitude/longitude, then the exact great-circle
distance is computed in Python on the few remaining rows, which are ordered by distance. This is
plain SQL comparisons, so it behaves the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from vocations.careers.models import Sector, Trade
from vocations.core.audiences import Audience
from vocations.events.models import Event, EventAudience
from vocations.events.selectors import annotate_seats_taken, public_events, with_places_left
from vocations.territories.models import Commune, Department, Region

DEFAULT_RADIUS_KM = 30
MAX_RADIUS_KM = 200
MAX_TEXT_LENGTH = 100
EARTH_RADIUS_KM = 6371.0088

# Query parameter names, shared by /evenements/, /evenements.ics and /api/v1/events/.
PARAMS = {
    "region": "region",
    "department": "departement",
    "commune": "commune",
    "postal_code": "code_postal",
    "radius": "rayon",
    "date_from": "du",
    "date_to": "au",
    "kind": "type",
    "audience": "public",
    "sector": "filiere",
    "trade": "metier",
    "places_left": "places",
    "registration_open": "inscriptions",
    "online": "en_ligne",
    "text": "q",
}

_TRUE = {"1", "true", "oui", "on", "yes"}
_FALSE = {"0", "false", "non", "off", "no"}
_ROME_CODE = re.compile(r"^[A-N]\d{4}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class EventFilters:
    region: Region | None = None
    department: Department | None = None
    commune: Commune | None = None
    postal_code: str = ""
    radius_km: int = DEFAULT_RADIUS_KM
    # Centre of the radius search; None when no postal code or its position is unknown.
    center: tuple[float, float] | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kinds: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    sectors: tuple[Sector, ...] = ()
    trade: Trade | None = None
    places_left: bool = False
    # Registration open now: opened (or no opening date), not closed, event not over.
    registration_open: bool = False
    online: bool | None = None
    text: str = ""
    warnings: tuple[str, ...] = ()
    # True when the visitor gave the start date (the default is "from today").
    date_from_given: bool = False

    @property
    def radius_active(self) -> bool:
        return self.center is not None

    def query_items(self) -> list[tuple[str, str]]:
        """The filters as cleaned query parameters (for links that keep them)."""
        items: list[tuple[str, str]] = []
        if self.region:
            items.append((PARAMS["region"], self.region.code))
        if self.department:
            items.append((PARAMS["department"], self.department.code))
        if self.commune:
            items.append((PARAMS["commune"], self.commune.insee_code))
        if self.postal_code:
            items.append((PARAMS["postal_code"], self.postal_code))
            items.append((PARAMS["radius"], str(self.radius_km)))
        if self.date_from and self.date_from_given:
            items.append((PARAMS["date_from"], self.date_from.isoformat()))
        if self.date_to:
            items.append((PARAMS["date_to"], self.date_to.isoformat()))
        items += [(PARAMS["kind"], k) for k in self.kinds]
        items += [(PARAMS["audience"], a) for a in self.audiences]
        items += [(PARAMS["sector"], s.slug) for s in self.sectors]
        if self.trade:
            items.append((PARAMS["trade"], self.trade.rome_code))
        if self.places_left:
            items.append((PARAMS["places_left"], "1"))
        if self.registration_open:
            items.append((PARAMS["registration_open"], "ouvertes"))
        if self.online is not None:
            items.append((PARAMS["online"], "1" if self.online else "0"))
        if self.text:
            items.append((PARAMS["text"], self.text))
        return items


def _show(value: str) -> str:
    """A value quoted back in a warning, short enough to read."""
    return value if len(value) <= 30 else value[:29] + "…"


def _clean(value: Any) -> str:
    # NUL bytes would make PostgreSQL fail; no control character has a meaning here.
    return _CONTROL.sub("", str(value)).strip()[:1000]


def _values(params: Mapping[str, Any], name: str) -> list[str]:
    """Every value of a parameter; repeated (?type=a&type=b) or comma-separated (?type=a,b)."""
    if hasattr(params, "getlist"):
        raw = params.getlist(name)
    else:
        raw = params.get(name) or []
        raw = [raw] if isinstance(raw, str) else list(raw)
    values = []
    for item in raw:
        for part in _clean(item).split(","):
            part = part.strip()
            if part and part not in values:
                values.append(part)
    return values[:50]


def _one(params: Mapping[str, Any], name: str) -> str:
    values = _values(params, name) if name != PARAMS["text"] else _text_values(params, name)
    return values[0] if values else ""


def _text_values(params: Mapping[str, Any], name: str) -> list[str]:
    # Free text may contain commas: keep it whole.
    raw = params.getlist(name) if hasattr(params, "getlist") else [params.get(name) or ""]
    return [v for v in (_clean(r) for r in raw) if v]


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


def _parse_date(value: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def parse_filters(params: Mapping[str, Any], *, today: dt.date | None = None) -> EventFilters:
    """Read the finder's filters; nonsense values are dropped with a French warning."""
    warnings: list[str] = []
    warn = warnings.append
    values: dict[str, Any] = {}

    code = _one(params, PARAMS["region"])
    if code:
        region = Region.objects.filter(code=code[:3]).first() if len(code) <= 3 else None
        if region is None:
            warn(f"Région inconnue ignorée : « {_show(code)} ».")
        values["region"] = region

    code = _one(params, PARAMS["department"]).upper()
    if code:
        department = Department.objects.filter(code=code).first() if len(code) <= 3 else None
        if department is None:
            warn(f"Département inconnu ignoré : « {_show(code)} ».")
        values["department"] = department

    code = _one(params, PARAMS["commune"]).upper()
    if code:
        commune = Commune.objects.filter(insee_code=code).first() if len(code) == 5 else None
        if commune is None:
            warn(f"Commune inconnue ignorée : code INSEE « {_show(code)} ».")
        values["commune"] = commune

    _parse_place(params, values, warn)
    _parse_dates(params, values, warn, today or timezone.localdate())

    kinds = []
    for kind in _values(params, PARAMS["kind"]):
        if kind in Event.Kind.values:
            kinds.append(kind)
        else:
            warn(f"Type inconnu ignoré : « {_show(kind)} ».")
    values["kinds"] = tuple(kinds)

    audiences = []
    for audience in _values(params, PARAMS["audience"]):
        if audience in Audience.values:
            audiences.append(audience)
        else:
            warn(f"Public inconnu ignoré : « {_show(audience)} ».")
    values["audiences"] = tuple(audiences)

    slugs = [s for s in _values(params, PARAMS["sector"]) if len(s) <= 80]
    found = {s.slug: s for s in Sector.objects.filter(slug__in=slugs)} if slugs else {}
    for slug in _values(params, PARAMS["sector"]):
        if slug not in found:
            warn(f"Filière inconnue ignorée : « {_show(slug)} ».")
    values["sectors"] = tuple(found[s] for s in slugs if s in found)

    trade_ref = _one(params, PARAMS["trade"])
    if trade_ref:
        trade = None
        if _ROME_CODE.match(trade_ref.upper()):
            trade = Trade.objects.filter(rome_code=trade_ref.upper()).first()
        elif len(trade_ref) <= 220:
            trade = Trade.objects.filter(slug=trade_ref.lower()).first()
        if trade is None:
            warn(f"Métier inconnu ignoré : « {_show(trade_ref)} ».")
        values["trade"] = trade

    flag = _one(params, PARAMS["places_left"]).lower()
    if flag in _TRUE:
        values["places_left"] = True
    elif flag and flag not in _FALSE:
        warn(f"Filtre « places restantes » ignoré : « {_show(flag)} » n'est ni oui ni non.")

    flag = _one(params, PARAMS["registration_open"]).lower()
    if flag in _TRUE or flag == "ouvertes":
        values["registration_open"] = True
    elif flag and flag not in _FALSE and flag != "toutes":
        warn(f"Filtre « inscriptions ouvertes » ignoré : « {_show(flag)} » n'est ni oui ni non.")

    flag = _one(params, PARAMS["online"]).lower()
    if flag in _TRUE:
        values["online"] = True
    elif flag in _FALSE:
        values["online"] = False
    elif flag and flag != "tous":
        warn(f"Filtre « en ligne » ignoré : « {_show(flag)} » n'est ni oui ni non.")

    text = " ".join(_one(params, PARAMS["text"]).split())
    if len(text) > MAX_TEXT_LENGTH:
        warn(f"Recherche limitée aux {MAX_TEXT_LENGTH} premiers caractères.")
        text = text[:MAX_TEXT_LENGTH].strip()
    values["text"] = text

    return EventFilters(**values, warnings=tuple(warnings))


def _parse_place(params: Mapping[str, Any], values: dict[str, Any], warn) -> None:
    radius_raw = _one(params, PARAMS["radius"]).lower().removesuffix("km").strip()
    radius = DEFAULT_RADIUS_KM
    if radius_raw:
        if radius_raw.isdigit() and len(radius_raw) <= 6:
            radius = int(radius_raw)
            if radius > MAX_RADIUS_KM:
                warn(f"Rayon limité à {MAX_RADIUS_KM} km.")
                radius = MAX_RADIUS_KM
        else:
            warn(
                f"Rayon ignoré : « {_show(radius_raw)} » n'est pas un nombre de kilomètres ; "
                f"{DEFAULT_RADIUS_KM} km utilisés."
            )
    values["radius_km"] = radius

    code = _one(params, PARAMS["postal_code"]).replace(" ", "")
    if not code:
        return
    if not (len(code) == 5 and code.isdigit()):
        warn(f"Code postal ignoré : « {_show(code)} » n'est pas un code postal (5 chiffres).")
        return
    communes = list(
        Commune.objects.filter(postal_codes__code=code).order_by("-population", "insee_code")
    )
    if not communes:
        warn(f"Code postal inconnu ignoré : {code}.")
        return
    values["postal_code"] = code
    if radius == 0:
        return  # "this postal code only": no distance needed.
    located = [c for c in communes if c.latitude is not None and c.longitude is not None]
    if located:
        values["center"] = (located[0].latitude, located[0].longitude)
    else:
        warn(
            f"Recherche autour de {code} impossible : position inconnue pour ce code postal. "
            "Seuls les événements de ce code postal sont affichés."
        )


def _parse_dates(params: Mapping[str, Any], values: dict[str, Any], warn, today) -> None:
    parsed: dict[str, dt.date | None] = {}
    for key in ("date_from", "date_to"):
        raw = _one(params, PARAMS[key])
        parsed[key] = None
        if raw:
            parsed[key] = _parse_date(raw)
            if parsed[key] is None:
                warn(f"Date ignorée : « {_show(raw)} » n'est pas une date.")
    date_from, date_to = parsed["date_from"], parsed["date_to"]
    values["date_from_given"] = date_from is not None
    if date_from is None:
        date_from = today
    if date_to is not None and date_to < date_from:
        if values["date_from_given"]:
            warn("La date de fin précède la date de début : les deux dates ont été inversées.")
            date_from, date_to = date_to, date_from
        else:
            warn(
                "Date de fin ignorée : elle est passée (les événements sont cherchés à partir "
                "d'aujourd'hui)."
            )
            date_to = None
    values["date_from"], values["date_to"] = date_from, date_to


def filtered_queryset(filters: EventFilters) -> QuerySet[Event]:
    """Public events matching every filter except the radius (see ``find_events``)."""
    queryset = annotate_seats_taken(public_events())
    if filters.region:
        queryset = queryset.filter(region_id=filters.region.pk)
    if filters.department:
        queryset = queryset.filter(department_id=filters.department.pk)
    if filters.commune:
        queryset = queryset.filter(commune_id=filters.commune.pk)
    if filters.postal_code and not filters.radius_active:
        queryset = queryset.filter(postal_code=filters.postal_code)
    if filters.date_from:
        # Events still running on the first day count, not only those starting then.
        queryset = queryset.filter(ends_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        queryset = queryset.filter(starts_at__lt=_day_start(filters.date_to + dt.timedelta(1)))
    if filters.kinds:
        queryset = queryset.filter(kind__in=filters.kinds)
    if filters.audiences:
        # A subquery, not a join: an event for two of the audiences must appear once.
        queryset = queryset.filter(
            pk__in=EventAudience.objects.filter(audience__in=filters.audiences).values("event_id")
        )
    if filters.sectors:
        through = Event.sectors.through
        queryset = queryset.filter(
            pk__in=through.objects.filter(sector_id__in=[s.pk for s in filters.sectors]).values(
                "event_id"
            )
        )
    if filters.trade:
        through = Event.trades.through
        queryset = queryset.filter(
            pk__in=through.objects.filter(trade_id=filters.trade.pk).values("event_id")
        )
    if filters.places_left:
        queryset = with_places_left(queryset)
    if filters.registration_open:
        now = timezone.now()
        queryset = queryset.filter(
            Q(registration_opens_at__isnull=True) | Q(registration_opens_at__lte=now),
            Q(registration_closes_at__isnull=True) | Q(registration_closes_at__gt=now),
            ends_at__gt=now,
        )
    if filters.online is not None:
        queryset = queryset.filter(is_online=filters.online)
    if filters.text:
        queryset = queryset.filter(title__icontains=filters.text)
    return queryset


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _bounding_box(
    center: tuple[float, float], radius_km: float
) -> tuple[float, float, float, float]:
    lat, lon = center
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    # Longitude degrees shrink towards the poles; clamp so the box stays finite.
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def _within_radius(
    queryset: QuerySet[Event], center: tuple[float, float], radius_km: int
) -> tuple[list[int], dict[int, float]]:
    south, north, west, east = _bounding_box(center, radius_km)
    rows = queryset.filter(
        latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
    ).values_list("pk", "latitude", "longitude", "starts_at")
    scored = []
    for pk, lat, lon, starts_at in rows:
        distance = haversine_km(center, (lat, lon))
        if distance <= radius_km:
            scored.append((distance, starts_at, pk))
    scored.sort()
    return [pk for _, _, pk in scored], {pk: d for d, _, pk in scored}


CARD_RELATIONS = ("commune", "department", "region", "organization")


@dataclass
class EventResults:
    """The finder's results: counts and slices load only what one page needs."""

    filters: EventFilters
    queryset: QuerySet[Event]
    ordered_ids: list[int] | None = None
    distances: dict[int, float] = field(default_factory=dict)
    prefetch: tuple[Any, ...] = ("audience_rows",)

    def count(self) -> int:
        if self.ordered_ids is not None:
            return len(self.ordered_ids)
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def _loaded(self, queryset: QuerySet[Event]) -> QuerySet[Event]:
        return queryset.select_related(*CARD_RELATIONS).prefetch_related(*self.prefetch)

    def __getitem__(self, key: slice) -> list[Event]:
        if not isinstance(key, slice):
            raise TypeError("EventResults only supports slices.")
        if self.ordered_ids is None:
            return list(self._loaded(self.queryset.order_by("starts_at", "pk"))[key])
        ids = self.ordered_ids[key]
        if not ids:
            return []
        by_id = self._loaded(self.queryset).in_bulk(ids)
        events = [by_id[pk] for pk in ids if pk in by_id]
        for event in events:
            event.distance_km = self.distances.get(event.pk)
        return events

    def stamps(self, limit: int) -> list[tuple[int, Any]]:
        """(id, updated_at) of the first ``limit`` results: a cheap fingerprint for caching."""
        if self.ordered_ids is None:
            rows = self.queryset.order_by("starts_at", "pk").values_list("pk", "updated_at")
            return list(rows[:limit])
        ids = self.ordered_ids[:limit]
        stamps = dict(self.queryset.filter(pk__in=ids).values_list("pk", "updated_at"))
        return [(pk, stamps.get(pk)) for pk in ids]

    def located(self, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` events with coordinates, as small dicts for the map."""
        fields = ("pk", "slug", "title", "kind", "starts_at", "latitude", "longitude")
        located = self.queryset.filter(latitude__isnull=False, longitude__isnull=False)
        if self.ordered_ids is not None:
            keep = set(self.ordered_ids[:limit])
            rows = list(located.filter(pk__in=keep).values(*fields))
            rank = {pk: i for i, pk in enumerate(self.ordered_ids[:limit])}
            return sorted(rows, key=lambda r: rank[r["pk"]])
        return list(located.order_by("starts_at", "pk").values(*fields)[:limit])


def find_events(
    filters: EventFilters, *, prefetch: Iterable[Any] = ("audience_rows",)
) -> EventResults:
    queryset = filtered_queryset(filters)
    results = EventResults(filters=filters, queryset=queryset, prefetch=tuple(prefetch))
    if filters.radius_active:
        results.ordered_ids, results.distances = _within_radius(
            queryset, filters.center, filters.radius_km
        )
    return results


# What the API and the feed show for each event, loaded in a constant number of queries.
FEED_PREFETCH = ("audience_rows", "sectors", "trades")
