"""API tokens and webhooks of an organization (owners only): create, list, revoke; a
webhook's delivery log with "send a test" and "redeliver".

A secret (token or webhook signing key) is shown once, in the answer to the POST that made
it, never stored in clear for a token, never put in the session or a URL.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from vocations.accounts.api_tokens import api_token_create, api_token_revoke, api_tokens_for
from vocations.accounts.permissions import organizations_for
from vocations.backoffice.integration_forms import ApiTokenForm, WebhookForm
from vocations.core.forms import add_service_errors
from vocations.webhooks.models import Webhook, WebhookDelivery
from vocations.webhooks.selectors import webhook_deliveries, webhooks_for
from vocations.webhooks.services import (
    delivery_redeliver,
    webhook_create,
    webhook_delete,
    webhook_send_test,
    webhook_set_active,
)

from .common import forbidden, not_found

NOT_FOUND = "Cette organisation n'existe pas ou ne fait pas partie des vôtres."
OWNERS_ONLY = "Seul un propriétaire de l'organisation gère ses jetons d'API et ses webhooks."
NO_ORGANIZATION = "Vous n'êtes propriétaire d'aucune organisation : les jetons d'API et les "
NO_ORGANIZATION += "webhooks sont gérés par les propriétaires."


def _organization(request: HttpRequest, pk: int):
    """(organization, None) when the user may manage it, else (None, a 404 or 403 page)."""
    organization = organizations_for(request.user, action="manage").filter(pk=pk).first()
    if organization is not None:
        return organization, None
    if organizations_for(request.user, action="view").filter(pk=pk).exists():
        return None, forbidden(request, OWNERS_ONLY)
    return None, not_found(request, NOT_FOUND)


@login_required
def integrations_index(request: HttpRequest) -> HttpResponse:
    organizations = list(organizations_for(request.user, action="manage").order_by("name")[:200])
    if len(organizations) == 1:
        return redirect("backoffice:integrations", org=organizations[0].pk)
    if not organizations:
        return forbidden(request, NO_ORGANIZATION)
    return render(
        request,
        "backoffice/integrations/index.html",
        {"page_title": "API et webhooks", "organizations": organizations},
    )


def _page(request, organization, *, token_form=None, webhook_form=None, shown=None, status=200):
    response = render(
        request,
        "backoffice/integrations/page.html",
        {
            "page_title": f"API et webhooks — {organization.name}",
            "organization": organization,
            "tokens": api_tokens_for(organization),
            "webhooks": webhooks_for(organization),
            "token_form": token_form or ApiTokenForm(),
            "webhook_form": webhook_form or WebhookForm(),
            "shown": shown,
            "now": timezone.now(),
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"  # a secret may be on it
    return response


@login_required
def integrations(request: HttpRequest, org: int) -> HttpResponse:
    organization, refusal = _organization(request, org)
    if refusal:
        return refusal
    return _page(request, organization)


@login_required
@require_POST
def token_create(request: HttpRequest, org: int) -> HttpResponse:
    organization, refusal = _organization(request, org)
    if refusal:
        return refusal
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, raw = api_token_create(
                actor=request.user,
                organization=organization,
                name=form.cleaned_data["name"],
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            add_service_errors(form, error, field_for={"expires_at": "expires_on"})
        else:
            shown = {"kind": "token", "name": token.name, "secret": raw}
            return _page(request, organization, shown=shown, status=201)
    return _page(request, organization, token_form=form, status=400)


@login_required
@require_POST
def token_revoke(request: HttpRequest, org: int, pk: int) -> HttpResponse:
    organization, refusal = _organization(request, org)
    if refusal:
        return refusal
    token = api_tokens_for(organization).filter(pk=pk).first()
    if token is None:
        return not_found(request, "Ce jeton n'existe pas.")
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"Le jeton « {token.name} » est révoqué : il ne fonctionne plus.")
    return redirect("backoffice:integrations", org=organization.pk)


@login_required
@require_POST
def webhook_create_view(request: HttpRequest, org: int) -> HttpResponse:
    organization, refusal = _organization(request, org)
    if refusal:
        return refusal
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            webhook, secret = webhook_create(
                actor=request.user,
                organization=organization,
                url=form.cleaned_data["url"],
                event_types=form.cleaned_data["event_types"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            shown = {"kind": "webhook", "name": webhook.url, "secret": secret}
            return _page(request, organization, shown=shown, status=201)
    return _page(request, organization, webhook_form=form, status=400)


def _webhook(request: HttpRequest, org: int, pk: int):
    organization, refusal = _organization(request, org)
    if refusal:
        return None, refusal
    webhook = Webhook.objects.filter(organization=organization, pk=pk).first()
    if webhook is None:
        return None, not_found(request, "Ce webhook n'existe pas.")
    webhook.organization = organization  # already read: no second query
    return webhook, None


@login_required
def webhook_detail(request: HttpRequest, org: int, pk: int) -> HttpResponse:
    webhook, refusal = _webhook(request, org, pk)
    if refusal:
        return refusal
    return render(
        request,
        "backoffice/integrations/webhook.html",
        {
            "page_title": f"Webhook {webhook.url}",
            "organization": webhook.organization,
            "webhook": webhook,
            "page": webhook_deliveries(webhook, page=request.GET.get("page", 1)),
        },
    )


@login_required
@require_POST
def webhook_action(request: HttpRequest, org: int, pk: int, action: str) -> HttpResponse:
    webhook, refusal = _webhook(request, org, pk)
    if refusal:
        return refusal
    if action == "test":
        webhook_send_test(actor=request.user, webhook=webhook)
        messages.success(request, "Envoi de test mis en file : son résultat apparaît ci-dessous.")
    elif action in ("activer", "desactiver"):
        webhook_set_active(actor=request.user, webhook=webhook, active=action == "activer")
        messages.success(
            request, "Webhook réactivé." if action == "activer" else "Webhook désactivé."
        )
    elif action == "supprimer":
        webhook_delete(actor=request.user, webhook=webhook)
        messages.success(request, f"Webhook {webhook.url} supprimé.")
        return redirect("backoffice:integrations", org=org)
    else:
        return not_found(request, "Action inconnue.")
    return redirect("backoffice:webhook_detail", org=org, pk=pk)


@login_required
@require_POST
def delivery_redeliver_view(request: HttpRequest, org: int, pk: int, delivery: int) -> HttpResponse:
    webhook, refusal = _webhook(request, org, pk)
    if refusal:
        return refusal
    found = WebhookDelivery.objects.filter(webhook=webhook, pk=delivery).first()
    if found is None:
        return not_found(request, "Cet envoi n'existe pas.")
    try:
        delivery_redeliver(actor=request.user, delivery=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Nouvel envoi mis en file : il apparaît en tête du journal.")
    return redirect("backoffice:webhook_detail", org=org, pk=pk)
