"""The collective's coordinators: members, invitations and requests, themes, mobilisations with
their coverage matrix, the collective's dashboard and presence by département, workshops.

The gate's ``COLLECTIVE`` lookup resolves the collective from the URL through the scoped
selector (the collectives this user coordinates): any other collective is "not found". A
member who is not a coordinator gets the same 404, so no collective leaks.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from vocations.ambassadors import selectors
from vocations.ambassadors.coverage_inputs import department_coverage, mobilisation_coverage
from vocations.ambassadors.forms import InviteForm, MobilisationForm
from vocations.ambassadors.models import Invitation
from vocations.ambassadors.services import (
    MobilisationData,
    invitation_create,
    join_request_decide,
    theme_save,
)
from vocations.ambassadors.workshops import invite_workshop_attendees, workshops_for_coordinator
from vocations.analytics.selectors import rolled_until
from vocations.core.forms import add_service_errors
from vocations.territories.models import Department

from ..gate import COLLECTIVE, JOIN_REQUEST, MOBILISATION, WORKSHOP, gate
from ..territory_map import choropleth, fmt
from .common import forbidden, not_found


def send_join_link(request: HttpRequest, invitation: Invitation) -> None:
    url = request.build_absolute_uri(reverse("backoffice:ambassador_join", args=[invitation.token]))
    send_mail(
        f"Rejoindre le collectif {invitation.collective.name}",
        f"Bonjour,\n\nVous êtes invité·e à rejoindre le collectif {invitation.collective.name}."
        f"\nPour accepter, ouvrez ce lien : {url}\n\n{invitation.message}",
        None,
        [invitation.email],
    )


@gate("signed_in")
def collective_index(request: HttpRequest) -> HttpResponse:
    """Coordinators land on their collective; members on their own space."""
    collectives = selectors.coordinated_collectives(request.user)
    if len(collectives) == 1:
        return redirect("backoffice:collective_members", pk=collectives[0].pk)
    if not collectives:
        if selectors.member_profile(request.user) is not None:
            return redirect("backoffice:member_home")
        return forbidden(
            request, "Cet espace est réservé aux membres et coordinateurs du collectif."
        )
    return render(
        request,
        "backoffice/ambassadors/collectives.html",
        {"page_title": "Collectifs", "collectives": collectives},
    )


@gate("coordinate", COLLECTIVE)
def members(request: HttpRequest, collective) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_create(
                actor=request.user, collective=collective, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            send_join_link(request, invitation)
            messages.success(request, f"Invitation envoyée à {invitation.email}.")
            return redirect("backoffice:collective_members", pk=collective.pk)
    return render(
        request,
        "backoffice/ambassadors/members.html",
        {
            "page_title": f"Membres — {collective.name}",
            "collective": collective,
            "members": selectors.member_list(collective),
            "requests": selectors.pending_requests(collective),
            "invitations": selectors.sent_invitations(collective),
            "form": form,
        },
    )


@require_POST
@gate("coordinate", COLLECTIVE, JOIN_REQUEST)
def request_decide(request: HttpRequest, collective, invitation, action: str):
    if action not in ("accepter", "refuser"):
        return not_found(request, JOIN_REQUEST.not_found)
    try:
        invitation = join_request_decide(
            actor=request.user, invitation=invitation, accept=action == "accepter"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if invitation.status == Invitation.Status.ACCEPTED:
            send_join_link(request, invitation)
            messages.success(request, f"Demande de {invitation.full_name} acceptée : lien envoyé.")
        else:
            messages.success(request, f"Demande de {invitation.full_name} refusée.")
    return redirect("backoffice:collective_members", pk=collective.pk)


@gate("coordinate", COLLECTIVE)
def themes(request: HttpRequest, collective) -> HttpResponse:
    if request.method == "POST":
        theme = selectors.themes(collective).filter(pk=request.POST.get("theme") or 0).first()
        try:
            theme_save(
                actor=request.user,
                collective=collective,
                theme=theme,
                name=request.POST.get("name", ""),
                description=request.POST.get("description", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Thème enregistré.")
        return redirect("backoffice:collective_themes", pk=collective.pk)
    return render(
        request,
        "backoffice/ambassadors/themes.html",
        {
            "page_title": "Thèmes du collectif",
            "collective": collective,
            "themes": list(selectors.themes(collective)),
        },
    )


@gate("coordinate", COLLECTIVE)
def mobilisations(request: HttpRequest, collective) -> HttpResponse:
    return render(
        request,
        "backoffice/ambassadors/mobilisations.html",
        {
            "page_title": f"Mobilisations — {collective.name}",
            "collective": collective,
            "mobilisations": selectors.mobilisation_list(collective),
        },
    )


@gate("coordinate", COLLECTIVE)
def mobilisation_create_view(request: HttpRequest, collective) -> HttpResponse:
    form = MobilisationForm(request.POST or None, themes=selectors.themes(collective))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            from vocations.ambassadors.services import mobilisation_create

            mobilisation = mobilisation_create(
                actor=request.user,
                collective=collective,
                data=MobilisationData(
                    title=data["title"],
                    goal=data["goal"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    event=data["event"],
                    wave=data["wave"],
                    campaign=data["campaign"],
                    target_audiences=data["target_audiences"],
                    themes=list(data["themes"]),
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Mobilisation créée : les membres peuvent la rejoindre.")
            return redirect(
                "backoffice:mobilisation_detail", pk=collective.pk, mobilisation_pk=mobilisation.pk
            )
    return render(
        request,
        "backoffice/ambassadors/mobilisation_form.html",
        {"page_title": "Nouvelle mobilisation", "collective": collective, "form": form},
    )


@gate("coordinate", COLLECTIVE, MOBILISATION)
def mobilisation_detail(request: HttpRequest, collective, mobilisation) -> HttpResponse:
    matrix = mobilisation_coverage(mobilisation)
    return render(
        request,
        "backoffice/ambassadors/mobilisation_detail.html",
        {
            "page_title": mobilisation.title,
            "collective": collective,
            "mobilisation": mobilisation,
            "matrix": matrix,
            # Coordinators see the posts (there is nothing to approve: members post freely).
            "posts": selectors.mobilisation_posts(mobilisation),
            "participants": selectors.mobilisation_participants(mobilisation),
        },
    )


@gate("coordinate", COLLECTIVE)
def dashboard(request: HttpRequest, collective) -> HttpResponse:
    return render(
        request,
        "backoffice/ambassadors/dashboard.html",
        {
            "page_title": f"Tableau de bord — {collective.name}",
            "collective": collective,
            "board": selectors.collective_dashboard(collective),
            "rolled_until": rolled_until(),
        },
    )


@gate("coordinate", COLLECTIVE)
def territories(request: HttpRequest, collective) -> HttpResponse:
    """Presence by département (members, posts) and one département's coverage matrix."""
    code = request.GET.get("departement", "").strip().upper()
    department = (
        Department.objects.select_related("region").filter(code=code).first() if code else None
    )
    presence = selectors.presence_by_department(collective)
    context = {
        "page_title": "Présence du collectif par département",
        "collective": collective,
        "presence": presence,
        "map": presence_map(presence),
        "department": department,
        "departments": Department.objects.order_by("code").only("code", "name"),
    }
    if code and department is None:
        messages.error(request, f"Département inconnu : {code[:5]}.")
    if department is not None:
        context["matrix"], context["residents"], context["event_count"] = department_coverage(
            collective, department
        )
    return render(request, "backoffice/ambassadors/territories.html", context)


