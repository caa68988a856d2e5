"""Back-office idle timeout (issue 15, point 8): a signed-in session ends after
``BACKOFFICE_IDLE_SECONDS`` without a request, whatever the cookie's own age.

The last activity is kept in the session, rewritten at most once a minute (a session save per
request would cost a write on every page). An expired session is flushed; on a back-office
page the user lands on the sign-in page with a French word about it, then back where they were.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

LAST_SEEN = "vocations_last_seen"
REFRESH_SECONDS = 60


def mark_signed_in(sender, request, user, **kwargs) -> None:
    """Start the idle clock at sign-in (so the first pages write no session)."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = time.time()


def _has_session(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


class IdleTimeoutMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Without a session cookie nobody is signed in: reading request.user would touch the
        # session and add "Vary: Cookie" to the public pages' shared cache (docs/public-site.md).
        user = getattr(request, "user", None) if _has_session(request) else None
        if user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_SEEN)
            if last is not None and now - last > settings.BACKOFFICE_IDLE_SECONDS:
                logout(request)
                login = reverse("backoffice:login")
                if request.path.startswith(reverse("backoffice:dashboard")):
                    query = {"expiree": "1"}
                    if request.method == "GET":
                        query["next"] = request.get_full_path()
                    return redirect(f"{login}?{urlencode(query)}")
            elif last is None or now - last > REFRESH_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
