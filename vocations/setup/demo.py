"""Demo rows that join apps which may not know each other (docs/architecture.md).

campaigns and events are independent: the demo campaign's tracked links to demo events are
made here, after both apps built their own rows. The demo organizer's showcase (the events a
person signing in as ``organisateur@vocations.demo`` manages) is made here too: it needs the
organizations, the events and, later, their registrations.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify

from vocations.accounts.models import Organization
from vocations.campaigns.demo import SLUG, UniqueCodes
from vocations.campaigns.models import Campaign, TrackedLink
from vocations.events.demo import VISIT_ACCESS, Slugs
from vocations.events.demo_world import ACCESSIBILITY, at, label_for, save_labels
from vocations.events.models import Event, EventAudience, Label

# The flagship is organised by its own body (like l'Usine extraordinaire by its foundation),
# whose events the demo organizer also manages.
FLAGSHIP_ORGANIZER = "Fondation L'Usine en grand"


@dataclass
class Showcase:
    counts: dict[str, int] = field(default_factory=dict)
    # Event id → share of its capacity asked for (vocations.events.demo_registrations).
    fill: dict[int, float] = field(default_factory=dict)


# (kind, title pattern, days from today, hour, duration in hours, capacity, groups, share of
# the capacity asked for, days before the start registration opens): open days with
# registrations, a visit that is full with a waiting list, a past workshop with check-ins, a
# visit whose registration opens later (nobody registered yet).
SHOWCASE = [
    ("open_day", "Portes ouvertes — {org}", 11, 10, 7, 150, True, 0.7, 40),
    ("open_day", "Journée portes ouvertes de l'alternance — {org}", 25, 9, 8, 120, True, 0.4, 30),
    ("company_visit", "Visite guidée de la production — {org}", 6, 14, 2, 20, False, 1.5, 30),
    ("workshop", "Atelier découverte des métiers — {org}", -12, 9, 3, 16, False, 0.95, 40),
    ("company_visit", "Dans les coulisses de l'atelier — {org}", 120, 10, 2, 25, True, 0, 45),
]
SHOWCASE_TEXT = (
    "{org} ouvre ses portes : démonstrations, rencontres avec les équipes et présentation des "
    "métiers qui recrutent, en production, en maintenance et au laboratoire."
)

EVENT_LINKS = 30


def build_event_links() -> dict[str, int]:
    """One tracked link per labelled, published event (the first 30), for the demo campaign."""
    campaign = Campaign.objects.filter(slug=SLUG).first()
    if campaign is None or campaign.links.filter(target_kind=TrackedLink.TargetKind.EVENT).exists():
        return {}
    events = Event.objects.filter(label__state="labelled", is_published=True).order_by("id")
    code = UniqueCodes()
    links = TrackedLink.objects.bulk_create(
        TrackedLink(
            code=code(),
            campaign=campaign,
            target_kind=TrackedLink.TargetKind.EVENT,
            event=event,
            landing_path=f"/evenements/{event.slug}/",
            label=f"Événement — {event.title}"[:200],
        )
        for event in events[:EVENT_LINKS]
    )
    return {"liens vers des événements": len(links)}


def demo_organizer_company() -> Organization | None:
    """The company the demo organizer runs: the one with the most published events in
    metropolitan France (overseas collectivities make a poor first impression of a demo)."""
    published = Q(events__is_published=True) & ~Q(events__department__code__startswith="97")
    return (
        Organization.objects.filter(kind=Organization.Kind.COMPANY)
        .annotate(shown=Count("events", filter=published))
        .filter(shown__gt=0)
        .order_by("-shown", "id")
        .first()
    )


def _next_weekday(day: dt.date, kind: str) -> dt.date:
    """Open days on a Saturday, the rest on a weekday, as the regular demo events."""
    wanted = {5} if kind == "open_day" else {0, 1, 2, 3, 4}
    while day.weekday() not in wanted:
        day += dt.timedelta(days=1)
    return day


def build_organizer_showcase(rng: random.Random) -> Showcase:
    """The demo organizer's company gets a credible set of events; the flagship's two editions
    move to their own organizing body (the organizer manages them too, see
    ``demo_organizer_organizations``). Once per demo build."""
    company = demo_organizer_company()
    if company is None:
        return Showcase()
    now = timezone.now()
    today = timezone.localdate(now)
    model = (
        Event.objects.filter(organization=company, is_online=False, commune__isnull=False)
        .order_by("id")
        .first()
    )
    slugs = Slugs()
    rows = []
    for kind, title, days, hour, hours, capacity, groups, share, opens in SHOWCASE:
        day = _next_weekday(today + dt.timedelta(days=days), kind)
        starts = at(day, hour)
        name = title.format(org=company.name)[:200]
        event = Event(
            organization=company,
            kind=kind,
            title=name,
            slug=slugs(name),
            summary="Une journée pour découvrir l'entreprise, ses machines et ses métiers."
            if kind == "open_day"
            else "Découvrez la production et les métiers avec les équipes.",
            description=SHOWCASE_TEXT.format(org=company.name),
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=hours),
            capacity=capacity,
            accepts_groups=groups,
            max_group_size=min(30, capacity) if groups else None,
            registration_opens_at=at(day - dt.timedelta(days=opens), 9),
            registration_closes_at=at(day - dt.timedelta(days=1), 18),
            venue_name=company.name[:200],
            access_info=VISIT_ACCESS if kind == "company_visit" else "",
            accessibility_info=ACCESSIBILITY,
        )
        if model is not None:
            for name_ in ("commune_id", "department_id", "region_id", "postal_code"):
                setattr(event, name_, getattr(model, name_))
            event.latitude, event.longitude = model.latitude, model.longitude
            event.address = model.address
        label, steps = label_for(rng, now, event, Label.State.LABELLED)
        rows.append((event, label, steps, share))
    Event.objects.bulk_create([e for e, _, _, _ in rows])
    save_labels([(e, label, steps) for e, label, steps, _ in rows])
    EventAudience.objects.bulk_create(
        EventAudience(event=e, audience=a)
        for e, _, _, _ in rows
        for a in ("young_people", "job_seekers", "parents")
    )
    sectors = list(model.sectors.values_list("id", flat=True)) if model else []
    trades = list(model.trades.values_list("id", flat=True)) if model else []
    for event, _, _, _ in rows:
        event.sectors.set(sectors)
        event.trades.set(trades)

    body, _ = Organization.objects.get_or_create(
        slug=slugify(FLAGSHIP_ORGANIZER),
        defaults={"name": FLAGSHIP_ORGANIZER, "kind": Organization.Kind.LOCAL_BODY},
    )
    moved = Event.objects.filter(kind=Event.Kind.FLAGSHIP).update(organization=body)
    return Showcase(
        counts={"événements de l'organisatrice de démo": len(rows) + moved},
        fill={e.pk: share for e, _, _, share in rows},
    )


def demo_organizer_organizations() -> list[Organization]:
    """The organizations the demo organizer belongs to: her company and the flagship's body."""
    found = [demo_organizer_company()]
    found.append(Organization.objects.filter(slug=slugify(FLAGSHIP_ORGANIZER)).first())
    return [o for o in found if o is not None]


