"""The page a waiting-list offer's e-mail links to: see the offer, confirm it in one click.

The GET shows the offer and one button; only the POST confirms. A link opened by a mail
scanner or a preview therefore never takes the seat on someone's behalf. Expired, already
used, cancelled or forged links get a French page, never a 500 (docs/registration.md).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from vocations.events.links import place_line
from vocations.events.offer_links import verify_offer_token
from vocations.events.services import OfferError, waitlist_offer_accept
from vocations.events.services.waitlist import offer_refusal
from vocations.events.tickets import TicketError, self_service_token
from vocations.web.formatting import event_dates, french_date, french_time

from .views import _TOKEN_LIMIT, _private

TITLES = {
    "used": "Place déjà confirmée",
    "expired": "Proposition expirée",
    "cancelled": "Proposition annulée",
}


def _error(request: HttpRequest, title: str, message: str, status: int, token: str = ""):
    context = {"page_title": title, "message": message}
    if token:
        context["self_service_url"] = reverse("web:self_service", kwargs={"token": token})
    return _private(render(request, "web/registration/link_error.html", context, status=status))


@never_cache
@_TOKEN_LIMIT
@require_http_methods(["GET", "HEAD", "POST"])
def waitlist_offer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        registration = verify_offer_token(token)
    except TicketError as exc:
        return _error(request, "Lien non valide", exc.messages[0], 403)
    self_token = self_service_token(registration)
    if request.method == "POST":
        try:
            waitlist_offer_accept(registration=registration)
        except OfferError as exc:
            return _error(request, TITLES[exc.reason], exc.messages[0], 410, self_token)
        return redirect("web:registration_done", token=self_token)
    refusal = offer_refusal(registration)
    if refusal is not None:
        # Said before anyone clicks: the service would refuse for the same reason.
        return _error(request, TITLES[refusal[0]], refusal[1], 410, self_token)
    event, session = registration.event, registration.session
    deadline = timezone.localtime(registration.offer_expires_at)
    context = {
        "page_title": "Une place vous est proposée",
        "registration": registration,
        "event": event,
        "session": session,
        "dates_text": event_dates(event.starts_at, event.ends_at),
        "place_text": place_line(event),
        "deadline_text": f"{french_date(deadline.date())} à {french_time(deadline)}",
        "self_service_url": reverse("web:self_service", kwargs={"token": self_token}),
    }
    return _private(render(request, "web/registration/offer.html", context))
