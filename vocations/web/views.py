"""Public pages of the site: home, legal pages, robots.txt and the French error pages."""

import base64
import hashlib
import logging
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse

from vocations.events.finder import PARAMS as FINDER_PARAMS

from . import content, selectors
from .audiences.content import PAGES_BY_CODE
from .audiences.links import attach_urls, finder_url, route
from .cache import public_page

logger = logging.getLogger(__name__)


@public_page
def home(request: HttpRequest) -> HttpResponse:
    # The same page for every visitor: national lists only; "près de chez moi" is a GET form
    # that hands the postal code to the event finder.
    events = selectors.upcoming_public_events(limit=6)
    trades = selectors.featured_trade_list(limit=6)
    attach_urls(trades=trades, events=events)
    audiences = [
        {
            "audience": audience,
            "url": route("web:audience_detail", slug=PAGES_BY_CODE[audience.code].slug)
            if audience.code in PAGES_BY_CODE
            else None,
        }
        for audience in content.AUDIENCES
    ]
    return render(
        request,
        "web/home.html",
        {
            "page_title": "Avec l'industrie, on a un avenir à fabriquer",
            "page_description": (
                "L'industrie recrute près de 300 000 personnes par an : découvrez ses filières, "
                "ses métiers et les événements près de chez vous."
            ),
            "key_figures": content.KEY_FIGURES,
            "hiring_need": selectors.national_hiring_need(),
            "audiences": audiences,
            "sectors": selectors.sector_list(),
            "event_kinds": content.EVENT_KINDS,
            "events": events,
            "trades": trades,
            "trade_list_url": route("web:trade_list"),
            "finder_url": finder_url(),
            "postal_code_param": FINDER_PARAMS["postal_code"],
            "radius_param": FINDER_PARAMS["radius"],
            "radius_choices": (10, 30, 50, 100),
            "quiz_url": route("web:quiz"),
        },
    )


def _publisher() -> dict[str, str]:
    # Each deployment names its own publisher; production cannot start without one
    # (vocations/core/checks.py), development has a demo identity.
    return {
        "name": settings.SITE_PUBLISHER or "l'organisme qui exploite ce site",
        "contact_email": settings.SITE_CONTACT_EMAIL,
        "dpo_email": settings.SITE_DPO_EMAIL,
        "host": settings.SITE_HOST,
    }


@public_page
def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/legal/legal_notice.html",
        {
            "page_title": "Mentions légales",
            "page_description": "Éditeur, hébergeur et licence du site.",
            "publisher": _publisher(),
            "retention_days": settings.REGISTRATION_RETENTION_DAYS,
        },
    )


@public_page
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/legal/privacy.html",
        {
            "page_title": "Données personnelles",
            "page_description": (
                "Quelles données ce site collecte, pourquoi, combien de temps, et vos droits."
            ),
            "publisher": _publisher(),
            "retention_days": settings.REGISTRATION_RETENTION_DAYS,
        },
    )


@public_page
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/legal/accessibility.html",
        {
            "page_title": "Déclaration d'accessibilité",
            "page_description": "État de conformité du site au RGAA, contact et voies de recours.",
            "publisher": _publisher(),
        },
    )


ROBOTS_TXT = "User-agent: *\nDisallow: /admin/\nDisallow: /organisateur/\nAllow: /\n"


@public_page
def robots_txt(request: HttpRequest) -> HttpResponse:
    # Search engines find every public page through the sitemap (absolute URL, as required).
    body = f"{ROBOTS_TXT}\nSitemap: {settings.SITE_URL}{reverse('web:sitemap')}\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and feed readers ask for /favicon.ico whatever the page says: the SVG icon."""
    return redirect(static("web/favicon.svg"), permanent=True)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # A path the API's routes do not match (e.g. /api/v1/events/null,null/): the API's
        # JSON error, never an HTML page (vocations/api/api.py).
        return JsonResponse({"detail": "Ressource introuvable.", "errors": {}}, status=404)
    return render(
        request,
        "404.html",
        {"page_title": "Page introuvable"},
        status=404,
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # PermissionDenied raised by the services carries a French message meant for people.
    message = str(exception) if exception is not None and str(exception) else ""
    return render(
        request, "403.html", {"page_title": "Accès refusé", "message": message}, status=403
    )


# Last resort if even the standalone template cannot be rendered.
_FALLBACK_500 = (
    '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
    "<title>Erreur du serveur — Vocations</title></head><body><main>"
    "<h1>Le site rencontre un problème</h1>"
    "<p>Une erreur est survenue de notre côté. Réessayez dans quelques minutes.</p>"
    "</main></body></html>"
)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context on purpose: context processors, the database or the session may be
    # what failed, and this page must still answer.
    try:
        body = loader.get_template("500.html").render()
    except Exception:
        logger.exception("The 500 template could not be rendered")
        body = _FALLBACK_500
    response = HttpResponseServerError(body)
    # The standalone page carries its own <style> (no static files may be needed when things
    # fail): the Content-Security-Policy allows exactly that block, by its hash.
    styles = re.findall(r"<style>(.*?)</style>", body, re.S)
    if styles:
        hashes = [
            "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
            for s in styles
        ]
        response._csp_update = {"style-src": hashes}
    return response
