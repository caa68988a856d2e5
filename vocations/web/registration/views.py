"""Registration pages: form, confirmation, self-service (see, resize, cancel, ticket), press.

None of these pages is cached (they hold a CSRF token or a personal link), all are thin:
the services in vocations.events.services hold the rules and the French messages.
"""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from vocations.analytics.registrations import registration_create_from_visit
from vocations.core.ratelimit import Limit, check, hit, rate_limited, too_many_page
from vocations.events.links import place_line
from vocations.events.mails import queue_registration_email
from vocations.events.models import Event, Registration, Session
from vocations.events.offer_links import OFFER_PATH, offer_token
from vocations.events.registration_selectors import seats_kept_for, waitlist_position
from vocations.events.rules import event_has_ended, event_has_started, registration_closed_reason
from vocations.events.selectors import public_events, seats_left
from vocations.events.services import (
    DuplicateRegistrationError,
    NotEnoughSeatsError,
    accreditation_request,
    is_erased,
    registration_cancel,
    registration_change_group,
    registration_erase,
    registration_personal_data,
)
from vocations.events.tickets import (
    TicketError,
    qr_png,
    qr_svg,
    self_service_token,
    ticket_payload,
    verify_self_service_token,
)
from vocations.territories.models import Department
from vocations.web.formatting import event_dates

from . import forms, guard, state
from . import self_service as changes

DUPLICATE_MESSAGE = (
    "Une inscription existe déjà pour cette adresse : retrouvez-la grâce au lien reçu par e-mail."
)
KEY_REUSED_MESSAGE = (
    "Ce formulaire a déjà servi pour une inscription. Vérifiez les informations puis validez "
    "de nouveau pour en faire une autre."
)
# At most one re-sent confirmation per registration in this window: the form must not become
# a way to flood someone's mailbox by typing their address again and again.
RESEND_SECONDS = 600
RESEND_KEY = "vocations:registration-resend:{}"

# Token pages (confirmation, self-service, tickets): any method counts, guessing is reading.
_TOKEN_LIMIT = rate_limited(Limit("token-ip"), methods=("GET", "HEAD", "POST"))


def _private(response: HttpResponse) -> HttpResponse:
    """Personal pages: out of search engines; the link never leaks to another site in a Referer
    (same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on our own
    POST forms and the CSRF check refuses them)."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _public_event(slug: str) -> Event:
    event = (
        public_events()
        .select_related("organization", "commune", "department")
        .filter(slug=slug)
        .first()
    )
    if event is None:
        raise Http404("Événement introuvable.")
    return event


def _visit_key(request: HttpRequest) -> str:
    return state.valid_visit_key(request.POST.get("visit_key") or request.GET.get("v"))


def _resend_confirmation(registration: Registration) -> None:
    """Send the registration's mail again to its own address (never shown on the page)."""
    kind = {
        Registration.Status.CONFIRMED: "confirmed",
        Registration.Status.WAITLISTED: "waitlisted",
    }.get(registration.status)
    if kind is None or not cache.add(RESEND_KEY.format(registration.pk), 1, RESEND_SECONDS):
        return
    queue_registration_email(registration.pk, kind)


def _selected_session(raw: str, sessions: list[Session]) -> tuple[Session | None, str]:
    """The session the form names: (None, "") for the event itself; an error for a stranger."""
    raw = (raw or "").strip()
    if not raw:
        return None, ""
    for session in sessions:
        if str(session.pk) == raw:
            return session, ""
    return None, "Choisissez une séance de la liste."


def _session_field(options, value: str, errors) -> forms.Field | None:
    if len(options) < 2:
        return None
    return forms.Field(
        "session",
        "Séance",
        kind="radio",
        value=value,
        errors=errors.get("session", []),
        choices=[forms.Choice(o.value, o.label, o.hint) for o in options],
    )


