"""API tokens and webhooks of an organization (owners only): create, list, revoke; a
webhook's delivery log with "send a test" and "redeliver".

A secret (token or webhook signing key) is shown once, in the answer to the POST that made
it, never stored in clear for a token, never put in the session or a URL.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from vocations.accounts.api_tokens import api_token_create, api_token_revoke, api_tokens_for
from vocations.backoffice.forms.integrations import ApiTokenForm, WebhookForm
from vocations.core.forms import add_service_errors
from vocations.webhooks.selectors import webhook_deliveries, webhooks_for
from vocations.webhooks.services import (
    delivery_redeliver,
    webhook_create,
    webhook_delete,
    webhook_send_test,
    webhook_set_active,
)

from ..gate import API_TOKEN, DELIVERY, MANAGED_ORGANIZATIONS, ORGANIZATION, WEBHOOK, gate
from .common import forbidden, not_found

OWNERS_ONLY = "Seul un propriétaire de l'organisation gère ses jetons d'API et ses webhooks."
NO_ORGANIZATION = "Vous n'êtes propriétaire d'aucune organisation : les jetons d'API et les "
NO_ORGANIZATION += "webhooks sont gérés par les propriétaires."


@gate("view", MANAGED_ORGANIZATIONS)
def integrations_index(request: HttpRequest, organizations) -> HttpResponse:
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


@gate("manage", ORGANIZATION, denied=OWNERS_ONLY)
def integrations(request: HttpRequest, organization) -> HttpResponse:
    return _page(request, organization)


@require_POST
@gate("manage", ORGANIZATION, denied=OWNERS_ONLY)
def token_create(request: HttpRequest, organization) -> HttpResponse:
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


@require_POST
@gate("manage", ORGANIZATION, API_TOKEN, denied=OWNERS_ONLY)
def token_revoke(request: HttpRequest, organization, token) -> HttpResponse:
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"Le jeton « {token.name} » est révoqué : il ne fonctionne plus.")
    return redirect("backoffice:integrations", org=organization.pk)


@require_POST
@gate("manage", ORGANIZATION, denied=OWNERS_ONLY)
def webhook_create_view(request: HttpRequest, organization) -> HttpResponse:
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


@gate("manage", ORGANIZATION, WEBHOOK, denied=OWNERS_ONLY)
def webhook_detail(request: HttpRequest, organization, webhook) -> HttpResponse:
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


@require_POST
@gate("manage", ORGANIZATION, WEBHOOK, denied=OWNERS_ONLY)
def webhook_action(request: HttpRequest, organization, webhook, action: str) -> HttpResponse:
    org, pk = organization.pk, webhook.pk
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


@require_POST
@gate("manage", ORGANIZATION, WEBHOOK, DELIVERY, denied=OWNERS_ONLY)
def delivery_redeliver_view(request: HttpRequest, organization, webhook, found) -> HttpResponse:
    org, pk = organization.pk, webhook.pk
    try:
        delivery_redeliver(actor=request.user, delivery=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Nouvel envoi mis en file : il apparaît en tête du journal.")
    return redirect("backoffice:webhook_detail", org=org, pk=pk)
