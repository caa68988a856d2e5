"""A member's own space: profile and networks, mobilisations (join, personal link, QR), posts
and their figures, LinkedIn import, own dashboard, leaving. Plus joining by invitation.

The gate's ``MEMBER`` lookup resolves the signed-in user's active membership (none: 403); every
object is then looked up within that member (a post of someone else is "not found").
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from vocations.ambassadors import selectors
from vocations.ambassadors.forms import (
    ImportForm,
    JoinForm,
    MetricsForm,
    NetworkForm,
    PostForm,
    ProfileForm,
)
from vocations.ambassadors.models import Mobilisation
from vocations.ambassadors.services import (
    PostData,
    ProfileData,
    ambassador_erase,
    ambassador_network_delete,
    ambassador_network_set,
    ambassador_update_profile,
    invitation_for_token,
    invitation_join,
    mobilisation_join,
    post_declare,
    post_metrics_set,
)
from vocations.ambassadors.services.imports import LINKEDIN_COLUMNS, linkedin_import
from vocations.analytics.selectors import rolled_until
from vocations.campaigns import qr
from vocations.campaigns.selectors import qr_url, short_url
from vocations.core.exceptions import ImportFileError
from vocations.core.forms import add_service_errors

from ..gate import MEMBER, MEMBER_MOBILISATION, NETWORK, PARTICIPATION, POST, gate
from .common import not_found


@gate("view", MEMBER)
def home(request: HttpRequest, ambassador) -> HttpResponse:
    return render(
        request,
        "backoffice/ambassadors/member_home.html",
        {
            "page_title": "Mon espace ambassadeur",
            "ambassador": ambassador,
            "mobilisations": _with_links(selectors.mobilisations_for_member(ambassador)),
        },
    )


def _with_links(mobilisations: list[Mobilisation]) -> list[Mobilisation]:
    for mobilisation in mobilisations:
        if mobilisation.participation is not None:
            mobilisation.short_url = short_url(mobilisation.participation.link)
            mobilisation.qr_url = qr_url(mobilisation.participation.link)
    return mobilisations


@gate("change", MEMBER)
def profile(request: HttpRequest, ambassador) -> HttpResponse:
    themes = selectors.themes(ambassador.collective)
    initial = {
        "display_name": ambassador.display_name,
        "role": ambassador.role,
        "company": ambassador.company,
        "sector": ambassador.sector,
        "department": ambassador.department,
        "generation": ambassador.generation,
        "bio": ambassador.bio,
        "is_public": ambassador.is_public,
        "themes": list(ambassador.themes.all()),
    }
    form = ProfileForm(request.POST or None, initial=initial, themes=themes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ambassador_update_profile(
                actor=request.user,
                ambassador=ambassador,
                data=ProfileData(**{**data, "themes": list(data["themes"])}),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Profil enregistré.")
            return redirect("backoffice:member_profile")
    return render(
        request,
        "backoffice/ambassadors/member_profile.html",
        {
            "page_title": "Mon profil",
            "ambassador": ambassador,
            "form": form,
            "network_form": NetworkForm(),
            "networks": list(ambassador.networks.all()),
        },
    )


@require_POST
@gate("change", MEMBER)
def network_add(request: HttpRequest, ambassador) -> HttpResponse:
    form = NetworkForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            ambassador_network_set(
                actor=request.user,
                ambassador=ambassador,
                network=data["network"],
                handle=data["handle"],
                audience_size=data["audience_size"],
                audiences=data["audiences"] or None,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Réseau enregistré.")
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                messages.error(request, f"{label} : {message}" if label else message)
    return redirect("backoffice:member_profile")


@require_POST
@gate("change", MEMBER, NETWORK)
def network_delete(request: HttpRequest, ambassador, network) -> HttpResponse:
    ambassador_network_delete(actor=request.user, network=network)
    messages.success(request, "Réseau retiré.")
    return redirect("backoffice:member_profile")


@require_POST
@gate("change", MEMBER, MEMBER_MOBILISATION)
def join(request: HttpRequest, ambassador, mobilisation) -> HttpResponse:
    try:
        participation = mobilisation_join(
            actor=request.user, ambassador=ambassador, mobilisation=mobilisation
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Vous participez : votre lien personnel est {short_url(participation.link)}"
        )
    return redirect("backoffice:member_home")


@gate("view", MEMBER, PARTICIPATION)
def link_qr(request: HttpRequest, ambassador, participation) -> HttpResponse:
    response = HttpResponse(qr.svg_bytes(participation.link, "flyer"), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="{qr.file_stem(participation.link)}.svg"'
    return response


@gate("change", MEMBER)
def post_create(request: HttpRequest, ambassador) -> HttpResponse:
    mobilisations = selectors.mobilisations_joined_by(ambassador)
    form = PostForm(
        request.POST or None,
        initial={"published_on": timezone.localdate(), "mobilisation": request.GET.get("m")},
        themes=selectors.themes(ambassador.collective),
        mobilisations=mobilisations,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post_declare(actor=request.user, ambassador=ambassador, data=PostData(**data))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Publication déclarée. Merci !")
            return redirect("backoffice:member_dashboard")
    return render(
        request,
        "backoffice/ambassadors/post_form.html",
        {"page_title": "Déclarer une publication", "ambassador": ambassador, "form": form},
    )


@gate("change", MEMBER, POST)
def post_metrics(request: HttpRequest, ambassador, post) -> HttpResponse:
    current = {m.metric: m.value for m in post.metrics.all()}
    form = MetricsForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if v is not None}
        try:
            post_metrics_set(actor=request.user, post=post, values=values)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Chiffres enregistrés.")
            return redirect("backoffice:member_dashboard")
    return render(
        request,
        "backoffice/ambassadors/post_metrics.html",
        {"page_title": "Chiffres de la publication", "post": post, "form": form},
    )


@gate("change", MEMBER)
def linkedin_import_view(request: HttpRequest, ambassador) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = linkedin_import(
                actor=request.user,
                ambassador=ambassador,
                content=upload.read(),
                filename=upload.name,
                today=timezone.localdate(),
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            if report.imported:
                messages.success(
                    request,
                    f"Import terminé : {report.created} publication(s) ajoutée(s), "
                    f"{report.updated} mise(s) à jour, {report.unchanged} inchangée(s).",
                )
                return redirect("backoffice:member_dashboard")
    return render(
        request,
        "backoffice/ambassadors/linkedin_import.html",
        {
            "page_title": "Importer mes statistiques LinkedIn",
            "form": form,
            "report": report,
            "columns": LINKEDIN_COLUMNS,
        },
    )


@gate("view", MEMBER)
def member_dashboard(request: HttpRequest, ambassador) -> HttpResponse:
    return render(
        request,
        "backoffice/ambassadors/member_dashboard.html",
        {
            "page_title": "Mon tableau de bord",
            "ambassador": ambassador,
            "board": selectors.member_dashboard(ambassador),
            "rolled_until": rolled_until(),
        },
    )


@gate("change", MEMBER)
def leave(request: HttpRequest, ambassador) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("confirm") != "oui":
            messages.error(request, "Cochez la case pour confirmer.")
            return redirect("backoffice:member_leave")
        ambassador_erase(actor=request.user, ambassador=ambassador)
        logout(request)
        return render(request, "backoffice/ambassadors/left.html", {"page_title": "Au revoir"})
    return render(
        request,
        "backoffice/ambassadors/leave.html",
        {"page_title": "Quitter le collectif", "ambassador": ambassador},
    )


def join_by_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    if invitation is None:
        return not_found(request, "Ce lien d'invitation n'est pas valide ou a déjà servi.")
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ambassador = invitation_join(
                invitation=invitation,
                user=request.user if request.user.is_authenticated else None,
                password=form.cleaned_data["password"],
                consent=form.cleaned_data["consent"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not request.user.is_authenticated:
                login(request, ambassador.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Bienvenue dans le collectif ! Complétez votre profil.")
            return redirect("backoffice:member_profile")
    return render(
        request,
        "backoffice/ambassadors/join.html",
        {
            "page_title": f"Rejoindre {invitation.collective.name}",
            "invitation": invitation,
            "form": form,
        },
    )
