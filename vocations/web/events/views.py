"""The public event finder (list, map, calendar), the event page and the .ics files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import OrderedDict
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from vocations.careers.models import Sector, Trade
from vocations.core.audiences import Audience
from vocations.events.finder import (
    DEFAULT_RADIUS_KM,
    PARAMS,
    EventFilters,
    find_events,
    parse_filters,
)
from vocations.events.links import event_url, place_line, short_place
from vocations.events.models import Event, EventPartner
from vocations.events.selectors import public_event_detail, public_events, seats_left
from vocations.territories.models import Department, Region
from vocations.web import ical
from vocations.web.cache import public_page
from vocations.web.formatting import (
    event_dates,
    french_date,
    french_number,
    french_time,
    places_left_text,
)
from vocations.web.registration.state import event_calls_to_action

from . import month
from .jsonld import event_jsonld, render_jsonld
from .links import share_links

PER_PAGE = 20
FEED_NAME = "Événements de l'industrie — Vocations"
FEED_CACHE_PREFIX = "vocations:events-feed:"
FEED_CACHE_SECONDS = 600
MAP_LIMIT = 500
DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = "© les contributeurs d'OpenStreetMap"
VIEWS = {"liste": "Liste", "carte": "Carte", "calendrier": "Calendrier"}
RADIUS_CHOICES = (0, 5, 10, 20, 30, 50, 100, 200)
AUDIENCE_LABELS = dict(Audience.choices)
AUDIENCE_ORDER = {code: i for i, code in enumerate(Audience.values)}


def audience_labels(rows) -> list[str]:
    """Audience names in the vocabulary's order (Jeunes, Parents, …), whatever the row order."""
    codes = sorted((r.audience for r in rows), key=lambda c: AUDIENCE_ORDER.get(c, 99))
    return [AUDIENCE_LABELS.get(c, c) for c in codes]


def _decorate(event: Event) -> Event:
    """Attach the French wording a card shows."""
    event.dates_text = event_dates(event.starts_at, event.ends_at)
    event.place_text = short_place(event)
    event.places_text = places_left_text(seats_left(event))
    event.audience_labels = audience_labels(_rows(event))
    return event


def _rows(event: Event) -> list:
    cache = getattr(event, "_prefetched_objects_cache", {})
    return list(cache["audience_rows"]) if "audience_rows" in cache else []


def _query(items: list[tuple[str, str]], **extra: str) -> str:
    return urlencode(items + [(k, v) for k, v in extra.items() if v])


def _more_count(filters: EventFilters) -> int:
    """How many criteria outside "Près de chez moi" are active (they open "Plus de critères")."""
    return sum(
        bool(value)
        for value in (
            filters.region,
            filters.department,
            filters.commune,
            filters.online is not None,
            filters.date_from_given,
            filters.date_to,
            filters.kinds,
            filters.audiences,
            filters.sectors,
            filters.trade,
            filters.text,
            filters.places_left,
            filters.registration_open,
        )
    )


def _form_options(filters: EventFilters) -> dict:
    more = _more_count(filters)
    return {
        "more_count": more,
        "more_open": more > 0,
        "regions": list(Region.objects.order_by("name").only("code", "name")),
        "departments": list(Department.objects.order_by("code").only("code", "name")),
        "sectors": list(Sector.objects.order_by("name").only("slug", "name")),
        "kinds": Event.Kind.choices,
        "audiences": Audience.choices,
        "radius_choices": RADIUS_CHOICES,
        "selected": {
            "region": filters.region.code if filters.region else "",
            "department": filters.department.code if filters.department else "",
            "sectors": [s.slug for s in filters.sectors],
            "trade": filters.trade.rome_code if filters.trade else "",
            "date_from": filters.date_from.isoformat()
            if filters.date_from and filters.date_from_given
            else "",
            "date_to": filters.date_to.isoformat() if filters.date_to else "",
            "radius": filters.radius_km if filters.postal_code else DEFAULT_RADIUS_KM,
            "online": "" if filters.online is None else ("1" if filters.online else "0"),
        },
    }


def _pagination(page, base: str) -> dict:
    """Previous/next and page numbers around the current one; every link keeps the filters."""

    def url(number: int) -> str:
        return "?" + (f"{base}&page={number}" if base else f"page={number}")

    paginator = page.paginator
    links: list[dict] = []
    for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == paginator.ELLIPSIS:
            links.append({"gap": True})
        else:
            links.append({"number": number, "url": url(number), "current": number == page.number})
    return {
        "links": links,
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
    }


# A minute at most: "places left" may lag that much behind, which the spike after a TV
# airing is worth; a labelled or edited event bumps the content version at once anyway.
def _clean_url(request: HttpRequest) -> str | None:
    """The same search without its empty parameters (a GET form sends every field, filled or
    not; finder-form.js drops them, this covers browsers without script), or None when the
    address is already clean. The radius means nothing without a postal code."""
    kept = [
        (key, value)
        for key, values in request.GET.lists()
        for value in values
        if value.strip()
        and not (key == PARAMS["radius"] and not request.GET.get(PARAMS["postal_code"], "").strip())
    ]
    if len(kept) == sum(len(values) for _, values in request.GET.lists()):
        return None
    return request.path + ("?" + urlencode(kept) if kept else "")


