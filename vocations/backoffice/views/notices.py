"""« Avis par e-mail »: each member chooses, per organization, how they hear of new
registrations, waiting-list moves and press requests (vocations/events/notices.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from vocations.accounts.models import Membership
from vocations.accounts.services import memberships_notifications_set

from ..gate import OWN_MEMBERSHIPS, gate


@require_http_methods(["GET", "HEAD", "POST"])
@gate("change", OWN_MEMBERSHIPS)
def notice_settings(request: HttpRequest, memberships) -> HttpResponse:
    errors: dict[int, str] = {}
    if request.method == "POST":
        chosen = {m.pk: request.POST.get(f"m{m.pk}", "") for m in memberships}
        try:
            # All the choices or none: a wrong one (or a failing write) keeps every row as it was.
            memberships_notifications_set(actor=request.user, choices=chosen)
        except ValidationError as exc:
            errors = {int(pk): messages_[0] for pk, messages_ in exc.message_dict.items()}
        else:
            messages.success(request, "Vos choix d'avis par e-mail sont enregistrés.")
            return redirect("backoffice:notice_settings")
        for membership in memberships:
            membership.notifications = chosen[membership.pk]
    rows = [{"membership": m, "error": errors.get(m.pk, "")} for m in memberships]
    context = {
        "page_title": "Avis par e-mail",
        "rows": rows,
        "choices": Membership.Notifications.choices,
    }
    return render(request, "backoffice/notices.html", context, status=422 if errors else 200)
