"""Reads of the analytics app: which campaigns a person may see reports of, how fresh the
roll-ups are."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from vocations.campaigns.models import Campaign
from vocations.campaigns.selectors import campaigns_for_user

from .models import RollupState


def report_campaigns(user) -> QuerySet[Campaign]:
    """Campaigns whose reports ``user`` may read: staff see all, campaign editors their own
    (the campaigns app's scoping, one place for the rule — docs/architecture.md rule 3)."""
    if not (user.is_authenticated and user.is_active):
        return Campaign.objects.none()
    return campaigns_for_user(user, action="view").order_by("-starts_on", "name")


def report_campaign(user, pk: int) -> Campaign | None:
    return report_campaigns(user).filter(pk=pk).first()


def rolled_until() -> dt.datetime | None:
    """Until when the roll-ups hold every visit: the freshness a report shows."""
    state = RollupState.objects.filter(pk=1).first()
    return state.rolled_until if state else None
