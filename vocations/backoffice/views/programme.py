"""An event's partners and its flagship programme (universes → spaces → sessions, invitations).

Views parse a plain form, call a service and redirect; a service's ValidationError lands on the
form, shown again with status 400. Another organization's event is "not found" (404); a viewer
gets a French 403 on every write.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from vocations.accounts.permissions import can
from vocations.events.forms import add_service_errors
from vocations.events.models import EventPartner, Session, Space, Universe
from vocations.events.services import (
    SessionData,
    SpaceData,
    partner_add,
    partner_remove,
    partner_update,
    session_create,
    session_delete,
    session_invitations_set,
    session_update,
    space_create,
    space_delete,
    space_update,
    universe_create,
    universe_delete,
    universe_update,
)

from ..forms import InvitationsForm, PartnerForm, SessionForm, SpaceForm, UniverseForm
from .common import forbidden, not_found
from .registrations import event_in_scope

CANNOT_CHANGE = "Votre rôle de lecteur ne permet pas de modifier le programme de cet événement."
ITEM_NOT_FOUND = "Cet élément n'existe pas pour cet événement."


# --- Helpers --------------------------------------------------------------------------------


def _event_for_change(request: HttpRequest, pk: int):
    return event_in_scope(request, pk, change=True, denied=CANNOT_CHANGE)


def _run(form: forms.Form, request: HttpRequest, call) -> HttpResponse | bool:
    """Call the service; True when it worked, False with errors on the form, or a 403."""
    try:
        call()
    except PermissionDenied as error:
        return forbidden(request, str(error))
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


def _render(request, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    return render(request, f"backoffice/programme/{template}", context, status=status)


# --- Partners -------------------------------------------------------------------------------


def _partner_kwargs(form: PartnerForm) -> dict:
    c = form.cleaned_data
    return {
        "name": c["name"],
        "website": c["website"],
        "logo": c["logo"] or None,
        "level": c["level"],
        "position": c["position"],
    }


def _partners_page(request, event, form, *, status=200) -> HttpResponse:
    links = EventPartner.objects.filter(event=event).select_related("partner")
    return _render(
        request,
        "partners.html",
        {
            "page_title": f"Partenaires — {event.title}",
            "event": event,
            "links": links,
            "form": form,
            "can_change": can(request.user, "change", event),
        },
        status=status,
    )


@login_required
def partner_list(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        event, refusal = event_in_scope(request, pk)
        if refusal:
            return refusal
        return _partners_page(request, event, PartnerForm())
    event, refusal = _event_for_change(request, pk)
    if refusal:
        return refusal
    form = PartnerForm(request.POST, request.FILES)
    if form.is_valid():
        done = _run(
            form,
            request,
            lambda: partner_add(actor=request.user, event=event, **_partner_kwargs(form)),
        )
        if isinstance(done, HttpResponse):
            return done
        if done:
            messages.success(request, f"Partenaire « {form.cleaned_data['name']} » ajouté.")
            return redirect("backoffice:partner_list", pk=event.pk)
    return _partners_page(request, event, form, status=400)


@login_required
def partner_edit(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    event, refusal = _event_for_change(request, pk)
    if refusal:
        return refusal
    link = EventPartner.objects.filter(event=event, pk=item).select_related("partner").first()
    if link is None:
        return not_found(request, ITEM_NOT_FOUND)
    status = 200
    if request.method == "POST":
        form = PartnerForm(request.POST, request.FILES)
        if form.is_valid():
            done = _run(
                form,
                request,
                lambda: partner_update(
                    actor=request.user, event_partner=link, **_partner_kwargs(form)
                ),
            )
            if isinstance(done, HttpResponse):
                return done
            if done:
                messages.success(request, "Partenaire modifié.")
                return redirect("backoffice:partner_list", pk=event.pk)
        status = 400
    else:
        p = link.partner
        form = PartnerForm(
            initial={
                "name": p.name,
                "website": p.website,
                "level": link.level,
                "position": link.position,
            }
        )
    return _render(
        request,
        "item_form.html",
        {
            "page_title": f"Modifier le partenaire « {link.partner.name} »",
            "event": event,
            "form": form,
            "multipart": True,
            "back_url": "backoffice:partner_list",
        },
        status=status,
    )


@require_POST
@login_required
def partner_delete(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    event, refusal = _event_for_change(request, pk)
    if refusal:
        return refusal
    link = EventPartner.objects.filter(event=event, pk=item).select_related("partner").first()
    if link is None:
        return not_found(request, ITEM_NOT_FOUND)
    try:
        partner_remove(actor=request.user, event_partner=link)
    except PermissionDenied as error:
        return forbidden(request, str(error))
    messages.success(request, f"Partenaire « {link.partner.name} » retiré.")
    return redirect("backoffice:partner_list", pk=event.pk)


# --- Programme ------------------------------------------------------------------------------


@login_required
def programme_page(request: HttpRequest, pk: int) -> HttpResponse:
    event, refusal = event_in_scope(request, pk)
    if refusal:
        return refusal
    universes = Universe.objects.filter(event=event).prefetch_related(
        Prefetch(
            "spaces",
            queryset=Space.objects.select_related("partner").prefetch_related("trades"),
        )
    )
    sessions = Session.objects.filter(event=event).select_related("space")
    return _render(
        request,
        "programme.html",
        {
            "page_title": f"Programme — {event.title}",
            "event": event,
            "universes": universes,
            "sessions": sessions,
            "can_change": can(request.user, "change", event),
        },
    )


# kind in the URL → (model, French label, field path from the item to its event)
KINDS = {
    "univers": (Universe, "un univers", "event"),
    "espaces": (Space, "un espace", "universe__event"),
    "seances": (Session, "une séance", "event"),
}


def _item(kind: str, event, item: int):
    model, _, path = KINDS[kind]
    return model.objects.filter(**{path: event, "pk": item}).first()


def _make_form(kind: str, event, data=None, obj=None):
    if kind == "univers":
        initial = (
            {"name": obj.name, "description": obj.description, "position": obj.position}
            if obj
            else None
        )
        return UniverseForm(data, initial=initial)
    if kind == "espaces":
        initial = None
        if obj:
            initial = {
                "universe": obj.universe_id,
                "name": obj.name,
                "description": obj.description,
                "trades": [t.pk for t in obj.trades.all()],
                "partner": obj.partner_id,
                "position": obj.position,
            }
        return SpaceForm(data, initial=initial, event=event)
    initial = None
    if obj:
        initial = {
            **SessionData.from_session(obj).__dict__,
            "space": obj.space_id,
            "audience": obj.audience,
        }
    return SessionForm(data, initial=initial, event=event)


def _save(kind: str, request, event, form, obj):
    c, actor = form.cleaned_data, request.user
    if kind == "univers":
        values = {"name": c["name"], "description": c["description"], "position": c["position"]}
        if obj is None:
            return lambda: universe_create(actor=actor, event=event, **values)
        return lambda: universe_update(actor=actor, universe=obj, **values)
    if kind == "espaces":
        data = SpaceData(
            name=c["name"],
            description=c["description"],
            trade_ids=[t.pk for t in c["trades"]],
            partner=c["partner"],
            position=c["position"],
        )
        if obj is None:
            return lambda: space_create(actor=actor, universe=c["universe"], data=data)
        return lambda: space_update(actor=actor, space=obj, data=data, universe=c["universe"])
    if obj is None:
        return lambda: session_create(actor=actor, event=event, data=form.to_data())
    return lambda: session_update(actor=actor, session=obj, data=form.to_data())


@login_required
def programme_item_edit(
    request: HttpRequest, pk: int, kind: str, item: int | None = None
) -> HttpResponse:
    """Add (no ``item``) or edit a universe, a space or a session."""
    if kind not in KINDS:
        return not_found(request, ITEM_NOT_FOUND)
    event, refusal = _event_for_change(request, pk)
    if refusal:
        return refusal
    obj = None
    if item is not None:
        obj = _item(kind, event, item)
        if obj is None:
            return not_found(request, ITEM_NOT_FOUND)
    status = 200
    if request.method == "POST":
        form = _make_form(kind, event, request.POST, obj)
        if form.is_valid():
            done = _run(form, request, _save(kind, request, event, form, obj))
            if isinstance(done, HttpResponse):
                return done
            if done:
                messages.success(request, "Programme enregistré.")
                return redirect("backoffice:programme", pk=event.pk)
        status = 400
    else:
        form = _make_form(kind, event, obj=obj)
    label = KINDS[kind][1]
    title = f"Modifier « {obj} »" if obj else f"Ajouter {label}"
    return _render(
        request,
        "item_form.html",
        {
            "page_title": title,
            "event": event,
            "form": form,
            "multipart": False,
            "back_url": "backoffice:programme",
        },
        status=status,
    )


@require_POST
@login_required
def programme_item_delete(request: HttpRequest, pk: int, kind: str, item: int) -> HttpResponse:
    if kind not in KINDS:
        return not_found(request, ITEM_NOT_FOUND)
    event, refusal = _event_for_change(request, pk)
    if refusal:
        return refusal
    obj = _item(kind, event, item)
    if obj is None:
        return not_found(request, ITEM_NOT_FOUND)
    delete = {"univers": universe_delete, "espaces": space_delete, "seances": session_delete}
    argument = {"univers": "universe", "espaces": "space", "seances": "session"}[kind]
    try:
        delete[kind](actor=request.user, **{argument: obj})
    except PermissionDenied as error:
        return forbidden(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"« {obj} » supprimé.")
    return redirect("backoffice:programme", pk=event.pk)


@login_required
def session_invitations(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    event, refusal = _event_for_change(request, pk)
    if refusal:
        return refusal
    session = Session.objects.filter(event=event, pk=item).first()
    if session is None:
        return not_found(request, ITEM_NOT_FOUND)
    status = 200
    if request.method == "POST":
        form = InvitationsForm(request.POST)
        if form.is_valid():
            done = _run(
                form,
                request,
                lambda: session_invitations_set(
                    actor=request.user, session=session, emails=form.cleaned_data["emails"]
                ),
            )
            if isinstance(done, HttpResponse):
                return done
            if done:
                messages.success(request, "Liste des invités enregistrée.")
                return redirect("backoffice:session_invitations", pk=event.pk, item=session.pk)
        status = 400
    else:
        emails = session.invitations.order_by("email").values_list("email", flat=True)
        form = InvitationsForm(initial={"emails": "\n".join(emails)})
    return _render(
        request,
        "invitations.html",
        {
            "page_title": f"Invités — {session.title}",
            "event": event,
            "session": session,
            "form": form,
            "count": session.invitations.count(),
        },
        status=status,
    )
