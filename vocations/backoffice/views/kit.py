"""The communication kit of a labelled event: banner, QR codes, suggested texts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from vocations.backoffice import kit

from ..gate import LABELLED_EVENT, gate


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@gate("view", LABELLED_EVENT)
def kit_page(request: HttpRequest, event) -> HttpResponse:
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


@gate("view", LABELLED_EVENT)
def kit_qr_svg(request: HttpRequest, event) -> HttpResponse:
    return _attachment(kit.qr_svg_bytes(event), "image/svg+xml", f"qr-{event.slug}.svg")


@gate("view", LABELLED_EVENT)
def kit_qr_png(request: HttpRequest, event) -> HttpResponse:
    return _attachment(kit.qr_png_bytes(event), "image/png", f"qr-{event.slug}.png")


@gate("view", LABELLED_EVENT)
def kit_banner_svg(request: HttpRequest, event) -> HttpResponse:
    svg = render_to_string(
        "backoffice/kit_banner.svg", {"event": event, "when": kit.event_when(event)}
    )
    return _attachment(svg.encode(), "image/svg+xml", f"bandeau-{event.slug}.svg")