def _form_scope(request: HttpRequest) -> str:
    """Whose form this is: bound to the browser's CSRF secret, which only that browser holds.

    A POST without the CSRF cookie never reaches the view outside tests (CsrfViewMiddleware
    refuses it), so the fallback only serves the test client.
    """
    secret = request.META.get("CSRF_COOKIE") or ""
    return "web:" + (salted_hmac("registration-form", secret).hexdigest() if secret else "")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def registration_form(request: HttpRequest, slug: str) -> HttpResponse:
    event = _public_event(slug)
    values = request.POST if request.method == "POST" else request.GET
    kind_asked = (
        forms.text(values, "kind") if request.method == "POST" else forms.text(values, "type")
    )
    group = kind_asked in (forms.GROUP, state.GROUP_TYPE)
    selected = forms.text(values, "session") or forms.text(values, "seance")
    # A POST for the event itself needs no session: read them only to choose one or to show
    # the page (one query less per attempt in a registration rush).
    all_sessions = (
        []
        if request.method == "POST" and not selected
        else list(Session.objects.filter(event=event).order_by("starts_at", "id"))
    )
    errors: dict[str, list[str]] = {}
    key = forms.text(request.POST, "idempotency_key") or uuid.uuid4().hex
    seats_short = None

    if request.method == "POST":
        kind = forms.GROUP if group else forms.INDIVIDUAL
        session, session_error = _selected_session(selected, all_sessions)
        wait = check(request, [Limit("registration-ip")])
        if wait is not None:
            return _private(too_many_page(request, wait))
        email = forms.text(request.POST, "email").strip().lower()[:254]
        bot = guard.bot_error(request.POST)
        if bot:
            errors[NON_FIELD_ERRORS] = [bot]
        elif session_error:
            errors["session"] = [session_error]
        elif (wait := hit(request, "registration-email", f"{event.pk}:{email}")) is not None:
            return _private(too_many_page(request, wait))
        else:
            try:
                # Registers, then credits the tracked-link visit (docs/analytics.md).
                registration = registration_create_from_visit(
                    event=event,
                    session=session,
                    data=forms.registration_data(request.POST, kind),
                    idempotency_key=key,
                    idempotency_scope=_form_scope(request),
                    visit_key=_visit_key(request),
                )
            except DuplicateRegistrationError as exc:
                _resend_confirmation(exc.registration)
                errors = {"email": [DUPLICATE_MESSAGE]}
            except NotEnoughSeatsError as exc:
                # Nothing written: the page offers the two choices (reduce, or wait for all).
                errors = forms.error_dict(exc)
                seats_short = {"left": exc.seats_left, "asked": exc.seats_asked}
            except ValidationError as exc:
                errors = forms.error_dict(exc)
                if "idempotency_key" in errors:
                    # Back button then a new person's details: a fresh key, and a word about it.
                    errors.pop("idempotency_key")
                    errors.setdefault(NON_FIELD_ERRORS, []).append(KEY_REUSED_MESSAGE)
                    key = uuid.uuid4().hex
            else:
                token = self_service_token(registration)
                return redirect("web:registration_done", token=token)

    if request.method == "POST" and not selected:
        all_sessions = list(Session.objects.filter(event=event).order_by("starts_at", "id"))
    sessions = state.open_sessions(all_sessions)
    groups_allowed = state.takes_groups(event, sessions)
    if group and not groups_allowed:
        group = False
        if request.method != "POST":
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                "Cet événement n'accepte pas les inscriptions de groupe."
            )
    departments = list(Department.objects.order_by("code").only("code", "name")) if group else []
    if group:
        sections = forms.group_sections(
            values, errors, departments=departments, max_group_size=event.max_group_size
        )
    else:
        sections = forms.individual_sections(values, errors)
    options = state.session_options(event, sessions, group=group)
    session_field = _session_field(options, selected, errors)
    sections.append(forms.consent_section(values, errors))
    fields = [f for s in sections for f in s.fields]
    if session_field is not None:
        fields.insert(0, session_field)
    left = seats_left(event)
    visit_key = _visit_key(request)
    context = {
        "page_title": f"Inscription : {event.title}",
        "event": event,
        "dates_text": event_dates(event.starts_at, event.ends_at),
        "place_text": place_line(event),
        "group": group,
        "groups_allowed": groups_allowed,
        "kind_value": forms.GROUP if group else forms.INDIVIDUAL,
        "individual_url": state.form_url(event, visit_key=visit_key),
        "group_url": state.form_url(event, group=True, visit_key=visit_key),
        "closed_reason": registration_closed_reason(event),
        "event_full": left is not None and left <= 0 and session_field is None,
        "seats_text": state.seats_text(left),
        "session_field": session_field,
        "sections": sections,
        "seats_short": seats_short,
        # For the static script that shows the seats left as the group's size is typed.
        "seats_by_pool": json.dumps(state.seats_by_pool(event, sessions)) if group else "",
        "offer_hours": event.waitlist_offer_hours,
        "summary": forms.summary(errors, fields),
        "idempotency_key": key,
        "form_started": guard.form_started_value(),
        "visit_key": visit_key,
        "event_url": state.with_visit_key(
            reverse("web:event_detail", kwargs={"slug": event.slug}), visit_key
        ),
    }
    status = 422 if errors and request.method == "POST" else 200
    return _private(render(request, "web/registration/form.html", context, status=status))


ERASED_MESSAGE = "Les données de cette inscription ont été effacées à votre demande."


