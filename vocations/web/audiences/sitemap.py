"""sitemap.xml with ``django.contrib.sitemaps``: one section per kind of page.

The fixed pages, the audience pages, every trade and branch page (when their routes exist) and
the upcoming public events (at most ``MAX_EVENTS``). Absolute URLs are built on
``settings.SITE_URL`` (the sites framework is not installed), and the whole answer is a cached
public page. Each section reads its rows in one query and hands the paginator a list, so the
sitemap costs one query per database-backed section, whatever the number of rows.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as django_sitemap
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


class SiteSitemap(Sitemap):
    """Absolute URLs on settings.SITE_URL, whatever host the request came through."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path.rstrip("/")


class FixedSitemap(SiteSitemap):
    def items(self) -> list[str]:
        paths = [route(name) for name in FIXED_ROUTES]
        paths += [route("web:audience_detail", slug=page.slug) for page in PAGES]
        return [path for path in paths if path is not None]

    def location(self, item: str) -> str:
        return item


class SlugSitemap(SiteSitemap):
    """Pages named by a slug; none while their route does not exist."""

    route_name = ""
    model = None

    def items(self) -> list[str]:
        self._url = _slug_url(self.route_name)
        if self._url is None:
            return []
        return list(self.model.objects.order_by("slug").values_list("slug", flat=True))

    def location(self, item: str) -> str:
        return self._url(item)


class TradeSitemap(SlugSitemap):
    route_name = "web:trade_detail"
    model = Trade


class BranchSitemap(SlugSitemap):
    route_name = "web:branch_detail"
    model = Branch


class EventSitemap(SiteSitemap):
    """Upcoming public events, soonest first, with the day they last changed (Paris time)."""

    def items(self) -> list[tuple[str, object]]:
        self._url = _slug_url("web:event_detail")
        if self._url is None:
            return []
        events = (
            public_events()
            .filter(ends_at__gte=timezone.now())
            .order_by("starts_at", "id")
            .values_list("slug", "updated_at")[:MAX_EVENTS]
        )
        return list(events)

    def location(self, item) -> str:
        return self._url(item[0])

    def lastmod(self, item):
        updated_at = item[1]
        return timezone.localdate(updated_at) if updated_at else None


SITEMAPS = {
    "pages": FixedSitemap,
    "trades": TradeSitemap,
    "branches": BranchSitemap,
    "events": EventSitemap,
}


@public_page
def sitemap(request: HttpRequest) -> HttpResponse:
    response = django_sitemap(
        request, sitemaps=SITEMAPS, content_type="application/xml; charset=utf-8"
    )
    # The page cache stores the body: render the TemplateResponse here.
    return response.render()
