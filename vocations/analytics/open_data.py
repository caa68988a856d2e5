"""Open data: aggregate figures per département and per campaign wave, published under the
Licence Ouverte 2.0 (docs/reports.md). Aggregates only — no row here is about a person.

Per département (of the event's place): labelled public events, seats offered, confirmed
registrations, people registered (a class counts its pupils and adults), pupils, people
present at check-in. Per wave: the campaign dashboard's wave rows (vocations/analytics/
reports.py), so the open figures are the very figures of the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from vocations.campaigns.models import Campaign
from vocations.events.models import Event, Label, Registration
from vocations.territories.models import Department

from .reports import campaign_report

LICENCE = {
    "name": "Licence Ouverte / Open Licence version 2.0",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "attribution": "Vocations — plateforme des métiers de l'industrie",
}
LICENCE_LINK = f'<{LICENCE["url"]}>; rel="license"'


@dataclass(frozen=True)
class DepartmentFigures:
    code: str
    name: str
    region: str
    events: int
    seats_offered: int
    registrations: int
    people_registered: int
    pupils: int
    attendance: int


def department_figures() -> list[DepartmentFigures]:
    """Every département, zeros included. Three queries."""
    public = Q(is_published=True, label__state=Label.State.LABELLED)
    events = {
        row["department_id"]: row
        for row in Event.objects.filter(public, department__isnull=False)
        .values("department_id")
        .annotate(n=Count("id"), seats=Sum("capacity"))
        .order_by()
    }
    confirmed = Registration.Status.CONFIRMED
    registrations = {
        row["event__department_id"]: row
        for row in Registration.objects.filter(
            status=confirmed,
            event__is_published=True,
            event__label__state=Label.State.LABELLED,
            event__department__isnull=False,
        )
        .values("event__department_id")
        .annotate(
            n=Count("id"),
            seats=Sum("seats"),
            pupils=Sum("pupils"),
            present=Sum("attended"),
        )
        .order_by()
    }
    rows = []
    for department in Department.objects.select_related("region").order_by("code"):
        e = events.get(department.pk, {})
        r = registrations.get(department.pk, {})
        rows.append(
            DepartmentFigures(
                code=department.code,
                name=department.name,
                region=department.region.code if department.region else "",
                events=e.get("n", 0),
                seats_offered=int(e.get("seats") or 0),
                registrations=r.get("n", 0),
                people_registered=int(r.get("seats") or 0),
                pupils=int(r.get("pupils") or 0),
                attendance=int(r.get("present") or 0),
            )
        )
    return rows


@dataclass(frozen=True)
class WaveFigures:
    campaign: str
    campaign_slug: str
    wave: int
    name: str
    starts_on: object
    ends_on: object
    planned_cents: int
    committed_cents: int
    reported_spend_cents: int | None
    reach: int
    visits: int
    unique_visitors: int
    registrations_last_touch: int
    registrations_first_touch: int
    attendance: int


def wave_figures() -> list[WaveFigures]:
    """Every wave of every campaign, with the dashboard's figures. One query for the
    campaigns, then six per campaign (the dashboard's own)."""
    rows = []
    for campaign in Campaign.objects.order_by("starts_on", "pk"):
        report = campaign_report(campaign=campaign)
        waves = {w.pk: w for w in campaign.waves.all()}
        for row in report.waves:
            wave = waves.get(row.key)
            f = row.figures
            rows.append(
                WaveFigures(
                    campaign=campaign.name,
                    campaign_slug=campaign.slug,
                    wave=wave.number if wave else 0,
                    name=row.label,
                    starts_on=wave.starts_on if wave else None,
                    ends_on=wave.ends_on if wave else None,
                    planned_cents=f.planned_cents,
                    committed_cents=f.committed_cents,
                    reported_spend_cents=f.reported_cents if f.reported_placements else None,
                    reach=f.reach,
                    visits=f.visits,
                    unique_visitors=f.unique_visitors,
                    registrations_last_touch=f.registrations,
                    registrations_first_touch=f.first_registrations,
                    attendance=f.attendance,
                )
            )
    return rows
