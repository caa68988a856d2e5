"""Press accreditations of one event: the requests, accept or refuse, export of accepted ones."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from vocations.accounts.permissions import can
from vocations.core.exports import csv_response
from vocations.events.models import PressAccreditation
from vocations.events.selectors import (
    accredited_journalists,
    press_request_counts,
    press_requests,
)
from vocations.events.services import accreditation_accept, accreditation_refuse

from ..gate import EVENT, PRESS_REQUEST, gate
from .common import not_found
from .registrations import local_time

Status = PressAccreditation.Status
CANNOT_DECIDE = "Votre rôle de lecteur ne permet pas de décider des accréditations."
ACTIONS = {"accepter": Status.ACCEPTED, "refuser": Status.REFUSED}


@gate("view", EVENT)
def accreditation_list(request: HttpRequest, event) -> HttpResponse:
    status = request.GET.get("etat", "")
    status = status if status in Status.values else ""
    return render(
        request,
        "backoffice/accreditations/list.html",
        {
            "page_title": f"Presse — {event.title}",
            "event": event,
            "section": "press",
            "accreditations": press_requests(event, status=status),
            "status": status,
            "statuses": Status.choices,
            "counts": press_request_counts(event),
            "can_change": can(request.user, "change", event),
            "refusal_errors": {},
        },
    )


@require_POST
@gate("change", EVENT, PRESS_REQUEST, denied=CANNOT_DECIDE)
def accreditation_decide(request: HttpRequest, event, accreditation, action: str) -> HttpResponse:
    if action not in ACTIONS:
        return not_found(request, PRESS_REQUEST.not_found)
    message = request.POST.get("message", "")[:2000]
    try:
        if ACTIONS[action] == Status.ACCEPTED:
            accreditation_accept(actor=request.user, accreditation=accreditation, message=message)
        else:
            accreditation_refuse(actor=request.user, accreditation=accreditation, message=message)
    except ValidationError as error:
        messages.error(request, f"{accreditation.full_name} : {' '.join(error.messages)}")
    else:
        verb = "acceptée" if ACTIONS[action] == Status.ACCEPTED else "refusée"
        messages.success(request, f"Accréditation de {accreditation.full_name} {verb}.")
    return redirect("backoffice:accreditation_list", pk=event.pk)


CSV_HEADER = [
    "Nom et prénom",
    "Média",
    "Fonction",
    "Carte de presse",
    "E-mail",
    "Téléphone",
    "Acceptée le",
]


@gate("view", EVENT)
def accreditation_csv(request: HttpRequest, event) -> HttpResponse:
    """The accredited journalists (accepted requests only), for the press desk."""
    accepted = accredited_journalists(event)
    rows = (
        [
            a.full_name,
            a.outlet,
            a.role,
            a.press_card_number,
            a.email,
            a.phone,
            local_time(a.decided_at),
        ]
        for a in accepted.iterator()
    )
    return csv_response(f"presse-accreditee-{event.slug}.csv", CSV_HEADER, rows)
