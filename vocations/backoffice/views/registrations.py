"""Organizer's registrations: the list (search, filters, waiting list), CSV, cancel, "Bilan".

The gate finds every event in the user's scope first: another organization's event is "not
found" (404). Viewers see the lists and exports; changing anything needs the "change" right
(a French 403 page otherwise), checked by the gate and again by the services.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from vocations.accounts.permissions import can
from vocations.core.exports import csv_response
from vocations.events.models import Event, Registration, Session
from vocations.events.outcomes import EventOutcomes, event_outcomes
from vocations.events.registration_selectors import (
    event_sessions,
    organizer_registrations,
    registration_counts,
)
from vocations.events.services import registration_cancel
from vocations.events.services.checkin import TYPED_CODE
from vocations.events.tickets import normalize_short_code

from ..gate import EVENT, REGISTRATION, gate

Status = Registration.Status
PAGE_SIZE = 50
CANNOT_CHANGE = "Votre rôle de lecteur ne permet pas de modifier les inscriptions."
# "seance": a session's id, or this value for registrations to the event itself.
EVENT_POOL = "evenement"


# --- shared with the press screens -----------------------------------------------------------


def local_time(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


# --- the list --------------------------------------------------------------------------------


def _filters(request: HttpRequest, event: Event, sessions: list[Session]) -> dict:
    status = request.GET.get("statut", "")
    kind = request.GET.get("type", "")
    pool = request.GET.get("seance", "")
    session: Session | None | bool = False
    if pool == EVENT_POOL:
        session = None
    elif pool.isdigit():
        session = next((s for s in sessions if s.pk == int(pool)), False)
        if session is False:
            pool = ""
    else:
        pool = ""
    return {
        "q": request.GET.get("q", "").strip()[:100],
        "status": status if status in Status.values else "",
        "kind": kind if kind in Registration.Kind.values else "",
        "session": session,
        "pool": pool,
    }


def _registrations(event: Event, filters: dict) -> QuerySet[Registration]:
    # A typed ticket code in the search box finds its registration too.
    compact = "".join(filters["q"].split())
    return organizer_registrations(
        event,
        q=filters["q"],
        session=filters["session"],
        status=filters["status"],
        kind=filters["kind"],
        short_code=normalize_short_code(compact) or "",
        ticket_code=compact if compact and TYPED_CODE.fullmatch(compact) else "",
    )


@gate("view", EVENT)
def registration_list_view(request: HttpRequest, event) -> HttpResponse:
    sessions = event_sessions(event)
    filters = _filters(request, event, sessions)
    page = Paginator(_registrations(event, filters), PAGE_SIZE).get_page(request.GET.get("page", 1))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/registrations/list.html",
        {
            "page_title": f"Inscriptions — {event.title}",
            "event": event,
            "section": "registrations",
            "sessions": sessions,
            "filters": filters,
            "event_pool": EVENT_POOL,
            "statuses": Status.choices,
            "kinds": Registration.Kind.choices,
            "counts": registration_counts(event, filters["session"]),
            "page": page,
            "query": query.urlencode(),
            "can_change": can(request.user, "change", event),
            "event_ended": event.ends_at <= timezone.now(),
        },
    )


CSV_HEADER = [
    "Statut",
    "Position en liste d'attente",
    "Type",
    "Séance",
    "Prénom",
    "Nom",
    "E-mail",
    "Public",
    "Tranche d'âge",
    "Établissement",
    "Code UAI",
    "Niveau de la classe",
    "Élèves",
    "Accompagnateurs",
    "Places",
    "Département d'origine",
    "Inscrit le",
    "Code du billet",
    "Code long du billet",
    "Arrivé à",
    "Personnes présentes",
]


def _csv_rows(queryset: QuerySet[Registration]) -> Iterator[list]:
    # A group is a count of pupils and adults: no pupil name exists to export.
    for r in queryset.iterator(chunk_size=2000):
        yield [
            r.get_status_display(),
            r.waitlist_ahead + 1 if r.status == Status.WAITLISTED else "",
            r.get_kind_display(),
            r.session.title if r.session else "",
            r.first_name,
            r.last_name,
            r.email,
            r.get_audience_display() if r.audience else "",
            r.get_age_bracket_display() if r.age_bracket else "",
            r.school_name,
            r.uai,
            r.get_class_level_display() if r.class_level else "",
            r.pupils if r.pupils is not None else "",
            r.adults if r.kind == Registration.Kind.GROUP else "",
            r.seats,
            f"{r.origin_department.code} {r.origin_department.name}" if r.origin_department else "",
            local_time(r.created_at),
            r.short_code_display,
            r.ticket_code,
            local_time(r.checked_in_at),
            r.attended if r.attended is not None else "",
        ]


@gate("view", EVENT)
def registration_csv(request: HttpRequest, event) -> HttpResponse:
    sessions = event_sessions(event)
    filters = _filters(request, event, sessions)
    queryset = _registrations(event, filters)
    return csv_response(f"inscriptions-{event.slug}.csv", CSV_HEADER, _csv_rows(queryset))


@require_POST
@gate("change", EVENT, REGISTRATION, denied=CANNOT_CHANGE)
def registration_cancel_view(request: HttpRequest, event, registration) -> HttpResponse:
    registration.event = event
    try:
        registration_cancel(registration=registration, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"L'inscription « {registration} » est annulée.")
    back = request.POST.get("next", "")
    if back.startswith(f"/organisateur/evenements/{event.pk}/inscriptions/"):
        return redirect(back)
    return redirect("backoffice:registration_list", pk=event.pk)


# --- outcome figures ("Bilan") ---------------------------------------------------------------


def percent(rate: float | None) -> str:
    return "" if rate is None else f"{rate * 100:.1f} %".replace(".", ",")


@gate("view", EVENT)
def outcomes_view(request: HttpRequest, event) -> HttpResponse:
    outcomes = event_outcomes(event)
    return render(
        request,
        "backoffice/registrations/outcomes.html",
        {
            "page_title": f"Bilan — {event.title}",
            "event": event,
            "section": "outcomes",
            "outcomes": outcomes,
            "rows": [(pool, percent(pool.no_show_rate)) for pool in outcomes.pools],
            "total_rate": percent(outcomes.total.no_show_rate),
        },
    )


POOL_HEADER = [
    "Périmètre",
    "Inscriptions confirmées",
    "Personnes inscrites",
    "Inscriptions individuelles",
    "Groupes",
    "Élèves",
    "Accompagnateurs",
    "Inscriptions scannées",
    "Personnes présentes",
    "Taux d'absence",
    "Inscriptions en liste d'attente",
    "Places en liste d'attente",
    "Inscriptions annulées",
]


def _outcome_rows(outcomes: EventOutcomes) -> Iterator[list]:
    for pool in [outcomes.total, *outcomes.pools]:
        yield [
            pool.label,
            pool.registrations,
            pool.registered,
            pool.individuals,
            pool.groups,
            pool.pupils,
            pool.adults,
            pool.checked_in,
            pool.attended,
            percent(pool.no_show_rate),
            pool.waitlisted,
            pool.waitlisted_seats,
            pool.cancelled,
        ]
    yield []
    yield ["Département d'origine", "Code", "Groupes", "Élèves", "Personnes présentes"]
    for d in outcomes.departments:
        yield [d.name, d.code, d.groups, d.pupils, d.attended]
    yield []
    yield ["Public (inscriptions individuelles)", "Code", "Inscriptions", "Personnes présentes"]
    for a in outcomes.audiences:
        yield [a.label, a.code, a.individuals, a.attended]


@gate("view", EVENT)
def outcomes_csv(request: HttpRequest, event) -> HttpResponse:
    return csv_response(
        f"bilan-{event.slug}.csv", POOL_HEADER, _outcome_rows(event_outcomes(event))
    )
