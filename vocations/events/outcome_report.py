"""The outcome report of an event, like l'Usine extraordinaire's: visitors, pupils and their
départements, schools, sessions, spaces and universes, partners, invitation-only guests,
accredited journalists, press coverage and officials. Campaign media figures (social
impressions…) are joined in by vocations/analytics/event_media.py: events never import
campaigns.

Every figure is a count or a sum over the event's rows (docs/reports.md); a figure nobody
recorded is None and shows as "non renseigné", never 0. Eleven queries whatever the size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from vocations.events.models import (
    Event,
    EventOutcomeFacts,
    EventPartner,
    MediaArticle,
    PressAccreditation,
    Registration,
    SessionInvitation,
)
from vocations.events.outcomes import EventOutcomes, event_outcomes

Status = Registration.Status


@dataclass(frozen=True)
class SpaceOutcome:
    universe: str
    space: str
    sessions: int
    registered: int
    attended: int


@dataclass(frozen=True)
class InvitationOutcome:
    """An invitation-only session (e.g. the industry dinner)."""

    title: str
    invited: int
    confirmed: int
    attended: int


@dataclass(frozen=True)
class PartnerCount:
    level: str
    label: str
    count: int


@dataclass
class OutcomeReport:
    event: Event
    outcomes: EventOutcomes
    # People present at check-in (the event's visitors as counted at the door).
    visitors: int
    schools: int
    spaces: list[SpaceOutcome]
    universes: list[SpaceOutcome]
    invitations: list[InvitationOutcome]
    partners: list[PartnerCount]
    partner_names: list[str]
    journalists: int
    journalist_outlets: int
    articles: list[MediaArticle]
    articles_reach: int | None
    vip_count: int | None
    vip_note: str
    media: object = None  # analytics.event_media.EventMediaFigures, joined by the caller
    generated_at: dt.datetime | None = None
    department_codes: list[str] = field(default_factory=list)

    @property
    def departments_count(self) -> int:
        return len([d for d in self.outcomes.departments if d.code])


def outcome_report(event: Event, *, now: dt.datetime | None = None) -> OutcomeReport:
    outcomes = event_outcomes(event, now=now)  # four queries
    confirmed = Registration.objects.filter(event=event, status=Status.CONFIRMED)
    groups = confirmed.filter(kind=Registration.Kind.GROUP)
    # One query: distinct schools of the confirmed groups (UAI when given, else the name).
    school_keys = set()
    for uai, name in groups.values_list("uai", "school_name"):
        key = (uai or "").upper() or " ".join((name or "").lower().split())
        if key:
            school_keys.add(key)
    spaces = _spaces(event)  # one query
    universes: dict[str, SpaceOutcome] = {}
    for s in spaces:
        u = universes.get(s.universe)
        universes[s.universe] = SpaceOutcome(
            universe=s.universe,
            space="",
            sessions=(u.sessions if u else 0) + s.sessions,
            registered=(u.registered if u else 0) + s.registered,
            attended=(u.attended if u else 0) + s.attended,
        )

    # One query: invitation-only sessions with their invitations and confirmed guests.
    invited = dict(
        SessionInvitation.objects.filter(session__event=event, session__invitation_only=True)
        .values("session_id")
        .annotate(n=Count("id"))
        .values_list("session_id", "n")
    )
    invitations = [
        InvitationOutcome(
            title=pool.label,
            invited=invited.get(pool.session.pk, 0),
            confirmed=pool.registered,
            attended=pool.attended,
        )
        for pool in outcomes.pools
        if pool.session is not None and pool.session.invitation_only
    ]

    # One query: partners by level (names in the event's order).
    labels = dict(EventPartner.Level.choices)
    partner_rows = list(
        EventPartner.objects.filter(event=event)
        .select_related("partner")
        .order_by("position", "id")
    )
    by_level: dict[str, int] = {}
    for row in partner_rows:
        by_level[row.level] = by_level.get(row.level, 0) + 1
    partners = [
        PartnerCount(level=level, label=labels.get(level, level), count=count)
        for level, count in by_level.items()
    ]

    # One query: accredited journalists and their outlets.
    press = PressAccreditation.objects.filter(
        event=event, status=PressAccreditation.Status.ACCEPTED
    ).aggregate(n=Count("id"), outlets=Count("outlet", distinct=True))
    # One query: the press coverage recorded by the organizer.
    articles = list(MediaArticle.objects.filter(event=event).order_by("-published_on", "pk"))
    reaches = [a.reach for a in articles if a.reach is not None]
    # One query: officials, if recorded.
    facts = EventOutcomeFacts.objects.filter(event=event).first()
    return OutcomeReport(
        event=event,
        outcomes=outcomes,
        visitors=outcomes.total.attended,
        schools=len(school_keys),
        spaces=spaces,
        universes=sorted(universes.values(), key=lambda u: (-u.attended, u.universe)),
        invitations=invitations,
        partners=partners,
        partner_names=[row.partner.name for row in partner_rows],
        journalists=press["n"],
        journalist_outlets=press["outlets"],
        articles=articles,
        articles_reach=sum(reaches) if reaches else None,
        vip_count=facts.vip_count if facts else None,
        vip_note=facts.vip_note if facts else "",
        generated_at=now,
        department_codes=[d.code for d in outcomes.departments if d.code],
    )


def _spaces(event: Event) -> list[SpaceOutcome]:
    """People registered and present per space, over the sessions held in it. One query."""
    rows = (
        Registration.objects.filter(event=event, status=Status.CONFIRMED, session__isnull=False)
        .values("session__space__universe__name", "session__space__name")
        .annotate(
            sessions=Count("session", distinct=True),
            registered=Sum("seats"),
            attended=Sum("attended"),
        )
        .order_by()
    )
    spaces = [
        SpaceOutcome(
            universe=row["session__space__universe__name"] or "Hors univers",
            space=row["session__space__name"] or "Hors espace",
            sessions=row["sessions"],
            registered=row["registered"] or 0,
            attended=row["attended"] or 0,
        )
        for row in rows
    ]
    spaces.sort(key=lambda s: (-s.attended, -s.registered, s.space))
    return spaces
