"""Open data: aggregate figures per département and per campaign wave, as JSON and CSV,
under the Licence Ouverte 2.0 (stated in every answer: a ``licence`` object in JSON, a
``Link: <…>; rel="license"`` header on CSV). Figures: vocations/analytics/open_data.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from pydantic import Field

from vocations.analytics.open_data import (
    LICENCE,
    LICENCE_LINK,
    DepartmentFigures,
    WaveFigures,
    department_figures,
    wave_figures,
)
from vocations.core.exports import neutral_cell

router = Router(tags=["Données ouvertes"])


class LicenceOut(Schema):
    name: str = Field(description="Licence Ouverte / Open Licence version 2.0 (Etalab).")
    url: str
    attribution: str = Field(description="Mention de la source à reprendre.")


class DepartmentOut(Schema):
    code: str = Field(description="Code du département (ex. « 69 », « 2A »).")
    name: str
    region: str = Field(description="Code INSEE de la région.")
    events: int = Field(description="Événements labellisés publiés dans le département.")
    seats_offered: int = Field(description="Places offertes (capacité de ces événements).")
    registrations: int = Field(description="Inscriptions confirmées.")
    people_registered: int = Field(description="Personnes inscrites (une classe compte tous).")
    pupils: int = Field(description="Élèves des inscriptions de groupe.")
    attendance: int = Field(description="Personnes comptées présentes à l'accueil.")


class DepartmentsOut(Schema):
    licence: LicenceOut
    generated_at: dt.datetime
    results: list[DepartmentOut]


class WaveOut(Schema):
    campaign: str
    campaign_slug: str
    wave: int = Field(description="Numéro de la vague dans la campagne.")
    name: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    planned_cents: int = Field(description="Dépense prévue au plan média, en centimes d'euro.")
    committed_cents: int = Field(description="Dépense engagée, en centimes d'euro.")
    reported_spend_cents: int | None = Field(
        description="Dépense déclarée par les régies (centimes) ; null si aucune déclarée."
    )
    reach: int = Field(description="Portée déclarée (impressions, à défaut contacts).")
    visits: int = Field(description="Visites humaines par les liens suivis de la vague.")
    unique_visitors: int = Field(description="Somme par jour et par lien des visiteurs.")
    registrations_last_touch: int
    registrations_first_touch: int
    attendance: int = Field(description="Personnes présentes (inscriptions du dernier contact).")


class WavesOut(Schema):
    licence: LicenceOut
    generated_at: dt.datetime
    results: list[WaveOut]


DEPARTMENT_FIELDS = [
    "code",
    "name",
    "region",
    "events",
    "seats_offered",
    "registrations",
    "people_registered",
    "pupils",
    "attendance",
]
WAVE_FIELDS = list(WaveOut.model_fields)


def _csv(filename: str, fields: list[str], rows) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(fields)
    for row in rows:
        # Names typed by people (campaigns, waves) never start a spreadsheet formula.
        writer.writerow([neutral_cell(getattr(row, f)) for f in fields])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = LICENCE_LINK
    return response


CSV_DOC = {
    "responses": {"200": {"description": "CSV (UTF-8, virgules)", "content": {"text/csv": {}}}}
}


def _now() -> dt.datetime:
    from django.utils import timezone

    return timezone.now()


@router.get(
    "/departements/",
    response=DepartmentsOut,
    url_name="open_data_departments",
    summary="Chiffres agrégés par département (Licence Ouverte 2.0)",
)
def departments(request: HttpRequest):
    rows: list[DepartmentFigures] = department_figures()
    return {"licence": LICENCE, "generated_at": _now(), "results": [r.__dict__ for r in rows]}


@router.get(
    "/departements.csv",
    url_name="open_data_departments_csv",
    summary="Chiffres agrégés par département, en CSV (Licence Ouverte 2.0)",
    openapi_extra=CSV_DOC,
)
def departments_csv(request: HttpRequest):
    return _csv("vocations-departements.csv", DEPARTMENT_FIELDS, department_figures())


@router.get(
    "/vagues/",
    response=WavesOut,
    url_name="open_data_waves",
    summary="Chiffres agrégés par vague de campagne (Licence Ouverte 2.0)",
)
def waves(request: HttpRequest):
    rows: list[WaveFigures] = wave_figures()
    return {"licence": LICENCE, "generated_at": _now(), "results": [r.__dict__ for r in rows]}


@router.get(
    "/vagues.csv",
    url_name="open_data_waves_csv",
    summary="Chiffres agrégés par vague de campagne, en CSV (Licence Ouverte 2.0)",
    openapi_extra=CSV_DOC,
)
def waves_csv(request: HttpRequest):
    return _csv("vocations-vagues.csv", WAVE_FIELDS, wave_figures())
