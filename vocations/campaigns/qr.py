"""Print-ready QR codes of tracked links (segno), one by one or as a ZIP for a whole wave.

The payload is always the link's QR URL (SITE_URL/l/<code>?s=qr). Printed codes use the
campaign's banner colour when it is dark enough to scan (contrast with white >= 4.5:1, the
WCAG threshold for text), black otherwise; error correction Q (survives a scratched poster);
a quiet zone of 4 modules (ISO/IEC 18004).
"""

from __future__ import annotations

import dataclasses
import io
import math
import zipfile

import segno
from django.utils.text import slugify

from vocations.campaigns.models import Channel, TrackedLink, Wave
from vocations.campaigns.selectors import qr_url, wave_links
from vocations.core.exports import csv_text

BORDER = 4
ERROR = "q"
MIN_CONTRAST = 4.5
FALLBACK_DARK = "#000000"


@dataclasses.dataclass(frozen=True)
class PrintSize:
    label: str
    png_min_pixels: int
    svg_width_mm: int  # physical size hint written in the SVG's width/height
    dpi: int = 300


SIZES = {
    # 3 cm at 300 dpi is 354 px; 600 px leaves room to print it larger without blur.
    "flyer": PrintSize("Flyer", png_min_pixels=600, svg_width_mm=30),
    # A 4 × 3 m billboard: a 20 cm code read from a few metres, printed at 300 dpi.
    "billboard": PrintSize("Affiche", png_min_pixels=2400, svg_width_mm=200),
}


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_with_white(colour: str) -> float:
    return 1.05 / (_luminance(colour) + 0.05)


def dark_colour(banner_colour: str) -> str:
    """The banner colour when a scanner reads it reliably on white, else black."""
    try:
        if contrast_with_white(banner_colour) >= MIN_CONTRAST:
            return banner_colour.lower()
    except (ValueError, TypeError, IndexError):
        pass
    return FALLBACK_DARK


def make_qr(text: str) -> segno.QRCode:
    # boost_error=False: the same text always gives the same symbol (tests rebuild it).
    return segno.make(text, error=ERROR, micro=False, boost_error=False)


def link_qr(link: TrackedLink) -> segno.QRCode:
    return make_qr(qr_url(link))


def _colour_for(link: TrackedLink) -> str:
    return dark_colour(link.campaign.banner_colour if link.campaign else FALLBACK_DARK)


def png_bytes(link: TrackedLink, size: str = "flyer") -> bytes:
    spec = SIZES[size]
    qr = link_qr(link)
    width, _ = qr.symbol_size(scale=1, border=BORDER)
    buffer = io.BytesIO()
    qr.save(
        buffer,
        kind="png",
        scale=math.ceil(spec.png_min_pixels / width),
        border=BORDER,
        dark=_colour_for(link),
        light="#ffffff",
        dpi=spec.dpi,
    )
    return buffer.getvalue()


def svg_bytes(link: TrackedLink, size: str = "flyer") -> bytes:
    spec = SIZES[size]
    qr = link_qr(link)
    width, _ = qr.symbol_size(scale=1, border=BORDER)
    buffer = io.BytesIO()
    qr.save(
        buffer,
        kind="svg",
        scale=spec.svg_width_mm / width,
        unit="mm",
        border=BORDER,
        dark=_colour_for(link),
        light="#ffffff",
        title=link.label or f"/l/{link.code}",
    )
    return buffer.getvalue()


def svg_inline(link: TrackedLink) -> str:
    return link_qr(link).svg_inline(
        scale=4, border=BORDER, omitsize=True, dark=_colour_for(link), light="#fff"
    )


def file_stem(link: TrackedLink) -> str:
    """ "vague-1_affichage_lyon_69123": wave, channel, place (or label), stable and readable."""
    parts = []
    placement = link.placement
    if placement is not None:
        parts.append(f"vague-{placement.wave.number}")
        parts.append(slugify(Channel(placement.channel).label))
    if link.commune is not None:
        parts += [slugify(link.commune.name), link.commune.insee_code]
    else:
        parts += [slugify(link.label or (placement.name if placement else "lien"))[:60], link.code]
    return "_".join(p for p in parts if p)


def wave_zip(wave: Wave, size: str = "billboard") -> bytes:
    """Every active link of the wave's placements as PNG + SVG, with an index.csv."""
    buffer = io.BytesIO()
    index: list[list[str]] = []
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for link in wave_links(wave):
            stem = file_stem(link)
            if stem in used:  # two links for the same city: keep both files apart
                stem = f"{stem}_{link.code}"
            used.add(stem)
            archive.writestr(f"{stem}.png", png_bytes(link, size))
            archive.writestr(f"{stem}.svg", svg_bytes(link, size))
            commune = f"{link.commune.name} ({link.commune.insee_code})" if link.commune else ""
            index.append([link.code, qr_url(link), link.label, commune, stem])
        # Labels are typed by the campaign team: written through the neutralizing writer.
        archive.writestr(
            "index.csv", csv_text(["code", "url", "libellé", "commune", "fichier"], index)
        )
    return buffer.getvalue()