def _registration_or_error(request: HttpRequest, token: str) -> Registration | HttpResponse:
    try:
        registration = verify_self_service_token(token)
    except TicketError as exc:
        response = render(
            request,
            "web/registration/link_error.html",
            {"page_title": "Lien non valide", "message": exc.messages[0]},
            status=403,
        )
        return _private(response)
    if is_erased(registration):
        response = render(
            request,
            "web/registration/link_error.html",
            {"page_title": "Données effacées", "message": ERASED_MESSAGE},
            status=410,
        )
        return _private(response)
    return registration


def _registration_context(registration: Registration, token: str) -> dict:
    event, session = registration.event, registration.session
    confirmed = registration.status == Registration.Status.CONFIRMED
    return {
        "registration": registration,
        "event": event,
        "session": session,
        "session_when": state.session_when(session) if session else "",
        "dates_text": event_dates(event.starts_at, event.ends_at),
        "place_text": place_line(event),
        "position": waitlist_position(registration),
        # The waiting list's truth: seats kept for this group, or a pending offer's page.
        "kept_seats": seats_kept_for(registration),
        "offer_hours": event.waitlist_offer_hours,
        "offer_path": (
            OFFER_PATH.format(token=offer_token(registration))
            if registration.has_pending_offer
            else ""
        ),
        "ticket_svg": qr_svg(ticket_payload(registration)) if confirmed else "",
        "token": token,
        "event_url": reverse("web:event_detail", kwargs={"slug": event.slug}),
    }


