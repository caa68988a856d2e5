"""Joined reads of the campaigns app: scoped lists, totals, links, territories."""

from __future__ import annotations

import dataclasses
import unicodedata
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet, Sum

from vocations.accounts.permissions import editable_branches, scope_queryset
from vocations.campaigns.formats import format_euros
from vocations.campaigns.models import (
    BranchMessage,
    Campaign,
    Channel,
    Placement,
    TrackedLink,
    Wave,
)
from vocations.campaigns.services.import_jobs import import_job_kind
from vocations.campaigns.services.links import is_valid_code, validate_landing_path
from vocations.campaigns.services.plan import placement_warnings
from vocations.campaigns.territory_codes import (  # noqa: F401 - read by forms and exports
    Territory,
    territory_code,
    territory_from_code,
    territory_label,
)
from vocations.core import jobs
from vocations.core.models import BackgroundImport

# --- tracked links (used by the analytics app's /l/<code> redirect) --------------------------


def link_for_code(code: str) -> TrackedLink | None:
    """The active link of this code with what attribution needs, or None (unknown/inactive).

    One query; malformed codes cost none.
    """
    if not is_valid_code(code):
        return None
    return (
        TrackedLink.objects.select_related("placement__wave", "campaign")
        .filter(code=code, is_active=True)
        .first()
    )


def link_destination(link: TrackedLink) -> str:
    """Where /l/<code> sends the visitor: always a local path ("/…", never "//…")."""
    try:
        return validate_landing_path(link.landing_path)
    except ValidationError:
        # A bad path can only come from outside the services (admin, SQL): send home.
        return "/"


def qr_url(link: TrackedLink) -> str:
    """The address printed in QR codes; "s=qr" tells a scan from a click."""
    from django.conf import settings

    return f"{settings.SITE_URL}/l/{link.code}?s=qr"


def short_url(link: TrackedLink) -> str:
    from django.conf import settings

    return f"{settings.SITE_URL}/l/{link.code}"


# --- scope -----------------------------------------------------------------------------------


def campaigns_for_user(user, *, action: str = "view") -> QuerySet[Campaign]:
    return scope_queryset(user, Campaign.objects.select_related("organization"), action=action)


def campaign_for_user(user, pk: int, *, action: str = "view") -> Campaign | None:
    return campaigns_for_user(user, action=action).filter(pk=pk).first()


def campaigns_for_branch_messages(user) -> QuerySet[Campaign]:
    """The campaigns whose branch variants ``user`` may see: those of their organizations, or
    every campaign for an editor of a branch (a branch adapts every campaign's message)."""
    if editable_branches(user).exists():
        return Campaign.objects.select_related("organization")
    return campaigns_for_user(user)


def campaign_for_branch_messages(user, pk: int) -> Campaign | None:
    # The user's own campaign first: one query for the campaign team, two for a branch.
    campaign = campaign_for_user(user, pk)
    if campaign is None and editable_branches(user).exists():
        campaign = Campaign.objects.select_related("organization").filter(pk=pk).first()
    return campaign


def wave_for_campaign(campaign: Campaign, number: int) -> Wave | None:
    return Wave.objects.filter(campaign=campaign, number=number).select_related("campaign").first()


def placement_for_campaign(campaign: Campaign, pk: int) -> Placement | None:
    return Placement.objects.filter(campaign=campaign, pk=pk).select_related("wave").first()


def link_for_campaign(campaign: Campaign, pk: int) -> TrackedLink | None:
    return link_list(campaign).filter(pk=pk).first()


def branch_message_for_campaign(campaign: Campaign, pk: int) -> BranchMessage | None:
    return (
        BranchMessage.objects.filter(campaign=campaign, pk=pk)
        .select_related("branch", "campaign")
        .first()
    )


def campaign_list_for_user(user) -> QuerySet[Campaign]:
    return campaigns_for_user(user).annotate(
        placement_count=Count("placements", distinct=True),
        committed=Sum("placements__committed_cents"),
    )


# --- placements and totals -------------------------------------------------------------------


