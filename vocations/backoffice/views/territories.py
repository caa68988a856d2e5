"""Territory view for the campaign team and branches: map, département page, under-served list.

The map is inline SVG drawn from vocations/territories/data/boundaries.json (no tile server):
each territory is a focusable link whose accessible name carries its value, and a table says
the same thing. Reads in vocations/backoffice/selectors_territories.py.
"""

from __future__ import annotations

from html import escape

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe

from ..gate import TERRITORY, gate
from ..selectors_territories import (
    MEASURES,
    MEASURES_BY_KEY,
    RATE_NOTE,
    TerritoryAccess,
    TerritoryRow,
    department_detail,
    department_rows,
    region_rows,
    under_served,
)
from ..territory_map import boundaries, choropleth, fmt
from .common import not_found

__all__ = ["boundaries", "territory_department", "territory_map", "territory_underserved"]


def ordinal(n: int) -> str:
    return "1er" if n == 1 else f"{n}e"


def _value_text(row: TerritoryRow, key: str, rate: bool) -> tuple[float | None, str]:
    measure = MEASURES_BY_KEY[key]
    if rate and measure.per_inhabitant:
        value = row.rate(key)
        return value, fmt(value, 1) + " pour 10 000 hab." if value is not None else "—"
    value = row.values.get(key)
    if value is None:
        return None, "pas de chiffre"
    if key == "difficult_share":
        return value, fmt(value, 1) + " %"
    return value, fmt(value)


def _choices(request: HttpRequest) -> tuple[str, str, bool]:
    key = request.GET.get("mesure", "projects")
    key = key if key in MEASURES_BY_KEY else "projects"
    level = "region" if request.GET.get("niveau") == "region" else "department"
    rate = request.GET.get("pour") == "10000" and MEASURES_BY_KEY[key].per_inhabitant
    return key, level, rate


@gate("view", TERRITORY)
def territory_map(request: HttpRequest, access: TerritoryAccess) -> HttpResponse:
    key, level, rate = _choices(request)
    rows = region_rows(access) if level == "region" else department_rows(access)
    measure = MEASURES_BY_KEY[key]
    values = {r.code: _value_text(r, key, rate) for r in rows}

    # One reverse() for the ~100 links of the map and of the table (each costs a URL resolve).
    department_url = reverse("backoffice:territory_department", args=["CODE"]).replace("CODE", "{}")

    def href(code: str) -> str:
        if level == "department":
            return department_url.format(code)
        return f"#region-{code}"

    decimals = 1 if rate or key == "difficult_share" else 0
    the_map = choropleth(
        [(r.code, r.name) for r in rows], values, href=href, level=level, decimals=decimals
    )
    table = [
        {
            "row": row,
            # ~1,000 cells: joined here rather than looped over in the template.
            "cells": mark_safe(  # noqa: S308 - each value escaped
                "".join(f"<td>{escape(_value_text(row, m.key, rate)[1])}</td>" for m in MEASURES)
            ),
            "url": department_url.format(row.code) if level == "department" else "",
        }
        for row in rows
    ]
    return render(
        request,
        "backoffice/territories/map.html",
        {
            "page_title": "Territoires : besoin, actions, résultats",
            "access": access,
            "measures": MEASURES,
            "measure": measure,
            "level": level,
            "rate": rate,
            "rate_note": RATE_NOTE,
            "map": the_map,
            "table": table,
        },
    )


@gate("view", TERRITORY)
def territory_department(request: HttpRequest, access: TerritoryAccess, code: str) -> HttpResponse:
    detail = department_detail(access, code.upper()[:3])
    if detail is None:
        return not_found(request, "Ce département n'existe pas.")
    row: TerritoryRow = detail["row"]
    others = [r for r in detail["rows"] if r.population]

    def rank(key: str) -> str:
        value = row.rate(key)
        if not value or not row.population:
            return ""  # no rank for nothing: every zero would tie for first
        better = sum(1 for r in others if (r.rate(key) or 0) > value)
        return f"{ordinal(better + 1)} sur {len(others)}"

    groups = []
    for title, keys in (
        ("Besoin", ("projects", "difficult_share")),
        ("Actions", ("events", "seats", "placements", "members")),
        ("Résultats", ("visits", "registrations", "attendance")),
    ):
        groups.append(
            {
                "title": title,
                "items": [
                    {
                        "measure": MEASURES_BY_KEY[k],
                        "value": _value_text(row, k, False)[1],
                        "rate": _value_text(row, k, True)[1]
                        if MEASURES_BY_KEY[k].per_inhabitant
                        else "",
                        "rank": rank(k) if MEASURES_BY_KEY[k].per_inhabitant else "",
                    }
                    for k in keys
                ],
            }
        )
    for trade in detail["top_trades"]:
        trade["projects_text"] = fmt(trade["projects"])
        trade["share"] = (
            fmt(100 * trade["difficult"] / trade["projects_with_difficult"]) + " %"
            if trade["projects_with_difficult"]
            else "—"
        )
    return render(
        request,
        "backoffice/territories/department.html",
        {
            "page_title": f"{row.name} ({row.code}) — territoire",
            "access": access,
            "row": row,
            "population": fmt(row.population),
            "groups": groups,
            "top_trades": detail["top_trades"],
            "rate_note": RATE_NOTE,
        },
    )


def reason(item) -> str:
    """The under-served reason, in words."""
    r = item.row
    parts = [
        f"Besoin élevé : {fmt(r.values['projects'])} projets de recrutement industriels, "
        f"soit {fmt(item.need_rate, 1)} pour 10 000 habitants ({ordinal(item.need_rank)} sur "
        f"{item.total})."
    ]
    if item.action_rate:
        parts.append(
            f"Peu d'actions : {fmt(r.values['events'])} événement(s) labellisé(s) et "
            f"{fmt(r.values['placements'])} emplacement(s) de campagne, soit "
            f"{fmt(item.action_rate, 2)} pour 10 000 habitants ({ordinal(item.action_rank)} "
            f"sur {item.total})."
        )
    else:
        parts.append("Aucune action : ni événement labellisé, ni emplacement de campagne.")
    if item.reach_rate:
        parts.append(
            f"Portée : {fmt(r.values['visits'])} visite(s) venue(s) des emplacements et "
            f"{fmt(r.values['registrations'])} inscription(s), soit "
            f"{fmt(item.reach_rate, 2)} pour 10 000 habitants ({ordinal(item.reach_rank)} sur "
            f"{item.total})."
        )
    else:
        parts.append("Aucune portée mesurée : ni visite venue d'un emplacement, ni inscription.")
    return " ".join(parts)


@gate("view", TERRITORY)
def territory_underserved(request: HttpRequest, access: TerritoryAccess) -> HttpResponse:
    ranked = under_served(department_rows(access))
    return render(
        request,
        "backoffice/territories/underserved.html",
        {
            "page_title": "Territoires sous-dotés",
            "access": access,
            "items": [
                {
                    "row": item.row,
                    "reason": reason(item),
                    "url": reverse("backoffice:territory_department", args=[item.row.code]),
                }
                for item in ranked
            ],
            "rate_note": RATE_NOTE,
        },
    )
