"""Reads of the ambassadors app: scoped lists and figures. Selectors own their joins.

Who sees what (docs/ambassadors.md): a member reads their own profile, posts and figures, and
the public profile of members who chose to be shown; a coordinator (or campaign staff) reads
the collective's lists and figures; nobody else reads anything here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from vocations.accounts.models import Organization
from vocations.accounts.permissions import COLLECTIVE_KIND, collectives_coordinated_by
from vocations.analytics.models import Attribution, VisitHourly

from .models import (
    Ambassador,
    AmbassadorNetwork,
    Invitation,
    Mobilisation,
    Participation,
    Post,
    PostMetric,
    Theme,
)


def collectives() -> QuerySet[Organization]:
    return Organization.objects.filter(kind=COLLECTIVE_KIND).order_by("pk")


def default_collective() -> Organization | None:
    """The collective of the public page: a platform runs one collective, but other
    organizations may be registered with the kind "collective" too, so the one with the most
    members (then the oldest). One query."""
    return (
        collectives()
        .annotate(
            member_count=Count(
                "ambassadors", filter=Q(ambassadors__status=Ambassador.Status.ACTIVE)
            )
        )
        .order_by("-member_count", "pk")
        .first()
    )


def collective_for_coordinator(user, pk: int) -> Organization | None:
    return collectives_coordinated_by(user).filter(pk=pk).first()


def coordinated_collectives(user) -> list[Organization]:
    return list(collectives_coordinated_by(user).order_by("name"))


def member_profile(user) -> Ambassador | None:
    """The signed-in user's active membership (one collective per person in practice)."""
    if not (user is not None and user.is_authenticated):
        return None
    return (
        Ambassador.objects.select_related("collective", "department", "sector")
        .filter(user=user, status=Ambassador.Status.ACTIVE)
        .order_by("pk")
        .first()
    )


def themes(collective: Organization | None = None) -> QuerySet[Theme]:
    qs = Theme.objects.filter(is_active=True)
    if collective is not None:
        qs = qs.filter(Q(collective__isnull=True) | Q(collective=collective))
    return qs.order_by("position", "pk")


def member_list(collective: Organization) -> list[Ambassador]:
    """Active members with their networks, themes and participation count. Four queries."""
    return list(
        Ambassador.objects.filter(collective=collective, status=Ambassador.Status.ACTIVE)
        .select_related("department", "sector", "user")
        .prefetch_related("networks", "themes")
        .annotate(participation_count=Count("participations", distinct=True))
        .order_by("display_name", "pk")
    )


def public_members(collective: Organization) -> list[Ambassador]:
    """Only those who chose to be shown; never an e-mail or a handle. Two queries."""
    return list(
        Ambassador.objects.filter(
            collective=collective, status=Ambassador.Status.ACTIVE, is_public=True
        )
        .select_related("department")
        .prefetch_related("themes")
        .only("display_name", "role", "company", "department__name", "department__code", "bio")
        .order_by("display_name", "pk")
    )


def pending_requests(collective: Organization) -> list[Invitation]:
    return list(
        Invitation.objects.filter(
            collective=collective, kind=Invitation.Kind.REQUEST, status=Invitation.Status.PENDING
        ).select_related("department")
    )


def sent_invitations(collective: Organization) -> list[Invitation]:
    return list(
        Invitation.objects.filter(
            collective=collective, status=Invitation.Status.ACCEPTED
        ).select_related("department", "workshop")
    )


def mobilisation_list(collective: Organization) -> list[Mobilisation]:
    """With event/wave and counts. One query."""
    return list(
        Mobilisation.objects.filter(collective=collective)
        .select_related("event", "wave__campaign", "campaign")
        .annotate(
            member_count=Count("participations", distinct=True),
            post_count=Count("posts", distinct=True),
        )
        .order_by("-starts_on", "pk")
    )


def mobilisation_of_collective(collective: Organization, pk: int) -> Mobilisation | None:
    return (
        Mobilisation.objects.filter(pk=pk, collective=collective)
        .select_related("collective", "event__department__region", "wave__campaign", "campaign")
        .prefetch_related("themes")
        .first()
    )


def mobilisation_posts(mobilisation: Mobilisation) -> list[Post]:
    """The posts of a mobilisation, newest first, with author, theme and figures."""
    return list(
        mobilisation.posts.select_related("ambassador", "theme")
        .prefetch_related("metrics")
        .order_by("-published_on", "-pk")
    )


def mobilisation_participants(mobilisation: Mobilisation) -> list[Participation]:
    return list(
        mobilisation.participations.select_related("ambassador", "link").order_by(
            "ambassador__display_name"
        )
    )


def mobilisations_joined_by(ambassador: Ambassador) -> QuerySet[Mobilisation]:
    """The mobilisations this member takes part in, latest first (a post's choices)."""
    return Mobilisation.objects.filter(participations__ambassador=ambassador).order_by("-starts_on")


def join_request_of_collective(collective: Organization, pk: int) -> Invitation | None:
    return Invitation.objects.filter(
        collective=collective, pk=pk, kind=Invitation.Kind.REQUEST
    ).first()


