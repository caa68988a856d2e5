"""API authentication: ``Authorization: Bearer voc_…``, a token an organization's owner
created in the back-office (vocations/accounts/api_tokens.py).

Endpoints with ``auth=token_auth`` see ``request.auth``, the live ApiToken; its organization
is the scope of everything they read (another organization's objects are 404). Each token has
its own rate limit (``settings.RATE_LIMITS["api-token"]``), on top of nothing else: a partner
behind a shared address is not limited by its neighbours.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from vocations.accounts.api_tokens import api_token_authenticate
from vocations.accounts.models import ApiToken
from vocations.core.ratelimit import hit

UNAUTHENTICATED = (
    "Authentification requise : envoyez un jeton d'API valide dans l'en-tête "
    "« Authorization: Bearer … » (jeton inconnu, révoqué ou expiré)."
)


class TokenRateLimited(Exception):
    def __init__(self, wait: int):
        super().__init__(wait)
        self.wait = wait


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = api_token_authenticate(token.strip())
        if api_token is None:
            return None
        wait = hit(request, "api-token", str(api_token.pk))
        if wait is not None:
            raise TokenRateLimited(wait)
        return api_token


token_auth = TokenAuth()


def optional_token(request: HttpRequest) -> ApiToken | None:
    """The caller's token on a public endpoint: None without one (a wrong one is refused, so
    that a partner learns at once that its key no longer works)."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    api_token = token_auth(request)
    if api_token is None:
        raise AuthenticationError()
    return api_token
