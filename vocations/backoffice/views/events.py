"""Organizers' screens: dashboard, event create/edit/duplicate, publish, submit for the label.

Views only parse input, call a selector or a service, and render. The gate (``..gate``) finds
every event in the user's scope first, so another organization's event is simply "not found"
(404), and refuses a viewer's change (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from vocations.accounts.permissions import can
from vocations.accounts.selectors import organization_list_for_user
from vocations.backoffice.forms import EventCreateForm, EventFilterForm
from vocations.backoffice.forms.events import EventDuplicateForm, EventForm, add_service_errors
from vocations.backoffice.kit import public_event_path
from vocations.backoffice.selectors import dashboard_events, label_history
from vocations.events.models import Label
from vocations.events.services import (
    EventData,
    event_create,
    event_duplicate,
    event_publish,
    event_unpublish,
    event_update,
    label_conditions,
    label_submit,
)
from vocations.territories.selectors import communes_for_postal_code

from ..gate import EVENT_ORGANIZATIONS, EVENT_PAGE, gate
from .common import is_campaign_staff

SUBMITTABLE = {Label.State.DRAFT, Label.State.CHANGES_REQUESTED}
CANNOT_CHANGE = "Votre rôle de lecteur ne permet pas de modifier cet événement."


@gate("signed_in")
def dashboard(request: HttpRequest) -> HttpResponse:
    filter_form = EventFilterForm(request.GET or None)
    state = filter_form.cleaned_data["state"] if filter_form.is_valid() else ""
    is_staff = is_campaign_staff(request.user)
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "page_title": "Mes événements",
            "filter_form": filter_form,
            "state": state,
            # Staff see every organization: listing them all here would help no one.
            "organizations": None if is_staff else organization_list_for_user(request.user),
            "is_staff": is_staff,
            "page": dashboard_events(request.user, state=state, page=request.GET.get("page", 1)),
        },
    )


def _render_form(request, form, *, event=None, status=200) -> HttpResponse:
    title = f"Modifier « {event.title} »" if event else "Nouvel événement"
    return render(
        request,
        "backoffice/event_form.html",
        {"page_title": title, "form": form, "event": event},
        status=status,
    )


@gate("change", EVENT_ORGANIZATIONS)
def event_create_view(request: HttpRequest, organizations) -> HttpResponse:
    if request.method != "POST":
        return _render_form(request, EventCreateForm(organizations=organizations))
    form = EventCreateForm(request.POST, request.FILES, organizations=organizations)
    if form.is_valid():
        try:
            event = event_create(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                data=form.to_event_data(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error("organization", str(error))
        else:
            messages.success(request, f"L'événement « {event.title} » est créé (brouillon).")
            return redirect("backoffice:event_detail", pk=event.pk)
    return _render_form(request, form, status=400)


@gate("view", EVENT_PAGE)
def event_detail(request: HttpRequest, event) -> HttpResponse:
    state = event.label.state
    return render(
        request,
        "backoffice/event_detail.html",
        {
            "page_title": event.title,
            "event": event,
            "can_change": can(request.user, "change", event),
            "can_submit": state in SUBMITTABLE,
            "is_labelled": state == Label.State.LABELLED,
            "is_public": state == Label.State.LABELLED and event.is_published,
            "public_path": public_event_path(event),
            "conditions": label_conditions(event),
            "history": label_history(event),
        },
    )


@gate("change", EVENT_PAGE, denied=CANNOT_CHANGE)
def event_edit(request: HttpRequest, event) -> HttpResponse:
    if request.method != "POST":
        return _render_form(request, EventForm(event=event), event=event)
    form = EventForm(request.POST, request.FILES, event=event)
    if form.is_valid():
        try:
            event_update(
                actor=request.user,
                event=event,
                data=form.to_event_data(base=EventData.from_event(event)),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Modifications enregistrées.")
            return redirect("backoffice:event_detail", pk=event.pk)
    return _render_form(request, form, event=event, status=400)


@gate("change", EVENT_PAGE, denied=CANNOT_CHANGE)
def event_duplicate_view(request: HttpRequest, event) -> HttpResponse:
    form = EventDuplicateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                copy = event_duplicate(
                    actor=request.user, event=event, starts_at=form.cleaned_data["starts_at"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, "Copie créée (brouillon) : vérifiez-la avant de la soumettre."
                )
                return redirect("backoffice:event_edit", pk=copy.pk)
        status = 400
    return render(
        request,
        "backoffice/event_duplicate.html",
        {"page_title": f"Dupliquer « {event.title} »", "event": event, "form": form},
        status=status,
    )


def _post_action(request: HttpRequest, event, service, success: str) -> HttpResponse:
    try:
        service(actor=request.user, event=event)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("backoffice:event_detail", pk=event.pk)


@require_POST
@gate("change", EVENT_PAGE, denied=CANNOT_CHANGE)
def event_publish_view(request: HttpRequest, event) -> HttpResponse:
    return _post_action(
        request,
        event,
        event_publish,
        "Événement publié : il apparaît sur le site public dès qu'il est labellisé.",
    )


@require_POST
@gate("change", EVENT_PAGE, denied=CANNOT_CHANGE)
def event_unpublish_view(request: HttpRequest, event) -> HttpResponse:
    return _post_action(
        request, event, event_unpublish, "Événement dépublié : il n'apparaît plus sur le site."
    )


@require_POST
@gate("change", EVENT_PAGE, denied=CANNOT_CHANGE)
def event_submit_view(request: HttpRequest, event) -> HttpResponse:
    return _post_action(
        request,
        event,
        label_submit,
        "Demande de label envoyée : l'équipe de campagne répond sous 4 jours ouvrés.",
    )


@require_GET
@gate("signed_in")
def communes_lookup(request: HttpRequest) -> JsonResponse:
    """The communes of a postal code, for the event form's commune select."""
    communes = communes_for_postal_code(request.GET.get("code_postal", ""))[:50]
    return JsonResponse({"communes": [{"insee": c.insee_code, "name": c.name} for c in communes]})