# --- one object of a member (the permission gate's nested lookups) -------------------------


def network_of_member(ambassador: Ambassador, pk: int) -> AmbassadorNetwork | None:
    return AmbassadorNetwork.objects.filter(ambassador=ambassador, pk=pk).first()


def mobilisation_for_member(ambassador: Ambassador, pk: int) -> Mobilisation | None:
    """A mobilisation of the member's collective (one they may join)."""
    return Mobilisation.objects.filter(pk=pk, collective_id=ambassador.collective_id).first()


def participation_of_member(ambassador: Ambassador, pk: int) -> Participation | None:
    return (
        Participation.objects.filter(ambassador=ambassador, pk=pk)
        .select_related("link__campaign")
        .first()
    )


def post_of_member(ambassador: Ambassador, pk: int) -> Post | None:
    return (
        Post.objects.filter(pk=pk, ambassador=ambassador)
        .select_related("ambassador__collective")
        .first()
    )


def mobilisations_for_member(ambassador: Ambassador) -> list[Mobilisation]:
    """The collective's mobilisations, each with ``participation`` (this member's, or None).
    Three queries."""
    mobilisations = list(
        Mobilisation.objects.filter(collective_id=ambassador.collective_id)
        .select_related("event", "wave__campaign")
        .prefetch_related(
            "themes",
            Prefetch(
                "participations",
                queryset=Participation.objects.filter(ambassador=ambassador).select_related("link"),
                to_attr="mine",
            ),
        )
        .order_by("-starts_on", "pk")
    )
    for mobilisation in mobilisations:
        mobilisation.participation = mobilisation.mine[0] if mobilisation.mine else None
    return mobilisations


def member_posts(ambassador: Ambassador) -> list[Post]:
    return list(
        Post.objects.filter(ambassador=ambassador)
        .select_related("theme", "mobilisation")
        .prefetch_related("metrics")
        .order_by("-published_on", "-pk")
    )


# --- figures ---------------------------------------------------------------------------------


@dataclass
class LinkFigures:
    visits: int = 0
    registrations: int = 0
    seats: int = 0
    attendance: int = 0

    def add(self, other: LinkFigures) -> LinkFigures:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self


def figures_by_link(link_ids) -> dict[int, LinkFigures]:
    """Visits (human, rolled up) and last-touch registrations not cancelled, per tracked link:
    the same definitions as the campaign report (vocations/analytics/reports.py). Two queries."""
    link_ids = list(link_ids)
    result: dict[int, LinkFigures] = defaultdict(LinkFigures)
    if not link_ids:
        return result
    for row in (
        VisitHourly.objects.filter(link_id__in=link_ids)
        .values("link_id")
        .annotate(n=Sum("visits"))
        .order_by()
    ):
        result[row["link_id"]].visits += int(row["n"] or 0)
    for row in (
        Attribution.objects.filter(last_link_id__in=link_ids)
        .exclude(registration__status="cancelled")
        .values("last_link_id")
        .annotate(
            n=Count("id"), seats=Sum("registration__seats"), present=Sum("registration__attended")
        )
        .order_by()
    ):
        figures = result[row["last_link_id"]]
        figures.registrations += row["n"]
        figures.seats += int(row["seats"] or 0)
        figures.attendance += int(row["present"] or 0)
    return result


def post_metric_totals(posts) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for post in posts:
        for metric in post.metrics.all():
            totals[metric.metric] += metric.value
    return totals


@dataclass
class MemberDashboard:
    rows: list[tuple[Participation, LinkFigures]]
    total: LinkFigures
    posts: list[Post]
    metrics: dict[str, int]


def member_dashboard(ambassador: Ambassador) -> MemberDashboard:
    """Only this member's links and posts: nothing about anyone else. Five queries."""
    participations = list(
        Participation.objects.filter(ambassador=ambassador)
        .select_related("mobilisation", "link")
        .order_by("-created_at", "-pk")
    )
    by_link = figures_by_link(p.link_id for p in participations)
    rows = [(p, by_link.get(p.link_id, LinkFigures())) for p in participations]
    total = LinkFigures()
    for _, figures in rows:
        total.add(figures)
    posts = member_posts(ambassador)
    return MemberDashboard(rows=rows, total=total, posts=posts, metrics=post_metric_totals(posts))


@dataclass
class GroupRow:
    key: str
    label: str
    members: set = field(default_factory=set)
    posts: int = 0
    impressions: int = 0
    engagements: int = 0
    figures: LinkFigures = field(default_factory=LinkFigures)

    @property
    def member_count(self) -> int:
        return len(self.members)


@dataclass
class CollectiveDashboard:
    by_mobilisation: list[GroupRow]
    by_theme: list[GroupRow]
    by_network: list[GroupRow]
    by_department: list[GroupRow]
    by_audience: list[GroupRow]
    total: GroupRow


