"""Joined reads the back-office screens need, on top of the events selectors (scope first)."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from vocations.events.models import Event, Label, LabelTransition
from vocations.events.selectors import events_for_user

DASHBOARD_PAGE_SIZE = 50


def dashboard_events(user, *, state: str = "", page: int | str = 1) -> Page:
    """One page of the events the user may see, soonest first. Two queries (count + rows)."""
    events = events_for_user(user).order_by("-starts_at", "-id")
    if state in Label.State.values:
        events = events.filter(label__state=state)
    return Paginator(events, DASHBOARD_PAGE_SIZE).get_page(page)


def event_detail_for_user(user, pk: int, *, action: str = "view") -> Event | None:
    """One event in the user's scope, with everything its back-office page shows."""
    return (
        events_for_user(user, action=action)
        .select_related("region")
        .prefetch_related("audience_rows", "sectors", "trades")
        .filter(pk=pk)
        .first()
    )


def event_for_review(pk: int) -> Event | None:
    """Any event, for the campaign team's review page (the view checks the user is staff)."""
    return (
        Event.objects.select_related(
            "organization", "commune", "department", "region", "label", "label__reviewer"
        )
        .prefetch_related("audience_rows", "sectors", "trades")
        .filter(pk=pk)
        .first()
    )


def label_history(event: Event) -> QuerySet[LabelTransition]:
    """Every state change of the event's label, oldest first, with who made it."""
    return (
        LabelTransition.objects.filter(label__event=event)
        .select_related("actor")
        .order_by("created_at", "id")
    )


def event_outcome_report(event: Event, *, now=None):
    """The event's outcome report with the campaign media figures of the placements that
    promote it: the events × campaigns join lives in analytics, assembled here."""
    from vocations.analytics.event_media import event_media_figures
    from vocations.events.outcome_report import outcome_report

    report = outcome_report(event, now=now)
    report.media = event_media_figures(event.pk)
    return report
