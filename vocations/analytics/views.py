"""The tracked-link redirect: /l/<code> → 302 to a page of this site, the visit recorded.

Reads the link from the cache (vocations/analytics/links.py), pushes the visit to the durable
buffer (one Redis RPUSH in production, no database write) and answers 302 to the link's local
path with ``v=<visit key>`` and the UTM parameters of the request. The destination is always a
path on this site (never "//host" nor a scheme): campaign links cannot become an open redirect.
Unknown, malformed or disabled codes get a French page with status 404, never an error.
HEAD gets the same redirect without being recorded (link checkers, previews).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import privacy
from .links import resolve_link, safe_local_path
from .models import Source
from .services import build_visit, record_visit


def _location(destination: str, params: dict[str, str]) -> str:
    parts = urlsplit(destination)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k != "v" and k not in params
    ]
    query += [(k, v) for k, v in params.items() if v]
    location = urlunsplit(("", "", parts.path, urlencode(query), ""))
    # Belt and braces: whatever the stored path was, only a local path leaves this view.
    return location if location.startswith("/") and location[1:2] not in ("/", "\\") else "/"


def link_inactive(request: HttpRequest) -> HttpResponse:
    response = render(
        request, "analytics/link_inactive.html", {"page_title": "Lien inactif"}, status=404
    )
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def tracked_link(request: HttpRequest, code: str) -> HttpResponse:
    link = resolve_link(code[:-1] if code.endswith("/") else code)
    if link is None or not link["active"]:
        return link_inactive(request)
    destination = safe_local_path(link["destination"])
    utm = {k: v for k, v in privacy.utm_values(request.GET).items() if v}
    if request.method == "HEAD":
        response = HttpResponseRedirect(_location(destination, utm))
    else:
        source = Source.QR if request.GET.get("s") == "qr" else Source.CLICK
        visit = build_visit(
            request, landing_path=urlsplit(destination).path, source=source, link=link
        )
        record_visit(visit=visit)
        response = HttpResponseRedirect(_location(destination, {**utm, "v": visit["visit_key"]}))
    # Each hit is a new visit: no shared cache may answer for us.
    response["Cache-Control"] = "no-store"
    return response
