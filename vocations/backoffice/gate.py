"""The back-office's permission gate and the lookups its views name (accounts/gate.py).

    @gate("change", EVENT, REGISTRATION, denied="Votre rôle de lecteur ne permet pas…")
    def registration_cancel_view(request, event, registration): ...

``gate`` answers with the back-office's French HTML pages (and sends the signed-out to the
sign-in page); ``json_gate`` with JSON (``{"ok": false, "message": …}``, 401 when signed out)
for scripts; ``auto_gate`` picks JSON when the request asks for it (``Accept``).

Each lookup names its object kind (the rule table's, ``accounts.permissions.RULES``), the URL
keywords it reads, its scoped selector and its French "not found". A view needing a lookup
that is not here adds it here, next to its neighbours; ``lookup.saying(message)`` gives one
with another "not found" message.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from vocations.accounts.gate import Lookup, NotFound, Refused, make_gate
from vocations.accounts.models import Organization
from vocations.accounts.permissions import editable_branches, organizations_for
from vocations.accounts.selectors import memberships_of
from vocations.ambassadors import selectors as ambassadors
from vocations.ambassadors.workshops import workshops_for_coordinator
from vocations.analytics.selectors import report_campaign
from vocations.campaigns import selectors as campaigns
from vocations.campaigns.services.plan import CAMPAIGN_TEAM_ONLY
from vocations.events import selectors as events
from vocations.events.models import Label
from vocations.events.registration_selectors import registration_for_event
from vocations.planner import selectors as planner
from vocations.webhooks import selectors as webhooks

from .selectors import event_detail_for_user, event_for_review
from .selectors_territories import territory_access

NOT_FOUND_EVENT = "Cet événement n'existe pas ou n'appartient pas à l'une de vos organisations."
STAFF_ONLY = "Cette page est réservée à l'équipe de campagne."


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(
        request,
        "backoffice/error.html",
        {"page_title": "Accès refusé", "message": message},
        status=403,
    )


def not_found(request: HttpRequest, message: str = NOT_FOUND_EVENT) -> HttpResponse:
    return render(
        request,
        "backoffice/error.html",
        {"page_title": "Page introuvable", "message": message},
        status=404,
    )


SIGNED_OUT = "Votre session a expiré : reconnectez-vous, les scans en attente seront renvoyés."


class Pages:
    """HTML answers: sign-in redirect, French 404 and 403 pages."""

    def sign_in(self, request):
        return redirect_to_login(request.get_full_path())

    def not_found(self, request, message):
        return not_found(request, message)

    def forbidden(self, request, message):
        return forbidden(request, message)


class Json:
    """JSON answers for scripts: they need JSON, not a sign-in page."""

    def sign_in(self, request):
        return JsonResponse({"ok": False, "message": SIGNED_OUT}, status=401)

    def not_found(self, request, message):
        return JsonResponse({"ok": False, "message": message}, status=404)

    def forbidden(self, request, message):
        return JsonResponse({"ok": False, "message": message}, status=403)


class Auto:
    """JSON when the request accepts it (a script), else the HTML pages."""

    def _pick(self, request):
        return JSON if "application/json" in request.headers.get("Accept", "") else PAGES

    def sign_in(self, request):
        return self._pick(request).sign_in(request)

    def not_found(self, request, message):
        return self._pick(request).not_found(request, message)

    def forbidden(self, request, message):
        return self._pick(request).forbidden(request, message)


PAGES, JSON = Pages(), Json()
gate = make_gate(PAGES)
json_gate = make_gate(JSON)
auto_gate = make_gate(Auto())


# --- events ----------------------------------------------------------------------------------

KIT_ONLY_FOR_LABELLED = (
    "Le kit de communication n'est disponible que pour un événement labellisé par l'équipe "
    "de campagne."
)
ITEM_NOT_FOUND = "Cet élément n'existe pas pour cet événement."


def _labelled_event(user, pk):
    event = event_detail_for_user(user, pk)
    if event is not None and event.label.state != Label.State.LABELLED:
        raise NotFound(KIT_ONLY_FOR_LABELLED)
    return event


def _reviewable_event(user, pk):
    # The review queue is the campaign team's: anyone else is refused before any lookup, so
    # a 404 never tells an organizer that some event exists.
    if not user.is_staff:
        raise Refused(STAFF_ONLY)
    return event_for_review(pk)


# An event in the user's organizations, as most screens need it (organization, place, label).
EVENT = Lookup("event", "pk", events.event_for_user, NOT_FOUND_EVENT, scoped_for="view")
# The same, with what the event's own page shows (audiences, sectors, trades).
EVENT_PAGE = Lookup("event", "pk", event_detail_for_user, NOT_FOUND_EVENT, scoped_for="view")
LABELLED_EVENT = Lookup("event", "pk", _labelled_event, NOT_FOUND_EVENT, scoped_for="view")
REVIEWED_EVENT = Lookup("event", "pk", _reviewable_event, "Cet événement n'existe pas.")
REGISTRATION = Lookup(
    "registration",
    "registration_pk",
    registration_for_event,
    "Cette inscription n'existe pas pour cet événement.",
)
PRESS_REQUEST = Lookup(
    "press_request",
    "accreditation_pk",
    events.press_request_for_event,
    "Cette demande d'accréditation n'existe pas pour cet événement.",
)
PARTNER = Lookup("partner", "item", events.partner_for_event, ITEM_NOT_FOUND)
SESSION = Lookup("session", "item", events.session_for_event, ITEM_NOT_FOUND)
PROGRAMME_ITEM = Lookup(
    "programme_item", ("kind", "item"), events.programme_item_for_event, ITEM_NOT_FOUND
)


def _organizations_for_events(user):
    organizations = organizations_for(user, action="change").order_by("name")
    if not organizations.exists():
        raise Refused(
            "Vous n'êtes éditeur ou propriétaire d'aucune organisation : demandez à un "
            "propriétaire de votre organisation de vous donner le rôle d'éditeur."
        )
    return organizations


# The organizations where the user may create an event (none: a 403 saying whom to ask).
EVENT_ORGANIZATIONS = Lookup("organizations", (), _organizations_for_events, "")


# --- campaigns -------------------------------------------------------------------------------

NOT_FOUND_CAMPAIGN = "Cette campagne n'existe pas ou n'appartient pas à l'une de vos organisations."
NOT_FOUND_PLACEMENT = "Cet emplacement n'existe pas dans cette campagne."
NO_CAMPAIGN_ACCESS = (
    "Les campagnes sont gérées par l'équipe de campagne et les organisations qui les portent."
)


def _campaign_list(user):
    """The campaign list: the user's campaigns; a branch editor sees every campaign, for its
    variants only (``messages_only``); anyone else is refused."""
    found = list(campaigns.campaign_list_for_user(user))
    if found:
        return found
    if editable_branches(user).exists():
        found = list(campaigns.campaigns_for_branch_messages(user))
        for campaign in found:
            campaign.messages_only = True
    elif not user.is_staff:
        raise Refused(NO_CAMPAIGN_ACCESS)
    return found


def _campaign_team(user):
    # Only the campaign team opens campaigns (campaigns.services.plan.campaign_create).
    organizations = (
        organizations_for(user, action="change")
        .filter(kind=Organization.Kind.CAMPAIGN_TEAM)
        .order_by("name")
    )
    if not organizations.exists():
        raise Refused(CAMPAIGN_TEAM_ONLY)
    return organizations


CAMPAIGNS = Lookup("campaigns", (), _campaign_list, "")
CAMPAIGN_ORGANIZATIONS = Lookup("organizations", (), _campaign_team, "")
CAMPAIGN = Lookup(
    "campaign", "pk", campaigns.campaign_for_user, NOT_FOUND_CAMPAIGN, scoped_for="view"
)
# Branch editors reach every campaign's variants screens (and only those).
CAMPAIGN_FOR_MESSAGES = Lookup(
    "campaign",
    "pk",
    campaigns.campaign_for_branch_messages,
    NOT_FOUND_CAMPAIGN,
    scoped_for="adapt",
)
REPORT_CAMPAIGN = Lookup(
    "campaign",
    "pk",
    report_campaign,
    "Cette campagne n'existe pas ou vous n'avez pas accès à ses résultats.",
    scoped_for="view",
)
WAVE = Lookup("wave", "number", campaigns.wave_for_campaign, "Cette vague n'existe pas.")
PLACEMENT = Lookup(
    "placement", "placement_pk", campaigns.placement_for_campaign, NOT_FOUND_PLACEMENT
)
LINK = Lookup(
    "link", "link_pk", campaigns.link_for_campaign, "Ce lien n'existe pas dans cette campagne."
)
BRANCH_MESSAGE = Lookup(
    "branch_message",
    "message_pk",
    campaigns.branch_message_for_campaign,
    "Cette déclinaison n'existe pas.",
)

# --- branches, territories -------------------------------------------------------------------


def _editable_branch(user, slug):
    return editable_branches(user).filter(slug=slug).first()


BRANCH = Lookup(
    "branch",
    "slug",
    _editable_branch,
    "Cette branche n'existe pas ou vous n'êtes pas éditeur de sa page.",
)


def _territory_access(user):
    access = territory_access(user)
    if access is None:
        raise Refused(
            "La vue des territoires est réservée à l'équipe de campagne et aux branches "
            "professionnelles."
        )
    return access


# What the territory view shows this user (everything, or their branches' trades).
TERRITORY = Lookup("territory", (), _territory_access, "")


# --- the collective of ambassadors -----------------------------------------------------------

NOT_MEMBER = (
    "Cet espace est réservé aux membres du collectif. Demandez à rejoindre le collectif "
    "depuis la page /ambassadeurs/."
)


def _member(user):
    ambassador = ambassadors.member_profile(user)
    if ambassador is None:
        raise Refused(NOT_MEMBER)
    return ambassador


def _workshop(collective, pk):
    return next((w for w in workshops_for_coordinator() if w.pk == pk), None)


COLLECTIVE = Lookup(
    "collective",
    "pk",
    ambassadors.collective_for_coordinator,
    "Ce collectif n'existe pas ou vous n'en êtes pas coordinateur ou coordinatrice.",
    scoped_for="coordinate",
)
JOIN_REQUEST = Lookup(
    "join_request",
    "invitation_pk",
    ambassadors.join_request_of_collective,
    "Cette demande n'existe pas.",
)
MOBILISATION = Lookup(
    "mobilisation",
    "mobilisation_pk",
    ambassadors.mobilisation_of_collective,
    "Cette mobilisation n'existe pas.",
)
WORKSHOP = Lookup("workshop", "event_pk", _workshop, "Cet atelier n'existe pas.")
# A member's own space: the signed-in user's active membership (none: 403).
MEMBER = Lookup("member", (), _member, "")
NETWORK = Lookup("network", "network_pk", ambassadors.network_of_member, "Ce réseau n'existe pas.")
MEMBER_MOBILISATION = Lookup(
    "mobilisation",
    "mobilisation_pk",
    ambassadors.mobilisation_for_member,
    "Cette mobilisation n'existe pas.",
)
PARTICIPATION = Lookup(
    "participation",
    "participation_pk",
    ambassadors.participation_of_member,
    "Ce lien n'existe pas.",
)
POST = Lookup("post", "post_pk", ambassadors.post_of_member, "Cette publication n'existe pas.")


# --- API tokens and webhooks of an organization (owners) ----------------------------------------

NOT_FOUND_ORGANIZATION = "Cette organisation n'existe pas ou ne fait pas partie des vôtres."


def _organization(user, pk):
    return organizations_for(user, action="view").filter(pk=pk).first()


def _managed_organizations(user):
    return list(organizations_for(user, action="manage").order_by("name")[:200])


def _token(organization, pk):
    from vocations.accounts.api_tokens import api_tokens_for

    return api_tokens_for(organization).filter(pk=pk).first()


ORGANIZATION = Lookup(
    "organization", "org", _organization, NOT_FOUND_ORGANIZATION, scoped_for="view"
)
MANAGED_ORGANIZATIONS = Lookup("managed_organizations", (), _managed_organizations, "")
API_TOKEN = Lookup("api_token", "pk", _token, "Ce jeton n'existe pas.")
WEBHOOK = Lookup("webhook", "pk", webhooks.webhook_of_organization, "Ce webhook n'existe pas.")
DELIVERY = Lookup("delivery", "delivery", webhooks.delivery_of_webhook, "Cet envoi n'existe pas.")

# A member's own settings (e-mail notices), one row per organization they belong to.
OWN_MEMBERSHIPS = Lookup("memberships", (), memberships_of, "")

# --- the next-wave planner (under a campaign) ------------------------------------------------

PLAN = Lookup(
    "plan", "plan_pk", planner.plan_for_campaign, "Ce plan n'existe pas pour cette campagne."
)