def collective_dashboard(collective: Organization) -> CollectiveDashboard:
    """The collective by mobilisation, theme, network, audience and département. Six queries.

    Visits and registrations are per personal link, so they go to the link's mobilisation and
    the member's département; posts and their reported metrics go to their own network and
    theme; "audience" is the mobilisation's target audiences (a mobilisation may count under
    several, so that table does not add up to the total)."""
    from .networks import Network

    participations = list(
        Participation.objects.filter(mobilisation__collective=collective).select_related(
            "mobilisation", "ambassador__department"
        )
    )
    by_link = figures_by_link(p.link_id for p in participations)
    posts = list(
        Post.objects.filter(collective=collective)
        .select_related("theme", "mobilisation", "department")
        .prefetch_related("metrics")
    )
    groups: dict[str, dict[str, GroupRow]] = defaultdict(dict)
    total = GroupRow("total", "Total")

    def row(kind: str, key, label: str) -> GroupRow:
        return groups[kind].setdefault(str(key), GroupRow(str(key), label))

    from .models import AUDIENCE_LABELS

    for p in participations:
        figures = by_link.get(p.link_id, LinkFigures())
        m = p.mobilisation
        department = p.ambassador.department
        dep_row = row(
            "department",
            department.code if department else "",
            f"{department.name} ({department.code})" if department else "Non renseigné",
        )
        targets = [row("mobilisation", m.pk, m.title), dep_row] + [
            row("audience", a, AUDIENCE_LABELS.get(a, a)) for a in m.target_audiences
        ]
        for target in [*targets, total]:
            target.members.add(p.ambassador_id)
            target.figures.add(figures)
    network_labels = dict(Network.choices)
    for post in posts:
        values = {metric.metric: metric.value for metric in post.metrics.all()}
        impressions = values.get(PostMetric.Metric.IMPRESSIONS, 0)
        engagements = values.get(PostMetric.Metric.ENGAGEMENTS, 0)
        targets = [
            row("network", post.network, network_labels.get(post.network, post.network)),
            row("theme", post.theme_id or "", post.theme.name if post.theme else "Sans thème"),
            row(
                "department",
                post.department.code if post.department else "",
                f"{post.department.name} ({post.department.code})"
                if post.department
                else "Non renseigné",
            ),
            total,
        ]
        if post.mobilisation is not None:
            targets.append(row("mobilisation", post.mobilisation_id, post.mobilisation.title))
            targets += [
                row("audience", a, AUDIENCE_LABELS.get(a, a))
                for a in post.mobilisation.target_audiences
            ]
        for target in targets:
            target.posts += 1
            target.impressions += impressions
            target.engagements += engagements

    def ordered(kind: str) -> list[GroupRow]:
        return sorted(groups[kind].values(), key=lambda r: (r.label, r.key))

    return CollectiveDashboard(
        by_mobilisation=ordered("mobilisation"),
        by_theme=ordered("theme"),
        by_network=ordered("network"),
        by_department=ordered("department"),
        by_audience=ordered("audience"),
        total=total,
    )


def networks_of_members(collective: Organization) -> list[AmbassadorNetwork]:
    """Every active member's networks, with the member and their département (coverage input)."""
    return list(
        AmbassadorNetwork.objects.filter(
            ambassador__collective=collective, ambassador__status=Ambassador.Status.ACTIVE
        )
        .select_related("ambassador__department__region")
        .prefetch_related("ambassador__themes")
        .order_by("ambassador_id", "network")
    )


def members_by_department(collective: Organization | None = None) -> dict[int, int]:
    """Active members per département id (their declared département), in one collective or
    in every collective. One query."""
    members = Ambassador.objects.filter(status=Ambassador.Status.ACTIVE, department__isnull=False)
    if collective is not None:
        members = members.filter(collective=collective)
    return dict(
        members.values("department_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("department_id", "n")
    )


@dataclass
class PresenceRow:
    code: str
    name: str
    region: str
    members: int = 0
    posts: int = 0
    events: int = 0
    hiring_projects: int = 0  # BMO recruitment projects of the latest year loaded


def presence_by_department(collective: Organization) -> list[PresenceRow]:
    """Members, posts, upcoming published events and hiring need (BMO, latest year) per
    département — where the collective is absent shows as 0 members next to events and
    recruitment projects. Six queries."""
    import datetime as dt

    from django.utils import timezone

    from vocations.events.models import Event
    from vocations.territories.models import Department

    rows = {
        d.pk: PresenceRow(d.code, d.name, d.region.name)
        for d in Department.objects.select_related("region").order_by("code")
    }
    for department_id, n in members_by_department(collective).items():
        if department_id in rows:
            rows[department_id].members = n
    for row in (
        Post.objects.filter(collective=collective)
        .values("department_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if row["department_id"] in rows:
            rows[row["department_id"]].posts = row["n"]
    now = timezone.now()
    for row in (
        Event.objects.filter(
            is_published=True, starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=180)
        )
        .values("department_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if row["department_id"] in rows:
            rows[row["department_id"]].events = row["n"]
    from vocations.territories.selectors import hiring_need_by_department

    # Recruitment projects of the latest BMO year, by the département of each bassin's part.
    by_code = {row.code: row for row in rows.values()}
    for need in hiring_need_by_department():
        if need["department_code"] in by_code:
            by_code[need["department_code"]].hiring_projects = int(need["projects"])
    return list(rows.values())
