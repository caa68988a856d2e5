"""sitemap.xml, written by hand (django.contrib.sitemaps is not an installed app).

One file, within the protocol's limit of 50,000 URLs: the fixed pages, every trade and branch
page (when their routes exist), and the upcoming public events (at most ``MAX_EVENTS``).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from vocations.careers.models import Branch, Trade
from vocations.events.selectors import public_events

from ..cache import public_page
from .content import PAGES
from .links import route

MAX_EVENTS = 10_000
FIXED_ROUTES = (
    "web:home",
    "web:audience_list",
    "web:quiz",
    "web:event_list",
    "web:trade_list",
    "web:branch_list",
    "web:legal_notice",
    "web:privacy",
    "web:accessibility",
)


def _slug_url(name: str):
    """A function slug -> path for a ``<slug>`` route, or None; reverses once, not per row."""
    marker = "slug-placeholder-0"
    path = route(name, slug=marker)
    if path is None:
        return None
    head, tail = path.split(marker, 1)
    return lambda slug: f"{head}{slug}{tail}"


def sitemap_entries() -> list[tuple[str, str]]:
    """(absolute URL, lastmod as YYYY-MM-DD or "") for every page a search engine should see."""
    base = settings.SITE_URL
    entries: list[tuple[str, str]] = []
    for name in FIXED_ROUTES:
        path = route(name)
        if path is not None:
            entries.append((base + path, ""))
    for page in PAGES:
        path = route("web:audience_detail", slug=page.slug)
        if path is not None:
            entries.append((base + path, ""))
    trade_url = _slug_url("web:trade_detail")
    if trade_url is not None:
        slugs = Trade.objects.order_by("slug").values_list("slug", flat=True)
        entries += [(base + trade_url(slug), "") for slug in slugs]
    branch_url = _slug_url("web:branch_detail")
    if branch_url is not None:
        slugs = Branch.objects.order_by("slug").values_list("slug", flat=True)
        entries += [(base + branch_url(slug), "") for slug in slugs]
    event_url = _slug_url("web:event_detail")
    if event_url is not None:
        events = (
            public_events()
            .filter(ends_at__gte=timezone.now())
            .order_by("starts_at", "id")
            .values_list("slug", "updated_at")[:MAX_EVENTS]
        )
        for slug, updated_at in events:
            lastmod = timezone.localdate(updated_at).isoformat() if updated_at else ""
            entries.append((base + event_url(slug), lastmod))
    return entries


def render_sitemap(entries: list[tuple[str, str]]) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url, lastmod in entries:
        item = f"<url><loc>{escape(url)}</loc>"
        if lastmod:
            item += f"<lastmod>{lastmod}</lastmod>"
        lines.append(item + "</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


@public_page
def sitemap(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        render_sitemap(sitemap_entries()), content_type="application/xml; charset=utf-8"
    )
