"""Reads of the analytics app that join: which campaigns a person may see reports of."""

from __future__ import annotations

from django.db.models import QuerySet

from vocations.campaigns.models import Campaign


def report_campaigns(user) -> QuerySet[Campaign]:
    """Campaigns whose reports ``user`` may read: staff see all, campaign editors their own
    (the campaigns app's scoping, one place for the rule — docs/architecture.md rule 3)."""
    if not (user.is_authenticated and user.is_active):
        return Campaign.objects.none()
    try:
        from vocations.campaigns.selectors import campaigns_for_user
    except ImportError:  # the campaigns selectors not there yet: staff only
        campaigns_for_user = None
    if campaigns_for_user is not None:
        queryset = campaigns_for_user(user, action="view")
    elif user.is_staff:
        queryset = Campaign.objects.select_related("organization")
    else:
        return Campaign.objects.none()
    return queryset.order_by("-starts_on", "name")


def report_campaign(user, pk: int) -> Campaign | None:
    return report_campaigns(user).filter(pk=pk).first()