@public_page(max_age=60)
def event_list(request: HttpRequest) -> HttpResponse:
    clean = _clean_url(request)
    if clean is not None:
        return redirect(clean)
    filters = parse_filters(request.GET)
    warnings = list(filters.warnings)
    mode = (request.GET.get("vue") or "liste").strip()[:20]
    if mode not in VIEWS:
        warnings.append(f"Vue inconnue ignorée : « {mode} ».")
        mode = "liste"
    items = filters.query_items()
    context = {
        "page_title": "Trouver un événement",
        "page_description": (
            "Salons, forums de recrutement, portes ouvertes, visites d'entreprise : les "
            "événements de l'industrie labellisés près de chez vous."
        ),
        "filters": filters,
        "params": PARAMS,
        "mode": mode,
        "warnings": warnings,
        "view_links": [
            {"code": code, "label": label, "url": "?" + _query(items, vue=code)}
            for code, label in VIEWS.items()
        ],
        "feed_url": reverse("web:event_feed_ics") + ("?" + _query(items) if items else ""),
        "api_url": reverse("api:events_list") + ("?" + _query(items) if items else ""),
        **_form_options(filters),
    }
    if mode == "calendrier":
        context.update(_calendar_context(request, filters, items, warnings))
    else:
        results = find_events(filters)
        paginator = Paginator(results, PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        base = _query(items, vue="" if mode == "liste" else mode)
        context.update(
            page=page,
            events=[_decorate(e) for e in page.object_list],
            total=paginator.count,
            total_text=french_number(paginator.count),
            pagination=_pagination(page, base) if paginator.num_pages > 1 else None,
        )
        if mode == "carte":
            context.update(_map_context(results))
    return render(request, "web/events/list.html", context)


def _map_context(results) -> dict:
    markers = [
        {
            "title": row["title"],
            "url": reverse("web:event_detail", kwargs={"slug": row["slug"]}),
            "lat": row["latitude"],
            "lon": row["longitude"],
            "date": french_date(timezone.localtime(row["starts_at"]).date()),
        }
        for row in results.located(MAP_LIMIT)
    ]
    return {
        "markers": markers,
        "markers_capped": len(markers) >= MAP_LIMIT,
        "map_limit": MAP_LIMIT,
        "tile_url": getattr(settings, "MAP_TILE_URL", DEFAULT_TILE_URL),
        "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION),
    }


def _calendar_context(request, filters: EventFilters, items, warnings: list[str]) -> dict:
    default = filters.date_from if filters.date_from_given else timezone.localdate()
    first, warning = month.parse_month(request.GET.get("mois", ""), default)
    if warning:
        warnings.append(warning)
    first_day, last_day = month.month_bounds(first)
    # The month is what the visitor looks at: past days of it included, within any given dates.
    start = max(first_day, filters.date_from) if filters.date_from_given else first_day
    end = min(last_day, filters.date_to) if filters.date_to else last_day
    events: list[Event] = []
    truncated = False
    if start <= end:
        month_filters = dataclasses.replace(filters, date_from=start, date_to=end)
        results = find_events(month_filters, prefetch=())
        events = results[: month.MONTH_LIMIT + 1]
        # A radius search comes ordered by distance; a day lists its events by time.
        events.sort(key=lambda e: (e.starts_at, e.pk))
        truncated = len(events) > month.MONTH_LIMIT
        events = events[: month.MONTH_LIMIT]
    for event in events:
        event.time_text = french_time(timezone.localtime(event.starts_at))
    grid = month.build_month(first, events, truncated=truncated)
    return {
        "grid": grid,
        "total": len(events),
        "total_text": french_number(len(events)),
        "previous_url": "?" + _query(items, vue="calendrier", mois=grid.previous.strftime("%Y-%m")),
        "next_url": "?" + _query(items, vue="calendrier", mois=grid.next.strftime("%Y-%m")),
        "day_names": ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"),
    }


def trade_url(trade: Trade) -> str | None:
    """Link a trade only where the trade pages exist."""
    for kwargs in ({"slug": trade.slug}, {"rome_code": trade.rome_code}):
        try:
            return reverse("web:trade_detail", kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


def _programme(event: Event) -> list[dict]:
    """Universes → spaces → sessions grouped by day; sessions outside a space come last."""
    by_space: dict[int | None, list] = {}
    for session in event.sessions.all():
        by_space.setdefault(session.space_id, []).append(session)

    def days(sessions) -> list[dict]:
        grouped: OrderedDict[dt.date, list] = OrderedDict()
        for session in sorted(sessions, key=lambda s: (s.starts_at, s.pk)):
            start = timezone.localtime(session.starts_at)
            session.time_text = (
                f"{french_time(start)} – {french_time(timezone.localtime(session.ends_at))}"
            )
            grouped.setdefault(start.date(), []).append(session)
        return [{"label": french_date(d), "sessions": s} for d, s in grouped.items()]

    universes = []
    for universe in event.universes.all():
        spaces = [
            {
                "space": space,
                "trades": [(t, trade_url(t)) for t in space.trades.all()],
                "days": days(by_space.get(space.pk, [])),
            }
            for space in universe.spaces.all()
        ]
        universes.append({"universe": universe, "spaces": spaces})
    loose = by_space.get(None, [])
    if loose:
        universes.append({"universe": None, "spaces": [{"space": None, "days": days(loose)}]})
    return universes


def _partners_by_level(event: Event) -> list[dict]:
    levels: OrderedDict[str, list] = OrderedDict((code, []) for code in EventPartner.Level.values)
    for link in event.event_partners.all():
        levels.setdefault(link.level, []).append(link.partner)
    labels = dict(EventPartner.Level.choices)
    return [
        {"label": labels.get(code, code), "partners": partners}
        for code, partners in levels.items()
        if partners
    ]


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{french_date(local.date())} à {french_time(local)}"


# The event page is shared by every visitor (nginx, then Django's cache): the visit key of a
# tracked link is not in its HTML (web/js/carry-visit.js adds it to the links, as on every
# page), and "places left" may lag this many seconds behind in Django's copy (the counter moves
# without a content-version bump; the registration service checks seats anyway).
EVENT_PAGE_SECONDS = 5


@public_page(max_age=EVENT_PAGE_SECONDS)
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = public_event_detail(slug)
    if event is None:
        raise Http404("Événement introuvable.")
    left = seats_left(event)
    url = event_url(event)
    # Links to the registration pages (never cached, they hold the CSRF token); only a
    # flagship's sessions are loaded (its programme), each carrying its own link.
    sessions = list(event.sessions.all()) if event.kind == Event.Kind.FLAGSHIP else []
    registration = event_calls_to_action(
        event, sessions, has_group_sessions=event.has_open_group_sessions
    )
    for session in sessions:
        session.registration = registration["session_links"].get(session.pk)
    image_url = ""
    if event.image:
        image_url = event.image.url
        if not image_url.startswith("http"):
            image_url = settings.SITE_URL + image_url
    context = {
        "page_title": event.title,
        "page_description": (event.summary or event.description[:200] or event.title),
        "event": event,
        "event_url": url,
        "image_url": image_url,
        "dates_text": event_dates(event.starts_at, event.ends_at),
        "place_text": place_line(event),
        "seats_left": left,
        "places_text": places_left_text(left),
        "audience_labels": audience_labels(event.audience_rows.all()),
        "sectors": list(event.sectors.all()),
        "trades": [(t, trade_url(t)) for t in event.trades.all()],
        "registration_opens": _when(event.registration_opens_at),
        "registration_closes": _when(event.registration_closes_at),
        "partner_levels": _partners_by_level(event),
        "programme": _programme(event) if event.kind == Event.Kind.FLAGSHIP else [],
        "jsonld": render_jsonld(event_jsonld(event)),
        "share_links": share_links(event),
        "map_url": _osm_link(event),
        "registration": registration,
    }
    return render(request, "web/events/detail.html", context)


def _osm_link(event: Event) -> str:
    if event.latitude is None or event.longitude is None:
        return ""
    return (
        "https://www.openstreetmap.org/?"
        + urlencode({"mlat": event.latitude, "mlon": event.longitude})
        + f"#map=16/{event.latitude}/{event.longitude}"
    )


def _ics_response(body: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_safe
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = (
        public_events()
        .select_related("organization", "commune", "department", "region")
        .filter(slug=slug)
        .first()
    )
    if event is None:
        raise Http404("Événement introuvable.")
    body = ical.calendar([event], name=event.title)
    return _ics_response(body, f"{event.slug}.ics", attachment=True)


@require_safe
def event_feed_ics(request: HttpRequest) -> HttpResponse:
    filters = parse_filters(request.GET)
    results = find_events(filters, prefetch=())
    # Serializing 1,000 events takes about a second: the body is cached under a fingerprint of
    # the events it holds (ids and last changes), so any edit, label or date change is seen
    # at once while calendar apps polling the same feed are served from the cache.
    fingerprint = repr((ical.FEED_LIMIT, results.stamps(ical.FEED_LIMIT))).encode()
    key = FEED_CACHE_PREFIX + hashlib.sha256(fingerprint).hexdigest()
    body = cache.get(key)
    if body is None:
        body = ical.calendar(results[: ical.FEED_LIMIT], name=FEED_NAME)
        cache.set(key, body, FEED_CACHE_SECONDS)
    response = _ics_response(body, "evenements.ics", attachment=False)
    response["Cache-Control"] = "public, max-age=300"
    return response
