"""Campaign team's screens: campaigns, waves, media plan, imports, tracked links and QR codes,
branch message variants.

Every campaign is looked up in the user's scope first (vocations.campaigns.selectors), so
another organization's campaign is "not found" (404); a viewer who tries to change gets a 403.
Branch editors reach only the branch-message screens of a campaign.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from vocations.accounts.models import Organization
from vocations.accounts.permissions import can, editable_branches, organizations_for
from vocations.analytics.report_details import link_totals
from vocations.analytics.rollups import rolled_until
from vocations.campaigns import imports, qr
from vocations.campaigns.forms import (
    BranchMessageForm,
    CampaignForm,
    CommuneLinksForm,
    ImportForm,
    PlacementFilterForm,
    PlacementForm,
    WaveForm,
    add_service_errors,
)
from vocations.campaigns.models import BranchMessage, Campaign, Placement, TrackedLink, Wave
from vocations.campaigns.selectors import (
    branch_message_list,
    campaign_for_user,
    campaign_list_for_user,
    campaign_totals,
    link_list,
    placement_list,
    qr_url,
    short_url,
    wave_list,
)
from vocations.campaigns.services import (
    branch_message_create,
    branch_message_update,
    campaign_create,
    campaign_update,
    placement_create,
    placement_delete,
    placement_links_per_commune,
    placement_update,
    tracked_link_create,
    tracked_link_set_active,
    wave_create,
    wave_update,
)
from vocations.campaigns.services.plan import CAMPAIGN_TEAM_ONLY
from vocations.careers.models import Branch
from vocations.core.exceptions import ImportFileError

from .common import forbidden, is_campaign_staff, not_found

NOT_FOUND = "Cette campagne n'existe pas ou n'appartient pas à l'une de vos organisations."
NO_CAMPAIGN_ACCESS = (
    "Les campagnes sont gérées par l'équipe de campagne et les organisations qui les portent."
)
CANNOT_CHANGE = "Votre rôle de lecteur ne permet pas de modifier cette campagne."
IMPORT_SALT = "vocations.campaigns.pending-import"
LINKS_PAGE_SIZE = 50
IMPORT_TOKEN_MAX_AGE = 3600
IMPORTERS = {
    "plan": (imports.media_plan_import, "Import du plan média", imports.PLAN_COLUMNS),
    "chiffres": (
        imports.media_figures_import,
        "Import des chiffres médias",
        imports.FIGURE_COLUMNS,
    ),
}


# --- lookups ---------------------------------------------------------------------------------


def _campaign(request: HttpRequest, pk: int, *, change: bool = False):
    """(campaign, None), or (None, the French 404/403 response)."""
    campaign = campaign_for_user(request.user, pk)
    if campaign is None:
        return None, not_found(request, NOT_FOUND)
    if change and not can(request.user, "change", campaign):
        return None, forbidden(request, CANNOT_CHANGE)
    return campaign, None


def _campaign_for_messages(request: HttpRequest, pk: int):
    """Campaign members, or editors of a branch: branches adapt every campaign's message."""
    campaign = campaign_for_user(request.user, pk)
    if campaign is None and editable_branches(request.user).exists():
        campaign = Campaign.objects.select_related("organization").filter(pk=pk).first()
    if campaign is None:
        return None, not_found(request, NOT_FOUND)
    return campaign, None


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- campaigns and waves ---------------------------------------------------------------------


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = list(campaign_list_for_user(request.user))
    branches = editable_branches(request.user)
    if not campaigns and not is_campaign_staff(request.user) and not branches.exists():
        return forbidden(request, NO_CAMPAIGN_ACCESS)
    if not campaigns and branches.exists():
        campaigns = list(Campaign.objects.select_related("organization"))
        for campaign in campaigns:
            campaign.messages_only = True
    return render(
        request,
        "backoffice/campaigns/list.html",
        {
            "page_title": "Campagnes",
            "campaigns": campaigns,
            "can_create": organizations_for(request.user, action="change").exists(),
        },
    )


def _campaign_form_page(request, form, *, campaign=None, status=200):
    title = f"Modifier « {campaign.name} »" if campaign else "Nouvelle campagne"
    return render(
        request,
        "backoffice/campaigns/campaign_form.html",
        {"page_title": title, "form": form, "campaign": campaign},
        status=status,
    )


