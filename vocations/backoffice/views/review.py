"""The campaign team's review queue and review page (staff only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from vocations.backoffice.forms import REVIEW_ACTIONS, ReviewDecisionForm, ReviewQueueFilterForm
from vocations.backoffice.forms.events import add_service_errors
from vocations.backoffice.kit import public_event_path
from vocations.backoffice.selectors import label_history
from vocations.events.models import Label
from vocations.events.selectors import review_queue
from vocations.events.services import (
    label_accept,
    label_conditions,
    label_refuse,
    label_request_changes,
)

from ..gate import REVIEWED_EVENT, STAFF_ONLY, gate
from .common import not_found

# The campaign commits to answer within 4 working days; beyond that a row is overdue.
REVIEW_DEADLINE_WORKING_DAYS = 4

SERVICES = {
    "accept": label_accept,
    "request_changes": label_request_changes,
    "refuse": label_refuse,
}
DONE_MESSAGES = {
    "accept": "« {title} » est labellisé. L'organisateur est prévenu par e-mail.",
    "request_changes": "Modifications demandées pour « {title} ». L'organisateur est prévenu.",
    "refuse": "Label refusé pour « {title} ». L'organisateur est prévenu.",
}


@gate("staff", denied=STAFF_ONLY)
def queue(request: HttpRequest) -> HttpResponse:
    form = ReviewQueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = review_queue(
        region_code=filters.get("region") or None,
        kind=filters.get("kind") or None,
        min_waiting_days=filters.get("min_waiting_days"),
    )
    return render(
        request,
        "backoffice/review_queue.html",
        {
            "page_title": "Revue des demandes de label",
            "form": form,
            "rows": [
                {"event": e, "waited": w, "overdue": w > REVIEW_DEADLINE_WORKING_DAYS}
                for e, w in rows
            ],
            "deadline": REVIEW_DEADLINE_WORKING_DAYS,
        },
    )


def _render_review(request, event, forms=None, status=200) -> HttpResponse:
    forms = forms or {action: ReviewDecisionForm(action=action) for action in REVIEW_ACTIONS}
    return render(
        request,
        "backoffice/review_detail.html",
        {
            "page_title": f"Revue — {event.title}",
            "event": event,
            "conditions": label_conditions(event),
            "history": label_history(event),
            "decision_forms": list(forms.values()),
            "can_decide": event.label.state == Label.State.SUBMITTED,
            "public_path": public_event_path(event),
        },
        status=status,
    )


@gate("review", REVIEWED_EVENT)
def review_detail(request: HttpRequest, event) -> HttpResponse:
    return _render_review(request, event)


@require_POST
@gate("review", REVIEWED_EVENT)
def review_decide(request: HttpRequest, event, action: str) -> HttpResponse:
    if action not in SERVICES:
        return not_found(request, "Action de revue inconnue.")
    forms = {a: ReviewDecisionForm(action=a) for a in REVIEW_ACTIONS}
    form = forms[action] = ReviewDecisionForm(request.POST, action=action)
    if form.is_valid():
        try:
            SERVICES[action](actor=request.user, event=event, message=form.cleaned_data["message"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, DONE_MESSAGES[action].format(title=event.title))
            return redirect("backoffice:review_queue")
    return _render_review(request, event, forms, status=400)