def _presence_words(row) -> str:
    members = "aucun membre" if not row.members else f"{fmt(row.members)} membre(s)"
    return (
        f"{members}, {fmt(row.events)} événement(s) à venir, "
        f"{fmt(row.hiring_projects)} projet(s) de recrutement"
    )


def presence_map(presence) -> dict:
    """The territory view's map coloured by members; each département links to its coverage
    matrix (this page with ?departement=), and its name says members, events and need."""
    return choropleth(
        [(r.code, r.name) for r in presence],
        {r.code: (r.members, _presence_words(r)) for r in presence},
        href=lambda code: f"?departement={code}#couverture",
    )


@gate("coordinate", COLLECTIVE)
def workshops(request: HttpRequest, collective) -> HttpResponse:
    return render(
        request,
        "backoffice/ambassadors/workshops.html",
        {
            "page_title": "Ateliers « sortir de l'ombre »",
            "collective": collective,
            "workshops": workshops_for_coordinator(),
        },
    )


@require_POST
@gate("coordinate", COLLECTIVE, WORKSHOP)
def workshop_invite(request: HttpRequest, collective, event) -> HttpResponse:
    invitations = invite_workshop_attendees(
        actor=request.user, collective=collective, workshop=event
    )
    for invitation in invitations:
        send_join_link(request, invitation)
    messages.success(
        request, f"{len(invitations)} participant(s) invité(s) à rejoindre le collectif."
    )
    return redirect("backoffice:collective_workshops", pk=collective.pk)