@login_required
def campaign_create_view(request: HttpRequest) -> HttpResponse:
    # Only the campaign team opens campaigns (campaigns.services.plan.campaign_create).
    organizations = (
        organizations_for(request.user, action="change")
        .filter(kind=Organization.Kind.CAMPAIGN_TEAM)
        .order_by("name")
    )
    if not organizations.exists():
        return forbidden(request, CAMPAIGN_TEAM_ONLY)
    form = CampaignForm(request.POST or None, organizations=organizations)
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign = campaign_create(
                    actor=request.user,
                    organization=form.cleaned_data["organization"],
                    data=form.to_data(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error("organization", str(error))
            else:
                messages.success(request, f"Campagne « {campaign.name} » créée.")
                return redirect("backoffice:campaign_detail", pk=campaign.pk)
        return _campaign_form_page(request, form, status=400)
    return _campaign_form_page(request, form)


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, refusal = _campaign(request, pk, change=True)
    if refusal:
        return refusal
    form = CampaignForm(request.POST or None, campaign=campaign)
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign_update(actor=request.user, campaign=campaign, data=form.to_data())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Campagne enregistrée.")
                return redirect("backoffice:campaign_detail", pk=campaign.pk)
        return _campaign_form_page(request, form, campaign=campaign, status=400)
    return _campaign_form_page(request, form, campaign=campaign)


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, refusal = _campaign(request, pk)
    if refusal:
        return refusal
    waves = list(wave_list(campaign))
    filters = PlacementFilterForm(request.GET or None, waves=waves)
    wave = channel = None
    if filters.is_valid():
        wave, channel = filters.cleaned_data["wave"], filters.cleaned_data["channel"]
    return render(
        request,
        "backoffice/campaigns/detail.html",
        {
            "page_title": campaign.name,
            "campaign": campaign,
            "waves": waves,
            "totals": campaign_totals(campaign),
            "filters": filters,
            "placements": placement_list(campaign, wave=wave, channel=channel or ""),
            "can_change": can(request.user, "change", campaign),
        },
    )


@login_required
def wave_edit(request: HttpRequest, pk: int, number: int | None = None) -> HttpResponse:
    campaign, refusal = _campaign(request, pk, change=True)
    if refusal:
        return refusal
    wave = None
    if number is not None:
        wave = Wave.objects.filter(campaign=campaign, number=number).first()
        if wave is None:
            return not_found(request, "Cette vague n'existe pas.")
    if wave:
        initial = {f: getattr(wave, f) for f in ("number", "name", "starts_on", "ends_on")}
    else:
        initial = {"number": wave_list(campaign).count() + 1}
    form = WaveForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                if wave:
                    wave_update(actor=request.user, wave=wave, data=form.to_data())
                else:
                    wave_create(actor=request.user, campaign=campaign, data=form.to_data())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Vague enregistrée.")
                return redirect("backoffice:campaign_detail", pk=campaign.pk)
        status = 400
    else:
        status = 200
    return render(
        request,
        "backoffice/campaigns/wave_form.html",
        {"page_title": "Vague", "campaign": campaign, "wave": wave, "form": form},
        status=status,
    )


# --- placements ------------------------------------------------------------------------------


@login_required
def placement_edit(request: HttpRequest, pk: int, placement_pk: int | None = None):
    campaign, refusal = _campaign(request, pk, change=True)
    if refusal:
        return refusal
    placement = None
    if placement_pk is not None:
        placement = Placement.objects.filter(campaign=campaign, pk=placement_pk).first()
        if placement is None:
            return not_found(request, "Cet emplacement n'existe pas dans cette campagne.")
    form = PlacementForm(request.POST or None, campaign=campaign, placement=placement)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if placement:
                    placement_update(actor=request.user, placement=placement, data=form.to_data())
                else:
                    placement = placement_create(
                        actor=request.user, campaign=campaign, data=form.to_data()
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Emplacement « {placement.name} » enregistré.")
                return redirect("backoffice:campaign_detail", pk=campaign.pk)
        status = 400
    return render(
        request,
        "backoffice/campaigns/placement_form.html",
        {"page_title": "Emplacement", "campaign": campaign, "placement": placement, "form": form},
        status=status,
    )


@require_POST
@login_required
def placement_delete_view(request: HttpRequest, pk: int, placement_pk: int) -> HttpResponse:
    campaign, refusal = _campaign(request, pk, change=True)
    if refusal:
        return refusal
    placement = Placement.objects.filter(campaign=campaign, pk=placement_pk).first()
    if placement is None:
        return not_found(request, "Cet emplacement n'existe pas dans cette campagne.")
    try:
        placement_delete(actor=request.user, placement=placement)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Emplacement « {placement.name} » supprimé.")
    return redirect("backoffice:campaign_detail", pk=campaign.pk)


# --- imports ---------------------------------------------------------------------------------


def _pending_storage() -> FileSystemStorage:
    # Outside MEDIA_ROOT: a pending import file is never served.
    return FileSystemStorage(location=Path(settings.VAR_DIR) / "pending-imports")


def _keep_pending(request, campaign, kind: str, content: bytes, filename: str) -> str:
    name = _pending_storage().save(f"{uuid.uuid4().hex}.bin", ContentFile(content))
    return signing.dumps(
        {"n": name, "c": campaign.pk, "u": request.user.pk, "k": kind, "f": filename},
        salt=IMPORT_SALT,
    )


def _take_pending(request, campaign, kind: str, token: str):
    """(content, filename) of a pending file this user uploaded for this campaign, or None."""
    try:
        data = signing.loads(token, salt=IMPORT_SALT, max_age=IMPORT_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("c") != campaign.pk or data.get("u") != request.user.pk or data.get("k") != kind:
        return None
    storage = _pending_storage()
    if not storage.exists(data["n"]):
        return None
    with storage.open(data["n"], "rb") as handle:
        content = handle.read()
    storage.delete(data["n"])
    return content, data["f"]


@login_required
def import_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    campaign, refusal = _campaign(request, pk, change=True)
    if refusal:
        return refusal
    if kind not in IMPORTERS:
        return not_found(request, "Cet import n'existe pas.")
    importer, title, columns = IMPORTERS[kind]
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"page_title": title, "campaign": campaign, "form": form, "columns": columns}
    context["kind"] = kind
    if request.method != "POST":
        return render(request, "backoffice/campaigns/import.html", context)
    if request.POST.get("token"):
        pending = _take_pending(request, campaign, kind, request.POST["token"])
        if pending is None:
            messages.error(request, "Ce fichier a expiré : envoyez-le à nouveau.")
            return redirect("backoffice:campaign_import", pk=campaign.pk, kind=kind)
        content, filename = pending
        valid_only = True
    elif form.is_valid():
        upload = form.cleaned_data["file"]
        content, filename, valid_only = upload.read(), upload.name, False
    else:
        return render(request, "backoffice/campaigns/import.html", context, status=400)
    try:
        report = importer(
            actor=request.user,
            campaign=campaign,
            content=content,
            filename=filename,
            valid_lines_only=valid_only,
        )
    except ImportFileError as error:
        form.add_error("file" if "file" in form.fields else None, str(error))
        return render(request, "backoffice/campaigns/import.html", context, status=400)
    context["report"] = report
    if report.imported:
        messages.success(
            request,
            f"Import terminé : {report.created} ajouté(s), {report.updated} mis à jour, "
            f"{report.unchanged} inchangé(s)"
            + (f", {report.error_lines} ligne(s) en erreur ignorée(s)." if report.errors else "."),
        )
        for warning in report.warnings[:20]:
            messages.warning(request, warning)
        return redirect("backoffice:campaign_detail", pk=campaign.pk)
    if report.errors and report.valid_lines and not report.refusal:
        context["token"] = _keep_pending(request, campaign, kind, content, filename)
    return render(request, "backoffice/campaigns/import.html", context, status=400)


# --- links and QR codes ----------------------------------------------------------------------


@login_required
def link_list_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, refusal = _campaign(request, pk)
    if refusal:
        return refusal
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(link_list(campaign, q=q), LINKS_PAGE_SIZE).get_page(request.GET.get("page"))
    figures = link_totals(campaign_id=campaign.pk, link_ids=[link.pk for link in page])
    for link in page:
        link.qr_url, link.short_url = qr_url(link), short_url(link)
        link.figures = figures[link.pk]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/campaigns/links.html",
        {
            "page_title": f"Liens suivis — {campaign.name}",
            "campaign": campaign,
            "page": page,
            "q": q,
            "query": urlencode({"q": q}) if q else "",
            "rolled_until": rolled_until(),
            "waves": wave_list(campaign),
            "placements": placement_list(campaign),
            "sizes": qr.SIZES,
            "qr_colour": qr.dark_colour(campaign.banner_colour),
            "commune_form": CommuneLinksForm(),
            "can_change": can(request.user, "change", campaign),
        },
    )


@require_POST
@login_required
def placement_links_create(request: HttpRequest, pk: int, placement_pk: int) -> HttpResponse:
    """One link for the placement, or one per commune when INSEE codes are given."""
    campaign, refusal = _campaign(request, pk, change=True)
    if refusal:
        return refusal
    placement = Placement.objects.filter(campaign=campaign, pk=placement_pk).first()
    if placement is None:
        return not_found(request, "Cet emplacement n'existe pas dans cette campagne.")
    if request.POST.get("communes", "").strip():
        form = CommuneLinksForm(request.POST)
        if not form.is_valid():
            for message in form.errors["communes"]:
                messages.error(request, message)
            return redirect("backoffice:campaign_links", pk=campaign.pk)
        links = placement_links_per_commune(
            actor=request.user, placement=placement, communes=form.cleaned_data["communes"]
        )
        messages.success(request, f"{len(links)} lien(s) par commune pour « {placement.name} ».")
    else:
        try:
            link = tracked_link_create(
                actor=request.user,
                campaign=campaign,
                target_kind=TrackedLink.TargetKind.PLACEMENT,
                placement=placement,
                label=request.POST.get("label", "").strip()[:200] or placement.name,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Lien /l/{link.code} créé.")
    return redirect("backoffice:campaign_links", pk=campaign.pk)


@require_POST
@login_required
def link_toggle(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    campaign, refusal = _campaign(request, pk, change=True)
    if refusal:
        return refusal
    link = TrackedLink.objects.filter(campaign=campaign, pk=link_pk).first()
    if link is None:
        return not_found(request, "Ce lien n'existe pas dans cette campagne.")
    tracked_link_set_active(actor=request.user, link=link, is_active=not link.is_active)
    state = "réactivé" if link.is_active else "désactivé"
    messages.success(request, f"Lien /l/{link.code} {state}.")
    return redirect("backoffice:campaign_links", pk=campaign.pk)


@login_required
def link_qr(request: HttpRequest, pk: int, link_pk: int, size: str, fmt: str) -> HttpResponse:
    campaign, refusal = _campaign(request, pk)
    if refusal:
        return refusal
    link = link_list(campaign).filter(pk=link_pk).first()
    if link is None or size not in qr.SIZES or fmt not in ("svg", "png"):
        return not_found(request, "Ce QR code n'existe pas.")
    stem = f"{qr.file_stem(link)}_{size}"
    if fmt == "svg":
        return _attachment(qr.svg_bytes(link, size), "image/svg+xml", f"{stem}.svg")
    return _attachment(qr.png_bytes(link, size), "image/png", f"{stem}.png")


@login_required
def wave_qr_zip(request: HttpRequest, pk: int, number: int, size: str) -> HttpResponse:
    campaign, refusal = _campaign(request, pk)
    if refusal:
        return refusal
    wave = Wave.objects.filter(campaign=campaign, number=number).select_related("campaign").first()
    if wave is None or size not in qr.SIZES:
        return not_found(request, "Cette vague n'existe pas.")
    return _attachment(
        qr.wave_zip(wave, size), "application/zip", f"qr_vague-{wave.number}_{size}.zip"
    )


# --- branch messages -------------------------------------------------------------------------


@login_required
def branch_messages(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, refusal = _campaign_for_messages(request, pk)
    if refusal:
        return refusal
    editable = set(editable_branches(request.user).values_list("pk", flat=True))
    campaign_editor = can(request.user, "change", campaign)
    items = list(branch_message_list(campaign))
    for item in items:
        item.can_edit = campaign_editor or item.branch_id in editable
    return render(
        request,
        "backoffice/campaigns/messages.html",
        {
            "page_title": f"Déclinaisons de branche — {campaign.name}",
            "campaign": campaign,
            "items": items,
            "can_create": campaign_editor or bool(editable),
        },
    )


@login_required
def branch_message_edit(request: HttpRequest, pk: int, message_pk: int | None = None):
    campaign, refusal = _campaign_for_messages(request, pk)
    if refusal:
        return refusal
    message = None
    branches = editable_branches(request.user)
    if can(request.user, "change", campaign):
        branches = Branch.objects.all()
    if message_pk is not None:
        message = (
            BranchMessage.objects.filter(campaign=campaign, pk=message_pk)
            .select_related("branch", "campaign")
            .first()
        )
        if message is None:
            return not_found(request, "Cette déclinaison n'existe pas.")
    kwargs = {"campaign": campaign, "message": message}
    if message is None:
        kwargs["branches"] = branches.order_by("short_name")
    form = BranchMessageForm(request.POST or None, request.FILES or None, **kwargs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if message:
                    branch_message_update(actor=request.user, message=message, data=form.to_data())
                else:
                    branch_message_create(
                        actor=request.user,
                        campaign=campaign,
                        branch=form.cleaned_data["branch"],
                        data=form.to_data(),
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                return forbidden(request, str(error))
            else:
                messages.success(request, "Déclinaison enregistrée.")
                return redirect("backoffice:campaign_messages", pk=campaign.pk)
        status = 400
    elif message is not None and not (
        can(request.user, "change", campaign) or branches.filter(pk=message.branch_id).exists()
    ):
        return forbidden(request, "Cette déclinaison est modifiable par sa branche seulement.")
    return render(
        request,
        "backoffice/campaigns/message_form.html",
        {"page_title": "Déclinaison", "campaign": campaign, "message": message, "form": form},
        status=status,
    )
