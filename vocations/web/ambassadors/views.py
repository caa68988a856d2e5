"""The collective's public page (cached, no form) and the request-to-join form."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from vocations.ambassadors import selectors
from vocations.ambassadors.forms import JoinRequestForm
from vocations.ambassadors.services import join_request_create
from vocations.core.forms import add_service_errors

from ..cache import public_page

NO_COLLECTIVE = "Le collectif n'est pas encore ouvert sur cette plateforme."


@public_page
def ambassadors_page(request: HttpRequest) -> HttpResponse:
    collective = selectors.default_collective()
    return render(
        request,
        "web/ambassadors/page.html",
        {
            "page_title": "Le collectif des ambassadeurs de l'industrie",
            "page_description": "Des femmes et des hommes de l'industrie, de toutes générations "
            "et de tous les territoires, parlent de leurs métiers sur leurs réseaux.",
            "collective": collective,
            "themes": list(selectors.themes(collective)) if collective else [],
            "members": selectors.public_members(collective) if collective else [],
        },
    )


def join_request(request: HttpRequest) -> HttpResponse:
    collective = selectors.default_collective()
    if collective is None:
        return render(
            request,
            "web/ambassadors/join.html",
            {"page_title": "Rejoindre le collectif", "closed": NO_COLLECTIVE},
            status=404,
        )
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            join_request_create(collective=collective, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("web:ambassadors_join_done")
    return render(
        request,
        "web/ambassadors/join.html",
        {"page_title": "Rejoindre le collectif", "form": form, "collective": collective},
    )


def join_request_done(request: HttpRequest) -> HttpResponse:
    return render(request, "web/ambassadors/join_done.html", {"page_title": "Demande envoyée"})
