"""Campaign team's screens: campaigns, waves, media plan, imports, tracked links and QR codes,
branch message variants.

The gate (``..gate``) finds every campaign in the user's scope first, so another organization's
campaign is "not found" (404); a viewer who tries to change gets a 403. Branch editors reach
only the branch-message screens of a campaign.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from vocations.accounts.permissions import can, editable_branches, organizations_for
from vocations.analytics.report_details import link_totals
from vocations.analytics.selectors import rolled_until
from vocations.backoffice.forms.campaigns import (
    BranchMessageForm,
    CampaignForm,
    CommuneLinksForm,
    PlacementFilterForm,
    PlacementForm,
    WaveForm,
    add_service_errors,
)
from vocations.campaigns import qr
from vocations.campaigns.models import TrackedLink
from vocations.campaigns.selectors import (
    branch_message_list,
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
from vocations.careers.models import Branch

from ..gate import (
    BRANCH_MESSAGE,
    CAMPAIGN,
    CAMPAIGN_FOR_MESSAGES,
    CAMPAIGN_ORGANIZATIONS,
    CAMPAIGNS,
    LINK,
    PLACEMENT,
    WAVE,
    gate,
)
from .common import not_found

CANNOT_CHANGE = "Votre rôle de lecteur ne permet pas de modifier cette campagne."
LINKS_PAGE_SIZE = 50


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- campaigns and waves ---------------------------------------------------------------------


@gate("view", CAMPAIGNS)
def campaign_list(request: HttpRequest, campaigns) -> HttpResponse:
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


@gate("change", CAMPAIGN_ORGANIZATIONS)
def campaign_create_view(request: HttpRequest, organizations) -> HttpResponse:
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


@gate("change", CAMPAIGN, denied=CANNOT_CHANGE)
def campaign_edit(request: HttpRequest, campaign) -> HttpResponse:
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


@gate("view", CAMPAIGN)
def campaign_detail(request: HttpRequest, campaign) -> HttpResponse:
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


@gate("change", CAMPAIGN, WAVE.maybe(), denied=CANNOT_CHANGE)
def wave_edit(request: HttpRequest, campaign, wave) -> HttpResponse:
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


@gate("change", CAMPAIGN, PLACEMENT.maybe(), denied=CANNOT_CHANGE)
def placement_edit(request: HttpRequest, campaign, placement):
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
@gate("change", CAMPAIGN, PLACEMENT, denied=CANNOT_CHANGE)
def placement_delete_view(request: HttpRequest, campaign, placement) -> HttpResponse:
    try:
        placement_delete(actor=request.user, placement=placement)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Emplacement « {placement.name} » supprimé.")
    return redirect("backoffice:campaign_detail", pk=campaign.pk)


# --- links and QR codes ----------------------------------------------------------------------


@gate("view", CAMPAIGN)
def link_list_view(request: HttpRequest, campaign) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(link_list(campaign, q=q), LINKS_PAGE_SIZE).get_page(request.GET.get("page"))
    figures = link_totals(campaign_id=campaign.pk, link_ids=[link.pk for link in page])
    for link in page:
        link.qr_url, link.short_url = qr_url(link), short_url(link)
        link.figures = figures[link.pk]
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
@gate("change", CAMPAIGN, PLACEMENT, denied=CANNOT_CHANGE)
def placement_links_create(request: HttpRequest, campaign, placement) -> HttpResponse:
    """One link for the placement, or one per commune when INSEE codes are given."""
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
@gate("change", CAMPAIGN, LINK, denied=CANNOT_CHANGE)
def link_toggle(request: HttpRequest, campaign, link) -> HttpResponse:
    tracked_link_set_active(actor=request.user, link=link, is_active=not link.is_active)
    state = "réactivé" if link.is_active else "désactivé"
    messages.success(request, f"Lien /l/{link.code} {state}.")
    return redirect("backoffice:campaign_links", pk=campaign.pk)


@gate("view", CAMPAIGN, LINK.saying("Ce QR code n'existe pas."))
def link_qr(request: HttpRequest, campaign, link, size: str, fmt: str) -> HttpResponse:
    if size not in qr.SIZES or fmt not in ("svg", "png"):
        return not_found(request, "Ce QR code n'existe pas.")
    stem = f"{qr.file_stem(link)}_{size}"
    if fmt == "svg":
        return _attachment(qr.svg_bytes(link, size), "image/svg+xml", f"{stem}.svg")
    return _attachment(qr.png_bytes(link, size), "image/png", f"{stem}.png")


@gate("view", CAMPAIGN, WAVE)
def wave_qr_zip(request: HttpRequest, campaign, wave, size: str) -> HttpResponse:
    if size not in qr.SIZES:
        return not_found(request, "Cette vague n'existe pas.")
    return _attachment(
        qr.wave_zip(wave, size), "application/zip", f"qr_vague-{wave.number}_{size}.zip"
    )


# --- branch messages -------------------------------------------------------------------------


@gate("adapt", CAMPAIGN_FOR_MESSAGES)
def branch_messages(request: HttpRequest, campaign) -> HttpResponse:
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


@gate("adapt", CAMPAIGN_FOR_MESSAGES, BRANCH_MESSAGE.maybe())
def branch_message_edit(request: HttpRequest, campaign, message):
    # The gate let through an editor of the campaign or of this variant's branch; a new
    # variant is for one of the branches this user speaks for (any, for the campaign's).
    branches = editable_branches(request.user)
    if can(request.user, "change", campaign):
        branches = Branch.objects.all()
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
            else:
                messages.success(request, "Déclinaison enregistrée.")
                return redirect("backoffice:campaign_messages", pk=campaign.pk)
        status = 400
    return render(
        request,
        "backoffice/campaigns/message_form.html",
        {"page_title": "Déclinaison", "campaign": campaign, "message": message, "form": form},
        status=status,
    )
