"""The health check, ``/sante/``: is this node able to serve? (docs/deployment.md)

Asked every few seconds by a load balancer, systemd or `make prod`, over plain HTTP and often
straight to gunicorn: so it is never redirected to https (``SECURE_REDIRECT_EXEMPT``), never
cached, counted as no visit (JSON, not a page) and cheap: one ``SELECT 1`` and one Redis round
trip. 200 when both answer, 503 naming what failed otherwise.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)
PROBE_KEY = "vocations:health"


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache() -> str:
    if not getattr(settings, "REDIS_URL", ""):
        return "absent"  # embedded default: local-memory cache, nothing to reach
    cache.set(PROBE_KEY, 1, timeout=10)
    if cache.get(PROBE_KEY) != 1:
        raise RuntimeError("the value written was not read back")
    return "ok"


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    report: dict[str, str] = {}
    healthy = True
    for name, probe in (("base", _database), ("redis", _cache)):
        try:
            report[name] = probe()
        except Exception as error:  # any failure is an answer here, not a 500
            logger.warning("health check: %s failed: %s", name, error)
            report[name] = "erreur"
            healthy = False
    report["etat"] = "ok" if healthy else "en panne"
    return JsonResponse(report, status=200 if healthy else 503)
