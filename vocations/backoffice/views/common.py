"""Helpers shared by the back-office views: French 403/404 pages and the staff check."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

NOT_FOUND_EVENT = "Cet événement n'existe pas ou n'appartient pas à l'une de vos organisations."
STAFF_ONLY = "Cette page est réservée à l'équipe de campagne."


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(
        request,
        "backoffice/error.html",
        {"page_title": "Accès refusé", "message": message},
        status=403,
    )


def not_found(request: HttpRequest, message: str = NOT_FOUND_EVENT) -> HttpResponse:
    return render(
        request,
        "backoffice/error.html",
        {"page_title": "Page introuvable", "message": message},
        status=404,
    )


def is_campaign_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def staff_required(view):
    """Signed-in campaign staff only; anyone else signed in gets a French 403 page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not is_campaign_staff(request.user):
            return forbidden(request, STAFF_ONLY)
        return view(request, *args, **kwargs)

    return wrapper
