"""The communication kit of a labelled event: banner, QR codes, suggested texts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from vocations.backoffice import kit
from vocations.backoffice.selectors import event_detail_for_user
from vocations.events.models import Label

from .common import not_found

KIT_ONLY_FOR_LABELLED = (
    "Le kit de communication n'est disponible que pour un événement labellisé par l'équipe "
    "de campagne."
)


def _labelled_event(request: HttpRequest, pk: int):
    event = event_detail_for_user(request.user, pk)
    if event is None:
        return None, not_found(request)
    if event.label.state != Label.State.LABELLED:
        return None, not_found(request, KIT_ONLY_FOR_LABELLED)
    return event, None


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def kit_page(request: HttpRequest, pk: int) -> HttpResponse:
    event, refusal = _labelled_event(request, pk)
    if refusal:
        return refusal
    return render(
        request,
        "backoffice/kit.html",
        {
            "page_title": f"Kit de communication — {event.title}",
            "event": event,
            "public_url": kit.public_event_url(event),
            "qr_svg": kit.qr_svg_inline(event),
            "texts": kit.suggested_texts(event),
            "when": kit.event_when(event),
            "where": kit.event_where(event),
        },
    )


@login_required
def kit_qr_svg(request: HttpRequest, pk: int) -> HttpResponse:
    event, refusal = _labelled_event(request, pk)
    if refusal:
        return refusal
    return _attachment(kit.qr_svg_bytes(event), "image/svg+xml", f"qr-{event.slug}.svg")


@login_required
def kit_qr_png(request: HttpRequest, pk: int) -> HttpResponse:
    event, refusal = _labelled_event(request, pk)
    if refusal:
        return refusal
    return _attachment(kit.qr_png_bytes(event), "image/png", f"qr-{event.slug}.png")


@login_required
def kit_banner_svg(request: HttpRequest, pk: int) -> HttpResponse:
    event, refusal = _labelled_event(request, pk)
    if refusal:
        return refusal
    svg = render_to_string(
        "backoffice/kit_banner.svg", {"event": event, "when": kit.event_when(event)}
    )
    return _attachment(svg.encode(), "image/svg+xml", f"bandeau-{event.slug}.svg")
