"""An event's partners and its flagship programme (universes → spaces → sessions, invitations).

Views parse a plain form, call a service and redirect; a service's ValidationError lands on the
form, shown again with status 400. The gate finds the event (and the item) in the user's scope:
another organization's event is "not found" (404); a viewer gets a French 403 on every write.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from vocations.accounts.permissions import can
from vocations.backoffice.forms.events import add_service_errors
from vocations.events.models import EventPartner, Session
from vocations.events.selectors import PROGRAMME_KINDS, partner_links, programme_tree
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
from ..gate import EVENT, PARTNER, PROGRAMME_ITEM, SESSION, gate
from .common import not_found

CANNOT_CHANGE = "Votre rôle de lecteur ne permet pas de modifier le programme de cet événement."
ITEM_NOT_FOUND = "Cet élément n'existe pas pour cet événement."


# --- Helpers --------------------------------------------------------------------------------


def _run(form: forms.Form, request: HttpRequest, call) -> bool:
    """Call the service; True when it worked, False with errors on the form (a refusal is the
    gate's 403)."""
    try:
        call()
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
    links = partner_links(event)
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


@gate("change", EVENT, read="view", denied=CANNOT_CHANGE)
def partner_list(request: HttpRequest, event) -> HttpResponse:
    if request.method != "POST":
        return _partners_page(request, event, PartnerForm())
    form = PartnerForm(request.POST, request.FILES)
    if form.is_valid():
        done = _run(
            form,
            request,
            lambda: partner_add(actor=request.user, event=event, **_partner_kwargs(form)),
        )
        if done:
            messages.success(request, f"Partenaire « {form.cleaned_data['name']} » ajouté.")
            return redirect("backoffice:partner_list", pk=event.pk)
    return _partners_page(request, event, form, status=400)


@gate("change", EVENT, PARTNER, denied=CANNOT_CHANGE)
def partner_edit(request: HttpRequest, event, link: EventPartner) -> HttpResponse:
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
@gate("change", EVENT, PARTNER, denied=CANNOT_CHANGE)
def partner_delete(request: HttpRequest, event, link: EventPartner) -> HttpResponse:
    partner_remove(actor=request.user, event_partner=link)
    messages.success(request, f"Partenaire « {link.partner.name} » retiré.")
    return redirect("backoffice:partner_list", pk=event.pk)


# --- Programme ------------------------------------------------------------------------------


@gate("view", EVENT)
def programme_page(request: HttpRequest, event) -> HttpResponse:
    universes, sessions = programme_tree(event)
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


# kind in the URL → French label (the models: events.selectors.PROGRAMME_KINDS)
LABELS = {"univers": "un univers", "espaces": "un espace", "seances": "une séance"}
KIND_OF = {model: kind for kind, (model, _) in PROGRAMME_KINDS.items()}


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


@gate("change", EVENT, denied=CANNOT_CHANGE)
def programme_item_create(request: HttpRequest, event, kind: str) -> HttpResponse:
    """Add a universe, a space or a session."""
    if kind not in LABELS:
        return not_found(request, ITEM_NOT_FOUND)
    return _item_form(request, event, kind, None)


@gate("change", EVENT, PROGRAMME_ITEM, denied=CANNOT_CHANGE)
def programme_item_edit(request: HttpRequest, event, obj) -> HttpResponse:
    """Edit a universe, a space or a session."""
    return _item_form(request, event, KIND_OF[type(obj)], obj)


def _item_form(request: HttpRequest, event, kind: str, obj) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = _make_form(kind, event, request.POST, obj)
        if form.is_valid():
            done = _run(form, request, _save(kind, request, event, form, obj))
            if done:
                messages.success(request, "Programme enregistré.")
                return redirect("backoffice:programme", pk=event.pk)
        status = 400
    else:
        form = _make_form(kind, event, obj=obj)
    label = LABELS[kind]
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
@gate("change", EVENT, PROGRAMME_ITEM, denied=CANNOT_CHANGE)
def programme_item_delete(request: HttpRequest, event, obj) -> HttpResponse:
    kind = KIND_OF[type(obj)]
    delete = {"univers": universe_delete, "espaces": space_delete, "seances": session_delete}
    argument = {"univers": "universe", "espaces": "space", "seances": "session"}[kind]
    try:
        delete[kind](actor=request.user, **{argument: obj})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"« {obj} » supprimé.")
    return redirect("backoffice:programme", pk=event.pk)


@gate("change", EVENT, SESSION, denied=CANNOT_CHANGE)
def session_invitations(request: HttpRequest, event, session: Session) -> HttpResponse:
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
