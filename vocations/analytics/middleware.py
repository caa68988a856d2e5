"""Records a visit for each arrival on a public HTML page (tracked links record in their view).

Add ``"vocations.analytics.middleware.VisitMiddleware"`` at the end of MIDDLEWARE. It runs after
the view, so pages served from the page cache are counted too. An arrival is a GET answered 200
with HTML, outside the back-office, the admin, the API, static files and /l/, that did not come
from another page of this site (Referer of this host) and carries no visit key (``?v=``, set by
the tracked-link redirect, which recorded that arrival already). HEAD is never recorded.
Measurement never breaks a page: any error here is logged and the page is served.
"""

from __future__ import annotations

import logging

from django.conf import settings

from . import privacy
from .models import ReferrerCategory, Source
from .services import build_visit, record_visit

logger = logging.getLogger(__name__)

# /inscription/ holds self-service tokens in its path: never store it.
EXCLUDED_PREFIXES = (
    "/admin/",
    "/organisateur/",
    "/api/",
    "/static/",
    "/media/",
    "/l/",
    "/inscription/",
)


def should_record(request, response) -> bool:
    if request.method != "GET" or response.status_code != 200:
        return False
    if getattr(response, "streaming", False):
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    path = request.path
    prefixes = EXCLUDED_PREFIXES + tuple(getattr(settings, "ANALYTICS_EXCLUDED_PREFIXES", ()))
    if path.startswith(prefixes):
        return False
    if privacy.valid_visit_key(request.GET.get("v")):
        return False  # a page after a tracked-link landing: that visit is already recorded
    return privacy.referrer_category(request) != ReferrerCategory.INTERNAL


class VisitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(settings, "ANALYTICS_ENABLED", True):
            try:
                if should_record(request, response):
                    record_visit(
                        visit=build_visit(request, landing_path=request.path, source=Source.DIRECT)
                    )
            except Exception:
                logger.exception("visit not recorded")
        return response
