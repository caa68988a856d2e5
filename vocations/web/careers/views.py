"""Trades explorer, trade pages and branch pages (public, read-only)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from vocations.accounts.permissions import can_edit_branch
from vocations.careers import branch_pages, selectors
from vocations.careers.hiring import hiring_need_by_rome
from vocations.careers.models import Trade
from vocations.careers.search import MAX_QUERY_LENGTH, search_trades
from vocations.events.selectors import public_events
from vocations.territories.models import Department
from vocations.web.cache import public_page

PAGE_SIZE = 24
EVENTS_SHOWN = 6
RELATED_SHOWN = 6
LEVEL_SHORT = {3: "CAP/BEP", 4: "Bac", 5: "Bac+2", 6: "Bac+3", 7: "Bac+5"}
# Generic but true routes into a trade, per level of the national framework.
LEVEL_ROUTES = {
    3: "Après la 3e : un CAP en 2 ans, en lycée professionnel ou en apprentissage dans un CFA.",
    4: (
        "Après la 3e : un bac professionnel en 3 ans ; après un CAP : un bac pro ou un brevet "
        "professionnel (BP) en apprentissage."
    ),
    5: "Après le bac : un BTS en 2 ans, en lycée ou en alternance.",
    6: "Après le bac : un BUT en 3 ans à l'IUT, ou une licence professionnelle après un BTS.",
    7: "Après le bac : une école d'ingénieurs (5 ans, souvent après une prépa) ou un master.",
}
ADULT_ROUTE = (
    "En reconversion ou en recherche d'emploi : titres professionnels et certificats de "
    "qualification (CQP) se préparent en formation continue, souvent avec France Travail."
)


@dataclass
class Filters:
    q: str = ""
    sector: str = ""
    branch: str = ""
    level: int | None = None
    department: str = ""

    def items(self) -> list[tuple[str, str]]:
        values = [
            ("q", self.q),
            ("secteur", self.sector),
            ("branche", self.branch),
            ("niveau", str(self.level or "")),
            ("departement", self.department),
        ]
        return [(key, value) for key, value in values if value]

    def trade_q(self) -> Q | None:
        condition = Q()
        if self.sector:
            condition &= Q(sectors__slug=self.sector)
        if self.branch:
            condition &= Q(branches__slug=self.branch)
        if self.level:
            condition &= Q(qualification_levels__level=self.level)
        return condition or None


def _clean(value: str | None, max_length: int) -> str:
    # Anything goes in; only printable text of bounded length comes out.
    return "".join(ch for ch in (value or "")[:max_length] if ch.isprintable()).strip()


def parse_filters(params, *, sectors, branches, departments) -> tuple[Filters, list[str]]:
    warnings: list[str] = []
    filters = Filters(q=_clean(params.get("q"), MAX_QUERY_LENGTH))
    if len(params.get("q") or "") > MAX_QUERY_LENGTH:
        warnings.append(f"Recherche tronquée à {MAX_QUERY_LENGTH} caractères.")
    checks = (
        ("secteur", "sector", {s.slug for s in sectors}, "Filière inconnue : filtre ignoré."),
        ("branche", "branch", {b.slug for b in branches}, "Branche inconnue : filtre ignoré."),
        ("departement", "department", {d.code for d in departments}, "Département inconnu."),
    )
    for param, attr, known, message in checks:
        value = _clean(params.get(param), 80)
        if value in known:
            setattr(filters, attr, value)
        elif value:
            warnings.append(message)
    level = _clean(params.get("niveau"), 2)
    if level in {str(n) for n in LEVEL_SHORT}:
        filters.level = int(level)
    elif level:
        warnings.append("Niveau inconnu : filtre ignoré.")
    return filters, warnings


def _pagination(page, base: str) -> dict | None:
    if page.paginator.num_pages <= 1:
        return None

    def url(number: int) -> str:
        return "?" + (f"{base}&page={number}" if base else f"page={number}")

    links = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            links.append({"gap": True})
        else:
            links.append({"number": number, "url": url(number), "current": number == page.number})
    return {
        "links": links,
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
    }


def _decorate(trades: list[Trade], needs: dict) -> list[Trade]:
    for trade in trades:
        trade.level_labels = [
            LEVEL_SHORT.get(lv.level, lv.label) for lv in trade.qualification_levels.all()
        ]
        trade.need = needs.get(trade.rome_code)
        trade.short_description = _shorten(trade.description, 180)
    return trades


def _shorten(text: str, length: int) -> str:
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _page_trades(ids: list[int]) -> list[Trade]:
    by_pk = {t.pk: t for t in selectors.trades_by_ids(ids)}
    return [by_pk[pk] for pk in ids if pk in by_pk]


@public_page
def trade_list(request: HttpRequest) -> HttpResponse:
    sectors = list(selectors.sector_choices())
    branches = list(selectors.branch_choices())
    departments = list(Department.objects.order_by("code").only("code", "name"))
    filters, warnings = parse_filters(
        request.GET, sectors=sectors, branches=branches, departments=departments
    )
    trade_filter = filters.trade_q()
    if filters.q:
        ids = [hit.trade_id for hit in search_trades(filters.q, trades_filter=trade_filter)]
    else:
        ids = selectors.trade_ids(trade_filter)
    needs = hiring_need_by_rome(filters.department) if filters.department else {}
    if needs:
        # Sorted by the local need; the relevance (or title) order breaks ties.
        codes = dict(Trade.objects.filter(pk__in=ids).values_list("pk", "rome_code"))
        ids.sort(key=lambda pk: -(needs.get(codes.get(pk), {}).get("projects", -1)))
    paginator = Paginator(ids, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    trades = _decorate(_page_trades(list(page.object_list)), needs)
    base = urlencode(filters.items())
    department_name = next((d.name for d in departments if d.code == filters.department), "")
    title = f"Métiers : « {filters.q} »" if filters.q else "Les métiers de l'industrie"
    return render(
        request,
        "web/careers/trade_list.html",
        {
            "page_title": title,
            "page_description": (
                "Cherchez parmi les métiers de l'industrie : soudeur, chaudronnière, "
                "technicien de maintenance… par filière, branche, niveau et besoin local."
            ),
            "filters": filters,
            "warnings": warnings,
            "sectors": sectors,
            "branches": branches,
            "departments": departments,
            "levels": list(LEVEL_SHORT.items()),
            "trades": trades,
            "page": page,
            "total": paginator.count,
            "pagination": _pagination(page, base),
            "sorted_by_need": bool(needs),
            "department_name": department_name,
            "need_missing": bool(filters.department and not needs),
        },
    )


def event_url(event) -> str | None:
    try:
        return reverse("web:event_detail", kwargs={"slug": event.slug})
    except NoReverseMatch:
        return None


@public_page
def trade_detail(request: HttpRequest, slug: str) -> HttpResponse:
    trade = selectors.trade_detail(slug)
    if trade is None:
        raise Http404("Métier introuvable.")
    levels = sorted(trade.qualification_levels.all(), key=lambda lv: lv.level)
    routes = [
        {
            "short": LEVEL_SHORT.get(lv.level, lv.label),
            "label": lv.label,
            "text": LEVEL_ROUTES[lv.level],
        }
        for lv in levels
        if lv.level in LEVEL_ROUTES
    ]
    department_code = _clean(request.GET.get("departement"), 3)
    department = (
        Department.objects.filter(code=department_code).first() if department_code else None
    )
    national = hiring_need_by_rome().get(trade.rome_code)
    local = hiring_need_by_rome(department.code).get(trade.rome_code) if department else None
    events = list(
        public_events()
        .filter(trades=trade, starts_at__gte=timezone.now())
        .select_related("commune")
        .order_by("starts_at", "pk")[:EVENTS_SHOWN]
    )
    for event in events:
        event.url = event_url(event)
    return render(
        request,
        "web/careers/trade_detail.html",
        {
            "page_title": trade.title,
            "page_description": _shorten(trade.description, 200)
            or f"Le métier {trade.title} (code ROME {trade.rome_code}) dans l'industrie.",
            "trade": trade,
            "routes": routes,
            "adult_route": ADULT_ROUTE,
            "sectors": list(trade.sectors.all()),
            "branches": list(trade.branches.all()),
            "appellations": list(trade.appellations.all()),
            "national_need": national,
            "local_need": local,
            "department": department,
            "departments": Department.objects.order_by("code").only("code", "name"),
            "events": events,
            "related": selectors.related_trades(trade, limit=RELATED_SHOWN),
        },
    )


@public_page
def branch_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/careers/branch_list.html",
        {
            "page_title": "Les branches professionnelles de l'industrie",
            "page_description": "Les branches de l'industrie, leurs filières et leurs métiers.",
            "branches": branch_pages.branch_list_public(),
        },
    )


@require_safe
def branch_detail(request: HttpRequest, slug: str) -> HttpResponse:
    branch = branch_pages.branch_detail_public(slug)
    if branch is None:
        raise Http404("Branche introuvable.")
    page_obj = branch_pages.branch_page_or_none(branch)
    paginator = Paginator(branch_pages.branch_trades(branch), PAGE_SIZE)
    trades_page = paginator.get_page(request.GET.get("page"))
    events = list(
        public_events()
        .filter(branch_pages.branch_events_filter(branch), starts_at__gte=timezone.now())
        .select_related("commune")
        .distinct()
        .order_by("starts_at", "pk")[:EVENTS_SHOWN]
    )
    for event in events:
        event.url = event_url(event)
    title = page_obj.title if page_obj else branch_pages.DEFAULT_TITLE
    message = (
        page_obj.message if page_obj else branch_pages.DEFAULT_MESSAGE.format(name=branch.name)
    )
    audience_labels = dict(branch_pages.PAGE_AUDIENCES)
    return render(
        request,
        "web/careers/branch_detail.html",
        {
            "page_title": f"{branch.name} — {title}",
            "page_description": _shorten(message, 200),
            "branch": branch,
            "branch_page": page_obj,
            "message_title": title,
            "message_paragraphs": [p for p in message.splitlines() if p.strip()],
            "audiences": [
                audience_labels[a]
                for a in (page_obj.audiences if page_obj else [])
                if a in audience_labels
            ],
            "highlighted": list(page_obj.highlighted_trades.all()) if page_obj else [],
            "trades_page": trades_page,
            "pagination": _pagination(trades_page, ""),
            "events": events,
            "can_edit": can_edit_branch(request.user, branch),
        },
    )
