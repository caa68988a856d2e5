"""Test data for the event finder, the event page, the feeds and the API.

Real places with their real coordinates, so distances are known: from Lyon (69002),
Villeurbanne is ~5 km, Vienne ~27 km, Saint-Étienne ~50 km and Grenoble ~95 km away.
Brest has no coordinates (as before the coordinates loader runs).
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone
from django.utils.text import slugify

from vocations.accounts.models import Organization
from vocations.careers.models import Sector, Trade
from vocations.events.models import Event, EventAudience, Label
from vocations.territories.models import Commune, Department, PostalCode, Region

# insee, name, department, postal codes, latitude, longitude, population
COMMUNES = [
    ("69123", "Lyon", "69", ("69001", "69002"), 45.7578, 4.8320, 520_000),
    ("69266", "Villeurbanne", "69", ("69100",), 45.7719, 4.8902, 150_000),
    ("38544", "Vienne", "38", ("38200",), 45.5255, 4.8744, 30_000),
    ("42218", "Saint-Étienne", "42", ("42000",), 45.4397, 4.3872, 170_000),
    ("38185", "Grenoble", "38", ("38000",), 45.1885, 5.7245, 158_000),
    ("29019", "Brest", "29", ("29200",), None, None, 140_000),
]
DEPARTMENTS = [
    ("69", "Rhône", "84"),
    ("38", "Isère", "84"),
    ("42", "Loire", "84"),
    ("29", "Finistère", "53"),
]
REGIONS = [("84", "Auvergne-Rhône-Alpes"), ("53", "Bretagne")]

_counter = itertools.count(1)


def make_geography() -> dict[str, object]:
    places: dict[str, object] = {}
    for code, name in REGIONS:
        places[code] = Region.objects.create(code=code, name=name, slug=slugify(name))
    for code, name, region in DEPARTMENTS:
        places[code] = Department.objects.create(
            code=code, name=name, slug=slugify(name), region=places[region]
        )
    for insee, name, dep, postal_codes, lat, lon, population in COMMUNES:
        department = places[dep]
        commune = Commune.objects.create(
            insee_code=insee,
            name=name,
            department=department,
            region=department.region,
            latitude=lat,
            longitude=lon,
            population=population,
        )
        for postal_code in postal_codes:
            PostalCode.objects.create(code=postal_code, commune=commune)
        places[name] = commune
    return places


def make_organization(name: str = "Forges de Lyon") -> Organization:
    return Organization.objects.create(
        name=name, slug=f"{slugify(name)}-{next(_counter)}", kind="company"
    )


def make_sector(slug: str = "metallurgie", name: str = "Métallurgie") -> Sector:
    return Sector.objects.create(slug=slug, name=name)


def make_trade(rome_code: str = "H2913", title: str = "Soudeur / Soudeuse") -> Trade:
    return Trade.objects.create(rome_code=rome_code, title=title, slug=slugify(title))


def moment(days: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A local time ``days`` days from today."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def make_event(
    *,
    organization: Organization,
    title: str | None = None,
    commune: Commune | None = None,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    audiences: tuple[str, ...] = ("young_people",),
    sectors: tuple[Sector, ...] = (),
    trades: tuple[Trade, ...] = (),
    label_state: str = Label.State.LABELLED,
    is_published: bool = True,
    **fields,
) -> Event:
    """An event straight in the database (the finder reads; services are tested elsewhere)."""
    number = next(_counter)
    title = title or f"Portes ouvertes n° {number}"
    starts_at = starts_at or moment(10)
    values = {
        "kind": Event.Kind.OPEN_DAY,
        "is_online": commune is None,
        "online_url": "" if commune is not None else "https://visio.example.org/session",
    }
    if commune is not None:
        values.update(
            commune=commune,
            department_id=commune.department_id,
            region_id=commune.region_id,
            postal_code=commune.postal_codes.order_by("code").first().code,
            latitude=commune.latitude,
            longitude=commune.longitude,
            venue_name="Usine des Forges",
            address="12 rue de l'Industrie",
        )
    values.update(fields)
    event = Event.objects.create(
        organization=organization,
        title=title,
        slug=f"{slugify(title)[:180]}-{number}",
        starts_at=starts_at,
        ends_at=ends_at or starts_at + dt.timedelta(hours=3),
        is_published=is_published,
        published_at=timezone.now() if is_published else None,
        **values,
    )
    Label.objects.create(event=event, state=label_state)
    EventAudience.objects.bulk_create([EventAudience(event=event, audience=a) for a in audiences])
    event.sectors.set(sectors)
    event.trades.set(trades)
    return event
