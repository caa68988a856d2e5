"""Bots on the public forms (registration, press): a honeypot field and a minimum fill time.

``form_started`` is a signed timestamp put in the form when the page is rendered (both forms
are per-visitor, never-cached pages; a form on a cached page gets it from
``/jeton-csrf.json`` with the CSRF token, see docs/public-site.md). A submission with the
honeypot filled, without a valid stamp, faster than ``PUBLIC_FORM_MIN_SECONDS`` or older than
``PUBLIC_FORM_MAX_SECONDS`` is refused before anything is written; a person who was simply
quick (autofill) gets a French message, a fresh stamp and sends again.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing
from django.http import QueryDict

HONEYPOT = "site_web"
STARTED = "form_started"
_SALT = "vocations.web.public-form-started"

TOO_FAST = (
    "Le formulaire a été envoyé trop vite pour avoir été rempli. Vérifiez vos informations "
    "puis validez de nouveau."
)
EXPIRED = "Le formulaire a expiré. Vérifiez vos informations puis validez de nouveau."
REFUSED = "Le formulaire n'a pas pu être envoyé. Rechargez la page puis réessayez."


def form_started_value(at: float | None = None) -> str:
    """A signed stamp of ``at`` (default: now)."""
    return signing.dumps({"t": int(at if at is not None else time.time())}, salt=_SALT)


def bot_error(data: QueryDict) -> str:
    """The French reason to refuse this submission, or "" if it looks human."""
    if (data.get(HONEYPOT) or "").strip():
        return REFUSED
    try:
        started = signing.loads(data.get(STARTED) or "", salt=_SALT)["t"]
    except (signing.BadSignature, KeyError, TypeError):
        return REFUSED
    elapsed = time.time() - int(started)
    if elapsed < settings.PUBLIC_FORM_MIN_SECONDS:
        return TOO_FAST
    if elapsed > settings.PUBLIC_FORM_MAX_SECONDS:
        return EXPIRED
    return ""
