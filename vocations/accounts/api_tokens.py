"""API tokens: an organization's owners create, name and revoke them; the API authenticates
``Authorization: Bearer <token>`` with :func:`api_token_authenticate`.

The token is ``voc_`` + 43 url-safe characters (256 random bits), shown once. Only its SHA-256
is stored, so a leaked database gives no usable token. Creation and revocation are audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vocations.accounts.models import ApiToken, Organization
from vocations.accounts.permissions import require
from vocations.core.services import audit_log

TOKEN_PREFIX = "voc_"  # noqa: S105 (a marker, not a secret)
# last_used_at is written at most once in this interval: not one write per request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor, organization: Organization, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``organization``; returns it with the secret, which is never stored."""
    require(actor, "manage", organization)
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Donnez un nom au jeton (par exemple le logiciel qui l'utilisera)."]
    elif len(name) > 100:
        errors["name"] = ["100 caractères au plus."]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = ["La date d'expiration doit être dans le futur."]
    if errors:
        raise ValidationError(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organization=organization,
        name=name,
        token_hash=_hash(raw),
        prefix=raw[:10],
        created_by=actor,
        expires_at=expires_at,
    )
    audit_log(
        actor=actor,
        action="api_token.created",
        target=token,
        organization=organization,
        data={"name": name, "prefix": token.prefix},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke for good (revoking twice changes nothing)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    require(actor, "manage", token.organization)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        audit_log(
            actor=actor,
            action="api_token.revoked",
            target=token,
            organization=token.organization,
            data={"name": token.name, "prefix": token.prefix},
        )
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The live token ``raw`` names (with its organization), or None: unknown, revoked or
    expired. Records the last use, at most once a minute."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("organization")
        .filter(token_hash=_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_tokens_for(organization: Organization):
    """The organization's tokens, newest first, live ones and the revoked ones (history)."""
    return ApiToken.objects.filter(organization=organization).select_related(
        "created_by", "revoked_by"
    )