# People who use the site without an account: their e-mails are printed on the console, and
# their self-service links and press page are printed by `make demo`.
VISITOR_EMAIL = "visiteur@vocations.demo"
TEACHER_EMAIL = "enseignante@vocations.demo"
JOURNALIST_EMAIL = "journaliste@vocations.demo"


def _showcase_events(company: Organization):
    titles = [title.format(org=company.name)[:200] for _, title, *_ in SHOWCASE]
    return Event.objects.filter(organization=company, title__in=titles)


def build_public_identities() -> dict[str, int]:
    """A visitor's and a teacher's registration on the organizer's open day (rows the demo
    registrations made, given a demo address), and a journalist's pending accreditation
    request on the upcoming flagship, for the organizer to answer."""
    from vocations.events.models import PressAccreditation, Registration

    company = demo_organizer_company()
    if company is None:
        return {}
    registrations = Registration.objects.filter(
        event__in=_showcase_events(company).filter(kind="open_day"), status="confirmed"
    ).order_by("event__starts_at", "id")
    made = 0
    for email, kind, first, last, school in (
        (VISITOR_EMAIL, Registration.Kind.INDIVIDUAL, "Inès", "Moreau", ""),
        (TEACHER_EMAIL, Registration.Kind.GROUP, "Claire", "Fournier", "Collège Louise-Michel"),
    ):
        row = registrations.filter(kind=kind).first()
        if row is None or Registration.objects.filter(email=email).exists():
            continue
        row.email, row.first_name, row.last_name = email, first, last
        if school:
            row.school_name = school
        row.save(update_fields=["email", "first_name", "last_name", "school_name"])
        made += 1
    flagship = (
        Event.objects.filter(kind=Event.Kind.FLAGSHIP, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    if (
        flagship is not None
        and not PressAccreditation.objects.filter(email=JOURNALIST_EMAIL).exists()
    ):
        PressAccreditation.objects.create(
            event=flagship,
            full_name="Julie Marchand",
            email=JOURNALIST_EMAIL,
            phone="06 12 34 56 78",
            outlet="Le Progrès",
            role="Journaliste, rubrique économie",
            press_card_number="123456",
        )
        made += 1
    return {"personnes sans compte (visiteur, enseignante, journaliste)": made}


def print_public_identities(stdout) -> None:
    """The visitor's and the teacher's self-service links and the journalist's request."""
    from vocations.events.models import PressAccreditation, Registration
    from vocations.events.tickets import self_service_url

    lines = []
    for email, who in ((VISITOR_EMAIL, "visiteuse"), (TEACHER_EMAIL, "enseignante, une classe")):
        row = Registration.objects.filter(email=email).select_related("event").first()
        if row is not None:
            lines.append(
                f"{email} ({who} inscrite à « {row.event.title} » : {self_service_url(row)})"
            )
    request = PressAccreditation.objects.filter(email=JOURNALIST_EMAIL).select_related("event")
    request = request.first()
    if request is not None:
        lines.append(
            f"{JOURNALIST_EMAIL} (journaliste, demande d'accréditation "
            f"« {request.get_status_display().lower()} » pour « {request.event.title} », "
            f"/evenements/{request.event.slug}/presse/)"
        )
    if lines:
        stdout.write("Sans compte (e-mails affichés dans la console) : " + ", ".join(lines) + ".")
