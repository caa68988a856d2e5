"""Check-in at the door: a phone-sized page, a JSON endpoint for its script, attendance.

Without JavaScript the page is a plain form (typed ticket code, then the group's attendance)
posted to the server. With it, checkin.js reads QR codes with the camera and posts the same
values to ``accueil/scan/`` (JSON), queueing and resending what the network lost; the service
is idempotent, so a resent scan never counts twice. Both paths render the same result panel
(``checkin/_result.html``): the script inserts the HTML the JSON answer carries.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from vocations.core.ratelimit import hit, too_many_json, too_many_page
from vocations.events.models import Event, Registration
from vocations.events.outcomes import checkin_counts
from vocations.events.registration_selectors import registration_for_event
from vocations.events.services import registration_check_in, registration_set_attendance

from ..gate import EVENT, auto_gate, gate, json_gate

CANNOT_CHECK_IN = "Votre rôle de lecteur ne permet pas d'enregistrer les arrivées."


def clock(value: dt.datetime) -> str:
    """French time of day, "9 h 12"; with the date when it was not today."""
    local = timezone.localtime(value)
    text = f"{local.hour} h {local.minute:02d}"
    if local.date() != timezone.localdate():
        text = f"le {local:%d/%m} à {text}"
    return text


def _panel(
    request: HttpRequest,
    event: Event,
    *,
    status: str,
    headline: str,
    registration: Registration | None = None,
    detail: str = "",
    errors: list[str] | None = None,
) -> dict:
    context = {
        "event": event,
        "status": status,
        "headline": headline,
        "detail": detail,
        "registration": registration,
        "errors": errors or [],
    }
    if registration is not None and registration.kind == Registration.Kind.GROUP:
        # Split what was counted back into pupils and adults for the form (adults first:
        # a class rarely comes without its teachers).
        present = registration.attended if registration.attended is not None else 0
        adults = min(registration.adults, present)
        context.update(pupils_present=present - adults, adults_present=adults)
    return context


def _page(request: HttpRequest, event: Event, panel: dict | None, *, status: int = 200):
    return render(
        request,
        "backoffice/checkin/page.html",
        {
            "page_title": f"Accueil — {event.title}",
            "event": event,
            "panel": panel,
            "counts": checkin_counts(event),
        },
        status=status,
    )


def _check_in(request: HttpRequest, event: Event) -> tuple[dict, int]:
    """Run the service on the posted ticket; (panel context, HTTP status)."""
    try:
        result = registration_check_in(
            actor=request.user,
            event=event,
            ticket=request.POST.get("ticket", ""),
            scan_id=request.POST.get("scan_id"),
        )
    except ValidationError as error:
        return _panel(request, event, status="error", headline=" ".join(error.messages)), 400
    registration = result.registration
    if result.already:
        return _panel(
            request,
            event,
            status="already",
            headline=f"Déjà scanné à {clock(result.checked_in_at)}",
            detail="Ce billet a déjà été enregistré : personne n'est compté une deuxième fois.",
            registration=registration,
        ), 200
    return _panel(
        request, event, status="welcome", headline="Bienvenue", registration=registration
    ), 200


def _attendance(request: HttpRequest, event: Event, registration_pk: int) -> tuple[dict, int]:
    values = [request.POST.get(name, "").strip() for name in ("pupils_present", "adults_present")]
    attended: int | str = request.POST.get("attended", "").strip()
    if not attended and any(values):
        if not all(re.fullmatch(r"\d{1,6}", v or "0") for v in values):
            error = "Les nombres de présents doivent être des nombres entiers positifs."
            return _panel(request, event, status="error", headline=error), 400
        attended = sum(int(v or 0) for v in values)
    try:
        registration = registration_set_attendance(
            actor=request.user, event=event, registration=registration_pk, attended=attended
        )
    except ValidationError as error:
        current = registration_for_event(event, registration_pk)
        headline = " ".join(error.messages)
        return _panel(request, event, status="error", headline=headline, registration=current), 400
    present = registration.attended
    return _panel(
        request,
        event,
        status="updated",
        headline=f"Présence enregistrée : {present} personne{'s' if present > 1 else ''}",
        registration=registration,
    ), 200


@never_cache
@gate("change", EVENT, denied=CANNOT_CHECK_IN)
def checkin_page(request: HttpRequest, event) -> HttpResponse:
    if request.method == "POST":
        wait = hit(request, "checkin-user", str(request.user.pk))
        if wait is not None:
            return too_many_page(request, wait)
        panel, status = _check_in(request, event)
        return _page(request, event, panel, status=status)
    panel = None
    shown = request.GET.get("inscription", "")
    if shown.isdigit():
        registration = registration_for_event(event, int(shown))
        if registration is not None and registration.checked_in_at is not None:
            present = registration.attended or 0
            panel = _panel(
                request,
                event,
                status="updated",
                headline=f"Présence enregistrée : {present} personne{'s' if present > 1 else ''}",
                registration=registration,
            )
    return _page(request, event, panel)


def _json(request: HttpRequest, event: Event, panel: dict, status: int) -> JsonResponse:
    counts = checkin_counts(event)
    return JsonResponse(
        {
            "ok": status == 200,
            "status": panel["status"],
            "message": panel["headline"],
            "html": render_to_string("backoffice/checkin/_result.html", panel, request=request),
            "counts": {
                "arrived": counts.arrived,
                "expected": counts.expected,
                "checked_in": counts.checked_in,
                "confirmed": counts.confirmed,
            },
        },
        status=status,
    )


@never_cache
@require_POST
@json_gate("change", EVENT, denied=CANNOT_CHECK_IN)
def checkin_scan(request: HttpRequest, event) -> HttpResponse:
    # The script needs JSON, never a sign-in page: json_gate answers 401/404/403 in JSON.
    wait = hit(request, "checkin-user", str(request.user.pk))
    if wait is not None:
        return too_many_json(wait)
    panel, status = _check_in(request, event)
    return _json(request, event, panel, status)


@never_cache
@require_POST
@auto_gate("change", EVENT, denied=CANNOT_CHECK_IN)
def checkin_attendance(request: HttpRequest, event, registration_pk: int) -> HttpResponse:
    # The script asks for JSON (Accept), the plain form for a page: auto_gate answers alike.
    panel, status = _attendance(request, event, registration_pk)
    if "application/json" in request.headers.get("Accept", ""):
        return _json(request, event, panel, status)
    if status != 200:
        return _page(request, event, panel, status=status)
    url = reverse("backoffice:checkin", args=[event.pk])
    return redirect(f"{url}?inscription={registration_pk}")
