"""Demo rows that join apps which may not know each other (docs/architecture.md).

campaigns and events are independent: the demo campaign's tracked links to demo events are
made here, after both apps built their own rows.
"""

from __future__ import annotations

from django.db.models import Count, Q

from vocations.accounts.models import Organization
from vocations.campaigns.demo import SLUG, UniqueCodes
from vocations.campaigns.models import Campaign, TrackedLink
from vocations.events.models import Event

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
