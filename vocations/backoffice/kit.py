"""The communication kit of a labelled event: public link, QR codes and suggested texts."""

from __future__ import annotations

import io
import math

import segno
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format

from vocations.core.site import CAMPAIGN_NAME, CAMPAIGN_SIGNATURE
from vocations.events.models import Event

# A printed QR code needs a quiet zone of at least 4 modules (ISO/IEC 18004).
QR_BORDER = 4
# Large enough for a poster at 300 dpi (about 8.5 cm wide).
PNG_MIN_PIXELS = 1000
SVG_SCALE = 10


def public_event_path(event: Event) -> str:
    try:
        return reverse("web:event_detail", kwargs={"slug": event.slug})
    except NoReverseMatch:
        # The public event page is built separately; its path is agreed.
        return f"/evenements/{event.slug}/"


def public_event_url(event: Event) -> str:
    # Printed codes must carry the site's canonical address, not the host of the request.
    return f"{settings.SITE_URL}{public_event_path(event)}"


def event_qr(event: Event) -> segno.QRCode:
    # Level Q survives a scratched or badly printed poster.
    return segno.make(public_event_url(event), error="q", micro=False)


def png_scale(qr: segno.QRCode) -> int:
    width, _ = qr.symbol_size(scale=1, border=QR_BORDER)
    return math.ceil(PNG_MIN_PIXELS / width)


def qr_svg_bytes(event: Event) -> bytes:
    buffer = io.BytesIO()
    event_qr(event).save(buffer, kind="svg", scale=SVG_SCALE, border=QR_BORDER, title=event.title)
    return buffer.getvalue()


def qr_svg_inline(event: Event) -> str:
    # viewBox only (omitsize), so CSS sizes the code without clipping its quiet zone.
    return event_qr(event).svg_inline(
        scale=6, border=QR_BORDER, omitsize=True, light="#fff", title=f"QR code : {event.title}"
    )


def qr_png_bytes(event: Event) -> bytes:
    qr = event_qr(event)
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=png_scale(qr), border=QR_BORDER)
    return buffer.getvalue()


def event_when(event: Event) -> str:
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    day = date_format(start, "l j F Y")
    if start.date() == end.date():
        return f"le {day}, de {start:%H}h{start:%M} à {end:%H}h{end:%M}"
    return f"du {day} au {date_format(end, 'l j F Y')}"


def event_where(event: Event) -> str:
    if event.is_online:
        return "en ligne"
    parts = [p for p in (event.venue_name, event.commune.name if event.commune else "") if p]
    return "à " + ", ".join(parts) if parts else ""


def suggested_texts(event: Event) -> list[dict[str, str]]:
    """Three ready-to-use French texts, filled with the event's title, date and place."""
    url = public_event_url(event)
    when, where = event_when(event), event_where(event)
    place = f" {where}" if where else ""
    terms = "Gratuit, sur inscription." if event.is_free else "Sur inscription."
    return [
        {
            "code": "post",
            "title": "Message court (réseaux sociaux)",
            "text": (
                f"{event.title} : {when}{place}. {terms} "
                f"Venez découvrir les métiers de l'industrie ! #AvecLindustrie {url}"
            ),
        },
        {
            "code": "newsletter",
            "title": "Paragraphe pour une lettre d'information",
            "text": (
                f"Dans le cadre de la campagne « {CAMPAIGN_NAME} », nous vous invitons à "
                f"« {event.title} », {when}{place}. "
                + (f"{event.summary} " if event.summary else "")
                + "Un moment pour rencontrer celles et ceux qui font l'industrie, découvrir "
                f"ses métiers et ses formations. {CAMPAIGN_SIGNATURE} ! Programme et "
                f"inscription : {url}"
            ),
        },
        {
            "code": "poster",
            "title": "Ligne pour une affiche",
            "text": f"{event.title} — {when}{place} — {CAMPAIGN_NAME}",
        },
    ]