@never_cache
@_TOKEN_LIMIT
@require_safe
def registration_done(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_error(request, token)
    if isinstance(registration, HttpResponse):
        return registration
    context = _registration_context(registration, token)
    context["page_title"] = "Inscription enregistrée"
    return _private(render(request, "web/registration/done.html", context))


@never_cache
@_TOKEN_LIMIT
@require_http_methods(["GET", "HEAD", "POST"])
def self_service(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_error(request, token)
    if isinstance(registration, HttpResponse):
        return registration
    errors: dict[str, list[str]] = {}
    action = forms.text(request.POST, "action")
    here = reverse("web:self_service", kwargs={"token": token})
    if request.method == "POST" and action == "cancel":
        try:
            registration_cancel(registration=registration)
        except ValidationError as exc:
            errors = forms.error_dict(exc)
        else:
            messages.success(
                request,
                "Votre inscription est annulée. Un e-mail de confirmation vous a été envoyé.",
            )
            return redirect(here)
    elif request.method == "POST" and action == "change":
        try:
            registration_change_group(
                registration=registration,
                pupils=forms.text(request.POST, "pupils"),
                adults=forms.text(request.POST, "adults"),
            )
        except ValidationError as exc:
            errors = forms.error_dict(exc)
        else:
            messages.success(request, "L'effectif du groupe est modifié.")
            return redirect(here)
    elif request.method == "POST" and action in changes.ACTIONS:
        errors = changes.apply(request, registration, action) or {}
        if not errors:
            return redirect(here)
        registration.refresh_from_db()
    elif request.method == "POST" and action == "erase":
        registration_erase(registration=registration)
        response = render(
            request,
            "web/registration/link_error.html",
            {
                "page_title": "Données effacées",
                "message": ERASED_MESSAGE
                + " Votre inscription est annulée si elle pouvait l'être ; aucun e-mail ne "
                "vous sera plus envoyé pour elle.",
            },
        )
        return _private(response)
    elif request.method == "POST":
        errors = {NON_FIELD_ERRORS: ["Action inconnue."]}
    context = _registration_context(registration, token)
    values = (
        request.POST
        if action == "change"
        else {"pupils": str(registration.pupils or ""), "adults": str(registration.adults)}
    )
    size_fields = forms.group_size_fields(values, errors)
    session = registration.session
    context.update(
        page_title="Mon inscription",
        confirm_cancel="annuler" in request.GET and registration.is_active,
        cancel_url=here + "?annuler=1#annulation",
        confirm_erase="effacer" in request.GET,
        erase_url=here + "?effacer=1#effacement",
        data_url=reverse("web:self_service_data", kwargs={"token": token}),
        can_change=(
            registration.kind == Registration.Kind.GROUP
            and registration.is_active
            and not event_has_started(registration.event)
        ),
        can_cancel=registration.is_active and not event_has_ended(registration.event),
        size_fields=size_fields,
        seats_left=seats_left(registration.event, session),
        # The changes below the ticket show their errors in their own section.
        summary=forms.summary({} if action in changes.ACTIONS else errors, size_fields),
        action=action,
        pdf_url=reverse("web:self_service_ticket_pdf", kwargs={"token": token}),
        ics_url=reverse("web:self_service_ics", kwargs={"token": token}),
        **changes.context(registration, action=action, errors=errors, values=request.POST),
    )
    status = 200 if not errors else 422
    return _private(render(request, "web/registration/self_service.html", context, status=status))


@never_cache
@_TOKEN_LIMIT
@require_safe
def self_service_data(request: HttpRequest, token: str) -> HttpResponse:
    """ "Télécharger mes données": a JSON copy of what is stored (docs/privacy.md)."""
    registration = _registration_or_error(request, token)
    if isinstance(registration, HttpResponse):
        return registration
    response = JsonResponse(
        registration_personal_data(registration), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = f'attachment; filename="mes-donnees-{registration.pk}.json"'
    return _private(response)


def _ticket(request: HttpRequest, token: str) -> Registration | HttpResponse:
    registration = _registration_or_error(request, token)
    if isinstance(registration, HttpResponse):
        return registration
    if registration.status != Registration.Status.CONFIRMED:
        response = render(
            request,
            "web/registration/link_error.html",
            {
                "page_title": "Billet indisponible",
                "message": "Le billet n'existe que pour une inscription confirmée.",
                "self_service_url": reverse("web:self_service", kwargs={"token": token}),
            },
            status=404,
        )
        return _private(response)
    return registration


@never_cache
@_TOKEN_LIMIT
@require_safe
def self_service_ticket_png(request: HttpRequest, token: str) -> HttpResponse:
    registration = _ticket(request, token)
    if isinstance(registration, HttpResponse):
        return registration
    response = HttpResponse(qr_png(ticket_payload(registration)), content_type="image/png")
    name = f"billet-{registration.event.slug}"[:80]
    response["Content-Disposition"] = f'attachment; filename="{name}.png"'
    return _private(response)


@never_cache
@_TOKEN_LIMIT
@require_safe
def self_service_ticket_svg(request: HttpRequest, token: str) -> HttpResponse:
    registration = _ticket(request, token)
    if isinstance(registration, HttpResponse):
        return registration
    response = HttpResponse(qr_svg(ticket_payload(registration)), content_type="image/svg+xml")
    return _private(response)


@never_cache
@_TOKEN_LIMIT
@require_safe
def self_service_ticket_pdf(request: HttpRequest, token: str) -> HttpResponse:
    registration = _ticket(request, token)
    if isinstance(registration, HttpResponse):
        return registration
    response = HttpResponse(changes.ticket_pdf(registration), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{changes.download_name(registration, "pdf")}"'
    )
    return _private(response)


@never_cache
@_TOKEN_LIMIT
@require_safe
def self_service_ics(request: HttpRequest, token: str) -> HttpResponse:
    """« Ajouter à mon agenda »: the registrant's session (or the event) as an .ics file."""
    registration = _registration_or_error(request, token)
    if isinstance(registration, HttpResponse):
        return registration
    if not registration.is_active:
        raise Http404("Inscription annulée.")
    response = HttpResponse(
        changes.registration_ics(registration), content_type="text/calendar; charset=utf-8"
    )
    name = f"{registration.event.slug[:80]}.ics"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _private(response)


@never_cache
@rate_limited(Limit("press-ip"))
@require_http_methods(["GET", "HEAD", "POST"])
def press_request(request: HttpRequest, slug: str) -> HttpResponse:
    event = _public_event(slug)
    errors: dict[str, list[str]] = {}
    bot = guard.bot_error(request.POST) if request.method == "POST" else ""
    if bot:
        errors[NON_FIELD_ERRORS] = [bot]
    elif request.method == "POST":
        try:
            accreditation_request(
                event=event,
                **{
                    name: forms.text(request.POST, name)
                    for name in (
                        "full_name",
                        "email",
                        "outlet",
                        "role",
                        "phone",
                        "press_card_number",
                    )
                },  # fmt: skip
            )
        except ValidationError as exc:
            errors = forms.error_dict(exc)
        else:
            url = reverse("web:press_request", kwargs={"slug": event.slug})
            return redirect(url + "?demande=envoyee")
    fields = forms.press_fields(request.POST, errors)
    context = {
        "page_title": f"Accréditation presse : {event.title}",
        "event": event,
        "dates_text": event_dates(event.starts_at, event.ends_at),
        "place_text": place_line(event),
        "sent": request.method != "POST" and request.GET.get("demande") == "envoyee",
        "fields": fields,
        "summary": forms.summary(errors, fields),
        "form_started": guard.form_started_value(),
        "ended": event_has_ended(event),
    }
    status = 200 if not errors else 422
    return _private(render(request, "web/registration/press.html", context, status=status))
