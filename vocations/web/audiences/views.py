"""Audience journeys, the interest quiz and the sitemap.

Every page here is the same for every visitor (no session, no CSRF token) and goes through
``public_page``: cached by nginx, browsers and Django's cache, invalidated by
``bump_public_content_version``. What varies (quiz answers, a postal code) is in the URL.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from vocations.careers.models import Sector
from vocations.events.models import Event
from vocations.territories.selectors import communes_for_postal_code, hiring_need_for_department

from .. import quiz as quiz_rules
from .. import selectors
from ..cache import public_page
from ..careers.labour import MASKED_NOTE, industrial_trades_recruiting
from ..content import french_number
from .content import PAGES, PAGES_BY_SLUG, AudiencePage
from .links import attach_urls, finder_url, route

KIND_LABELS = dict(Event.Kind.choices)
POSTAL_CODE_PARAM = "code_postal"
_POSTAL_CODE = re.compile(r"^\d{5}$")


def _kind_labels(kinds: tuple[str, ...]) -> list[str]:
    return [KIND_LABELS[k] for k in kinds if k in KIND_LABELS]


@public_page
def audience_list(request: HttpRequest) -> HttpResponse:
    cards = [{"page": page, "url": route("web:audience_detail", slug=page.slug)} for page in PAGES]
    return render(
        request,
        "web/audiences/list.html",
        {
            "page_title": "Pour qui ?",
            "page_description": (
                "Jeunes, parents, demandeurs d'emploi, personnes en reconversion, enseignants : "
                "ce que l'industrie vous propose et les événements faits pour vous."
            ),
            "cards": cards,
        },
    )


def _local_need(request: HttpRequest) -> dict:
    """The BMO need of the département of ``?code_postal=``; a French note if it is unusable."""
    values = request.GET.getlist(POSTAL_CODE_PARAM)
    if not values:
        return {"postal_code": "", "need": None, "note": ""}
    raw = values[0].replace(" ", "")[:20]
    if len(values) > 1 or not _POSTAL_CODE.match(raw):
        return {
            "postal_code": "",
            "need": None,
            "note": "Le code postal doit compter 5 chiffres, par exemple 69002.",
        }
    commune = communes_for_postal_code(raw).first()
    if commune is None:
        return {
            "postal_code": raw,
            "need": None,
            "note": f"Aucune commune ne correspond au code postal {raw}.",
        }
    department = commune.department
    totals = hiring_need_for_department(department.code)
    for name in ("projects", "difficult"):
        totals[f"{name}_text"] = french_number(totals[name])
    return {
        "postal_code": raw,
        "department": department,
        # The industrial trades recruiting most there, each linked to its trade page.
        "industrial": industrial_trades_recruiting(department),
        "need": totals if totals["year"] is not None else None,
        "note": ""
        if totals["year"] is not None
        else f"Les besoins de recrutement du département {department.name} ({department.code}) "
        "ne sont pas encore importés.",
    }


@public_page
def audience_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page: AudiencePage | None = PAGES_BY_SLUG.get(slug)
    if page is None:
        raise Http404("Cette page n'existe pas.")
    trades = selectors.featured_trades_at_levels(page.trade_levels, limit=6)
    events = selectors.events_of_kinds(page.event_kinds, limit=3)
    attach_urls(trades=trades, events=events)
    local = _local_need(request) if page.shows_local_need else None
    return render(
        request,
        "web/audiences/detail.html",
        {
            "page_title": page.heading,
            "page_description": page.intro,
            "page": page,
            "kind_labels": _kind_labels(page.event_kinds),
            "finder_url": finder_url(kinds=page.event_kinds, audience=page.finder_audience),
            "trades": trades,
            "trade_list_url": route("web:trade_list"),
            "events": events,
            "local": local,
            "masked_note": MASKED_NOTE,
            "quiz_url": route("web:quiz") if page.shows_quiz else None,
            "others": [p for p in PAGES if p.slug != page.slug],
        },
    )


@public_page
def quiz(request: HttpRequest) -> HttpResponse:
    """The questions; with answers in the query string, the result under them."""
    result = quiz_rules.result_from_params(request.GET) if request.GET else None
    if result is not None and not result.choices and not result.notes:
        result = None  # only blank answers or tracking parameters: show the plain quiz
    selected = {c.question.id: c.answer.id for c in result.choices} if result else {}
    context = {
        "page_title": "Quel métier est fait pour toi ?",
        "page_description": (
            "Dix questions pour découvrir les filières de l'industrie qui te ressemblent, les "
            "métiers qui vont avec et les événements où les voir. Rien n'est enregistré."
        ),
        "questions": quiz_rules.QUESTIONS,
        "form_questions": [
            {
                "question": question,
                "answers": [(a, selected.get(question.id) == a.id) for a in question.answers],
            }
            for question in quiz_rules.QUESTIONS
        ],
        "result": result,
    }
    if result is not None and result.choices:
        names = dict(Sector.objects.filter(slug__in=result.top_sectors).values_list("slug", "name"))
        trades = selectors.trades_for_sectors(result.top_sectors, levels=result.levels, limit=5)
        events = selectors.upcoming_events_for(trades=trades, sector_slugs=result.top_sectors)
        attach_urls(trades=trades, events=events)
        canonical_query = urlencode([(c.question.id, c.answer.id) for c in result.choices])
        context.update(
            {
                "top_sectors": [
                    (slug, names.get(slug, quiz_rules.SECTORS[slug])) for slug in result.top_sectors
                ],
                "trades": trades,
                "trade_list_url": route("web:trade_list"),
                "events": events,
                "finder_url": finder_url(sectors=result.top_sectors),
                "share_path": f"{request.path}?{canonical_query}",
            }
        )
    return render(request, "web/quiz/quiz.html", context)
