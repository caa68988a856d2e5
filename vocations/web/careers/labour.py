"""The labour-market block of a trade page and of the journeys, in plain French.

Every figure carries its source and year; masked BMO counts are explained, never shown as 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import HttpRequest

from vocations.careers.hiring import bmo_mappings, industrial_bmo_codes, trade_labour_market
from vocations.careers.models import Trade
from vocations.events.finder import find_events, parse_filters
from vocations.territories.models import Department
from vocations.territories.selectors import (
    communes_for_postal_code,
    difficult_share,
    top_trades_for_department,
)

from ..content import french_number

POSTAL_CODE_PARAMS = ("cp", "code_postal")
NEARBY_RADIUS_KM = 50
NEARBY_EVENTS = 6
_POSTAL_CODE = re.compile(r"^\d{5}$")

BMO_SOURCE = "Source : France Travail, enquête Besoins en main-d'œuvre (BMO) {year}."
MASKED_NOTE = (
    "« Masqué » : quand un bassin d'emploi compte très peu de projets pour un métier, France "
    "Travail ne publie pas le chiffre, pour que personne ne puisse reconnaître une entreprise. "
    "Ces bassins ne sont pas comptés : le total est donc un minimum."
)
TENSION_SOURCE = "Source : DARES et France Travail, indicateur de tension {year}."
ROME_TENSION_SOURCE = (
    "Source : France Travail, tensions sur le marché du travail par bassin d'emploi, {year}."
)
WAGE_SOURCE = (
    "Source : DARES, salaire médian net mensuel des salariés à temps complet, {period} "
    "(famille « {label} »)."
)
WOMEN_SOURCE = "Source : DARES, part des femmes parmi les personnes en emploi, {period}."
KIND_WORDS = {
    "exact": "correspondance directe",
    "inferred": "correspondance établie par nos soins, le métier BMO est plus large ou plus étroit",
}


@dataclass
class PlaceFromPostalCode:
    postal_code: str = ""
    department: Department | None = None
    note: str = ""


def place_from_request(request: HttpRequest) -> PlaceFromPostalCode:
    """The département of ``?cp=`` (or ``?code_postal=``); a French note when unusable."""
    for name in POSTAL_CODE_PARAMS:
        values = request.GET.getlist(name)
        if values:
            break
    else:
        return PlaceFromPostalCode()
    raw = values[0].replace(" ", "")[:20]
    if len(values) > 1 or not _POSTAL_CODE.match(raw):
        return PlaceFromPostalCode(
            note="Le code postal doit compter 5 chiffres, par exemple 69001."
        )
    commune = communes_for_postal_code(raw).first()
    if commune is None:
        return PlaceFromPostalCode(
            postal_code=raw, note=f"Aucune commune ne correspond au code postal {raw}."
        )
    return PlaceFromPostalCode(postal_code=raw, department=commune.department)


def _share(need: dict) -> str:
    share = difficult_share(need)
    return "" if share is None else f"{share} %"


def _need_text(need: dict | None) -> dict | None:
    if not need or need.get("year") is None:
        return None
    return {
        **need,
        "projects_text": french_number(need["projects"]),
        "difficult_text": french_number(need["difficult"]),
        "difficult_share": _share(need),
        "source": BMO_SOURCE.format(year=need["year"]),
    }


def _missing_reason(local: dict, department: Department) -> str:
    """Why the département has no figure to show, in words that are true: the survey does
    not cover it, no employer there declared a project, or every count is masked. "" when
    there is a figure."""
    year, name = local["year"], department.name
    if not local.get("lines"):
        if not local.get("surveyed", True):
            return (
                f"L'enquête BMO {year} ne couvre pas {name} : il n'existe pas de chiffre "
                "local pour ce territoire."
            )
        return (
            f"Aucun employeur n'a déclaré de projet de recrutement pour ce métier dans le "
            f"département {name} lors de l'enquête BMO {year}."
        )
    if local["projects"] == 0 and local["masked_areas"]:
        areas = local["masked_areas"]
        return (
            f"Chiffre non publié : France Travail le masque dans {areas} bassin"
            f"{'s' if areas > 1 else ''} d'emploi du département {name} "
            "(très peu de projets)."
        )
    if local["projects"] == 0:
        return (
            f"Les employeurs interrogés dans le département {name} n'ont déclaré aucun projet "
            f"de recrutement pour ce métier lors de l'enquête BMO {year}."
        )
    return ""


def trade_labour_context(trade: Trade, department: Department | None) -> dict:
    """Figures for the trade page: BMO need, tension and why, pay, share of women."""
    market = trade_labour_market(trade.rome_code, department.code if department else None)
    if not market.has_figures:
        return {"has_figures": False}
    families = [
        {
            "label": family.label or family.fap_code,
            "wage": french_number(family.median_wage) if family.median_wage else "",
            "wage_source": WAGE_SOURCE.format(
                period=family.wage_period, label=family.label or family.fap_code
            ),
            "women": f"{family.women_share:.1f}".replace(".", ",")
            if family.women_share is not None
            else "",
            "women_source": WOMEN_SOURCE.format(period=family.women_period),
        }
        for family in market.families
    ]
    local = _need_text(market.local)
    if local is not None:
        local["missing_reason"] = _missing_reason(local, department)
    local_tension = [t for t in market.local_tension if t.tension]
    national_tension = [t for t in market.national_tension if t.tension]
    return {
        "has_figures": True,
        "bmo_trades": [
            {"name": m.bmo_name, "code": m.bmo_code, "kind": KIND_WORDS[m.kind]}
            for m in market.mappings
        ],
        "local": local,
        "national": _need_text(market.national),
        "masked_note": MASKED_NOTE,
        "local_tension": local_tension,
        "national_tension": national_tension,
        "tension_source": TENSION_SOURCE.format(year=(local_tension or national_tension)[0].year)
        if (local_tension or national_tension)
        else "",
        "rome_tension": market.rome_tension[:5],
        "rome_tension_source": ROME_TENSION_SOURCE.format(year=market.rome_tension[0]["year"])
        if market.rome_tension
        else "",
        "families": families,
    }


def nearby_trade_events(trade: Trade, postal_code: str, *, today=None) -> list:
    """Upcoming public events within NEARBY_RADIUS_KM of a postal code that show ``trade``."""
    filters = parse_filters(
        {"code_postal": postal_code, "rayon": str(NEARBY_RADIUS_KM), "metier": trade.rome_code},
        today=today,
    )
    results = find_events(filters, prefetch=())
    if results.ordered_ids is not None:
        ids = results.ordered_ids[:NEARBY_EVENTS]
        by_pk = {e.pk: e for e in results.queryset.filter(pk__in=ids).select_related("commune")}
        events = [by_pk[pk] for pk in ids if pk in by_pk]
        for event in events:
            event.distance_km = round(results.distances.get(event.pk, 0))
        return events
    return list(
        results.queryset.select_related("commune").order_by("starts_at", "pk")[:NEARBY_EVENTS]
    )


def industrial_trades_recruiting(department: Department, *, limit: int = 8) -> list[dict]:
    """The industrial BMO trades with the most projects in a département, each with a trade page.

    Three queries: latest year, top trades, the trade pages of their ROME codes.
    """
    rows = top_trades_for_department(
        department_code=department.code, bmo_codes=industrial_bmo_codes(), limit=limit
    )
    mappings = bmo_mappings()
    rome_codes = {code for row in rows for code in mappings[row["bmo_code"]].rome_codes}
    trades = {
        t.rome_code: t
        for t in Trade.objects.filter(rome_code__in=rome_codes).only("rome_code", "slug", "title")
    }
    for row in rows:
        row["projects_text"] = french_number(row["projects"])
        row["difficult_share"] = _share(row)
        linked = [trades[c] for c in mappings[row["bmo_code"]].rome_codes if c in trades]
        row["trades"] = linked[:3]
    return rows
