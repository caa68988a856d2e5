"""Data the benchmarks need (run inside django.setup())."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def bench_link() -> int:
    """A campaign, a wave, a placement and the tracked link /l/bench22; returns the link id."""
    from vocations.accounts.models import Organization
    from vocations.campaigns.models import Campaign, Placement, TrackedLink, Wave

    from .redirects import LINK_CODE

    link = TrackedLink.objects.filter(code=LINK_CODE).first()
    if link is not None:
        return link.pk
    today = timezone.localdate()
    org, _ = Organization.objects.get_or_create(
        slug="bench-campagne", defaults={"name": "Campagne (banc d'essai)", "kind": "company"}
    )
    campaign = Campaign.objects.create(
        organization=org, name="Banc d'essai", slug="banc-d-essai", budget_cents=0,
        starts_on=today, ends_on=today + dt.timedelta(days=30),
    )  # fmt: skip
    wave = Wave.objects.create(
        campaign=campaign, number=1, name="Vague 1", starts_on=today, ends_on=campaign.ends_on
    )
    placement = Placement.objects.create(
        campaign=campaign, wave=wave, channel="billboard", name="Affiches (banc d'essai)",
        scope="national", starts_on=today, ends_on=campaign.ends_on,
    )  # fmt: skip
    link = TrackedLink.objects.create(
        code=LINK_CODE, campaign=campaign, target_kind="placement", placement=placement,
        landing_path="/evenements/",
    )  # fmt: skip
    return link.pk


def counts(link_id: int) -> str:
    """'<visits stored for the link> <items left in the buffer>'."""
    from vocations.analytics.models import Visit
    from vocations.analytics.services.buffer import get_buffer

    return f"{Visit.objects.filter(link_id=link_id).count()} {get_buffer().pending()}"