def placement_list(
    campaign: Campaign, *, wave: Wave | int | None = None, channel: str = ""
) -> QuerySet[Placement]:
    """The media plan, with everything a table row shows joined (one query)."""
    placements = Placement.objects.filter(campaign=campaign).select_related(
        "wave", "region", "department", "commune", "branch_message__branch"
    )
    if wave:
        placements = placements.filter(wave=wave)
    if channel in Channel.values:
        placements = placements.filter(channel=channel)
    return placements.annotate(link_count=Count("links")).order_by(
        "wave__number", "channel", "name", "pk"
    )


@dataclasses.dataclass
class Amounts:
    planned_cents: int = 0
    committed_cents: int = 0

    def add(self, planned: int, committed: int) -> None:
        self.planned_cents += planned
        self.committed_cents += committed

    @property
    def planned(self) -> str:
        return format_euros(self.planned_cents)

    @property
    def committed(self) -> str:
        return format_euros(self.committed_cents)


@dataclasses.dataclass
class CampaignTotals:
    budget_cents: int
    by_wave: list[tuple[Wave, Amounts]]
    by_channel: list[tuple[str, str, Amounts]]  # (value, label, amounts)
    # (wave number, channel) -> amounts, for the wave × channel table
    cells: dict[tuple[int, str], Amounts]
    total: Amounts
    warnings: list[str]

    @property
    def channels_used(self) -> list[tuple[str, str, Amounts]]:
        used = {channel for _, channel in self.cells}
        return [row for row in self.by_channel if row[0] in used]

    @property
    def matrix(self) -> list[tuple[Wave, Amounts, list[Amounts | None]]]:
        """Rows of the wave × channel table (only channels with placements)."""
        channels = [value for value, _, _ in self.channels_used]
        return [
            (wave, amounts, [self.cells.get((wave.number, c)) for c in channels])
            for wave, amounts in self.by_wave
        ]

    @property
    def remaining_cents(self) -> int:
        return self.budget_cents - self.total.committed_cents

    @property
    def budget(self) -> str:
        return format_euros(self.budget_cents)

    @property
    def remaining(self) -> str:
        return format_euros(self.remaining_cents)


def totals_from_rows(
    rows: list[tuple[int, str, int, int]], waves: list[Wave], budget_cents: int
) -> CampaignTotals:
    """Totals from (wave id, channel, planned, committed) rows; pure, so it can be fuzzed."""
    wave_amounts = {wave.pk: Amounts() for wave in waves}
    channel_amounts = {value: Amounts() for value in Channel.values}
    cells: dict[tuple[int, str], Amounts] = defaultdict(Amounts)
    number = {wave.pk: wave.number for wave in waves}
    total = Amounts()
    for wave_id, channel, planned, committed in rows:
        wave_amounts.setdefault(wave_id, Amounts()).add(planned, committed)
        channel_amounts.setdefault(channel, Amounts()).add(planned, committed)
        cells[(number.get(wave_id, 0), channel)].add(planned, committed)
        total.add(planned, committed)
    warnings = []
    if total.planned_cents > budget_cents:
        warnings.append(
            f"Prévu {format_euros(total.planned_cents)} > budget {format_euros(budget_cents)} : "
            f"dépassement de {format_euros(total.planned_cents - budget_cents)} "
            "(autorisé pour un plan, mais à arbitrer avant d'engager)."
        )
    if total.committed_cents > budget_cents:  # only possible through data written by hand
        warnings.append(
            f"Engagé {format_euros(total.committed_cents)} > budget {format_euros(budget_cents)}"
        )
    labels = dict(Channel.choices)
    return CampaignTotals(
        budget_cents=budget_cents,
        by_wave=[(wave, wave_amounts[wave.pk]) for wave in waves],
        by_channel=[(value, labels.get(value, value), a) for value, a in channel_amounts.items()],
        cells=dict(cells),
        total=total,
        warnings=warnings,
    )


def campaign_totals(campaign: Campaign) -> CampaignTotals:
    """Planned and committed money by wave, by channel and in all, with warnings. 3 queries."""
    rows = list(
        Placement.objects.filter(campaign=campaign)
        .values("wave_id", "channel")
        .annotate(planned=Sum("planned_cents"), committed=Sum("committed_cents"))
        .values_list("wave_id", "channel", "planned", "committed")
        .order_by()
    )
    waves = list(Wave.objects.filter(campaign=campaign).order_by("number"))
    totals = totals_from_rows(rows, waves, campaign.budget_cents)
    suspicious = Placement.objects.filter(campaign=campaign).filter(
        Q(starts_on__lt=F("wave__starts_on"))
        | Q(ends_on__gt=F("wave__ends_on"))
        | Q(committed_cents__gt=F("planned_cents"))
    )
    for placement in suspicious.select_related("wave").order_by("wave__number", "name"):
        totals.warnings.extend(placement_warnings(placement, placement.wave))
    return totals


def wave_list(campaign: Campaign) -> QuerySet[Wave]:
    return Wave.objects.filter(campaign=campaign).order_by("number")


# --- background imports (vocations/core/jobs.py) ---------------------------------------------


def import_job_for(user, campaign: Campaign, kind: str, job_id) -> BackgroundImport | None:
    """This user's import of this kind for this campaign, or None (404)."""
    return jobs.job_for(
        owner=user, job_id=job_id, kind=import_job_kind(kind), params={"campaign": campaign.pk}
    )


@dataclasses.dataclass(frozen=True)
class ImportProgress:
    done: int
    total: int
    stalled: bool  # still "running" long after its worker should have finished


def import_job_progress(job: BackgroundImport) -> ImportProgress:
    done, total = jobs.progress_of(job)
    return ImportProgress(done=done, total=total, stalled=jobs.stalled(job))


# --- links, messages -------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents: "Télé" finds "Télévision", and so does "tele"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def link_list(
    campaign: Campaign, *, wave: Wave | None = None, q: str = ""
) -> QuerySet[TrackedLink]:
    """The campaign's links; ``q`` searches the label, the code, the placement, the channel
    (by its French name, "affichage") and the city."""
    links = TrackedLink.objects.filter(campaign=campaign).select_related(
        "placement__wave", "commune", "event", "branch"
    )
    if wave is not None:
        links = links.filter(placement__wave=wave)
    q = q.strip()
    if q:
        folded = fold(q)
        channels = [value for value, label in Channel.choices if folded in fold(label)]
        links = links.filter(
            Q(label__icontains=q)
            | Q(code__icontains=q.removeprefix("/l/"))
            | Q(placement__name__icontains=q)
            | Q(placement__channel__in=channels)
            | Q(commune__name__icontains=q)
        )
    return links.order_by("placement__wave__number", "placement__channel", "label", "code")


def wave_links(wave: Wave) -> QuerySet[TrackedLink]:
    """Active links of a wave's placements, for the wave's ZIP of QR codes."""
    return link_list(wave.campaign, wave=wave).filter(is_active=True)


def branch_message_list(campaign: Campaign) -> QuerySet[BranchMessage]:
    return (
        BranchMessage.objects.filter(campaign=campaign)
        .select_related("branch")
        .prefetch_related("audiences", "trades", "placements")
        .order_by("branch__short_name")
    )


def placements_by_department() -> dict[int, int]:
    """Département id -> placements aimed at it (département or commune scope). One query.

    Régional and national placements have no département: see ``placements_by_region``.
    """
    rows = (
        Placement.objects.filter(department__isnull=False)
        .values("department_id")
        .annotate(n=Count("pk"))
    )
    return {row["department_id"]: row["n"] for row in rows}


def placements_by_region() -> dict[int, int]:
    """Région id -> placements aimed at the whole région. One query."""
    rows = (
        Placement.objects.filter(scope=Placement.Scope.REGION, region__isnull=False)
        .values("region_id")
        .annotate(n=Count("pk"))
    )
    return {row["region_id"]: row["n"] for row in rows}
