"""The self-service page's changes (name, companions, session) and its downloads (the ticket as
a PDF, the session in a calendar). Thin: the services hold the rules and the French messages.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.loader import render_to_string

from vocations.core.text import single_line
from vocations.events.links import place_line
from vocations.events.models import Registration, Session
from vocations.events.rules import event_has_ended, event_has_started
from vocations.events.services import (
    registration_change_companions,
    registration_change_session,
    registration_rename,
)
from vocations.events.tickets import qr_svg, ticket_payload
from vocations.web import ical
from vocations.web.formatting import event_dates

from . import forms, state

ACTIONS = ("rename", "companions", "session")
WAITLIST_HINT = state.seats_text(0)
SUCCESS = {
    "rename": "Votre nom est corrigé.",
    "companions": "Le nombre d'accompagnants est modifié.",
    "session": "Votre séance est changée. Un e-mail de confirmation vous a été envoyé.",
}


def _session_choice(registration: Registration, raw: str) -> Session | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    session = Session.objects.filter(event=registration.event_id, pk=raw if raw.isdigit() else 0)
    found = session.first()
    if found is None:
        raise ValidationError({"session": "Choisissez une séance de la liste."})
    return found


def apply(request: HttpRequest, registration: Registration, action: str) -> dict | None:
    """Run one change; None when it succeeded (a message is queued), else the errors."""
    try:
        if action == "rename":
            registration_rename(
                registration=registration,
                first_name=forms.text(request.POST, "first_name"),
                last_name=forms.text(request.POST, "last_name"),
            )
        elif action == "companions":
            registration_change_companions(
                registration=registration, companions=forms.text(request.POST, "companions")
            )
        else:
            registration_change_session(
                registration=registration,
                session=_session_choice(registration, forms.text(request.POST, "session")),
            )
    except ValidationError as exc:
        return forms.error_dict(exc)
    messages.success(request, SUCCESS[action])
    return None


def context(registration: Registration, *, action: str, errors: dict, values) -> dict:
    """The forms of the page: each shows what was typed when it is the one that failed."""
    event = registration.event
    open_ = registration.is_active and not event_has_ended(event)
    before_start = registration.is_active and not event_has_started(event)

    def mine(name: str) -> dict:
        return errors if action == name else {}

    name_values = (
        values
        if action == "rename"
        else {"first_name": registration.first_name, "last_name": registration.last_name}
    )
    name_fields = [
        forms.Field(
            name,
            label,
            value=forms.text(name_values, name),
            errors=mine("rename").get(name, []),
            autocomplete=auto,
            maxlength=100,
        )
        for name, label, auto in (
            ("first_name", "Prénom", "given-name"),
            ("last_name", "Nom", "family-name"),
        )
    ]
    result = {
        "can_rename": open_,
        "name_fields": name_fields,
        "name_summary": forms.summary(mine("rename"), name_fields),
    }
    if registration.kind == Registration.Kind.INDIVIDUAL and event.max_companions and before_start:
        value = (
            forms.text(values, "companions")
            if action == "companions"
            else str(registration.companions)
        )
        field = forms.Field(
            "companions",
            "Nombre de personnes qui viennent avec vous",
            value=value,
            errors=mine("companions").get("companions", []),
            inputmode="numeric",
            autocomplete="off",
            maxlength=3,
            help=f"De 0 à {event.max_companions}. Chaque accompagnant occupe une place.",
        )
        result.update(
            companions_field=field, companions_summary=forms.summary(mine("companions"), [field])
        )
    sessions = state.open_sessions(Session.objects.filter(event=event).order_by("starts_at", "id"))
    if sessions and before_start:
        options = state.session_options(
            event, sessions, group=registration.kind == Registration.Kind.GROUP
        )
        chosen = (
            forms.text(values, "session")
            if action == "session"
            else (str(registration.session_id) if registration.session_id else "")
        )
        field = forms.Field(
            "session",
            "Séance",
            kind="radio",
            value=chosen,
            errors=mine("session").get("session", []),
            # Moving never joins a waiting list: a full session is only "Complet" here.
            choices=[
                forms.Choice(o.value, o.label, o.hint.replace(WAITLIST_HINT, "Complet"))
                for o in options
            ],
        )
        if len(field.choices) > 1:
            result.update(
                session_field=field, session_summary=forms.summary(mine("session"), [field])
            )
    return result


# --- downloads -------------------------------------------------------------------------------

FONT_FILES = {"regular": "fonts/DejaVuSans.ttf", "bold": "fonts/DejaVuSans-Bold.ttf"}


def ticket_pdf(registration: Registration) -> bytes:
    """The ticket to print: QR code, short code, event, session, place, name. WeasyPrint
    fetches nothing but the fonts shipped with the project."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fonts = {name: Path(finders.find(path)).as_uri() for name, path in FONT_FILES.items()}
    allowed = set(fonts.values())

    class LocalFontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"ressource refusée dans le PDF : {url}")
            return super().fetch(url, headers)

    event, session = registration.event, registration.session
    html = render_to_string(
        "web/registration/ticket_pdf.html",
        {
            "registration": registration,
            "event": event,
            "session": session,
            "session_when": state.session_when(session) if session else "",
            "dates_text": event_dates(event.starts_at, event.ends_at),
            "place_text": place_line(event),
            "ticket_svg": qr_svg(ticket_payload(registration), scale=6),
        },
    )
    css = render_to_string("web/registration/ticket_pdf.css", {"fonts": fonts})
    fetcher = LocalFontsOnly(allowed_protocols=["file"], fail_on_errors=True)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(string=css, url_fetcher=fetcher)]
    )


def registration_ics(registration: Registration) -> bytes:
    """The registrant's own entry: the session's hours when they have one, else the event's.

    Built from the public event's entry (same place, description, link); it carries no
    personal data nor the self-service link, since calendars are synced and shared."""
    event, session = registration.event, registration.session
    entry = ical.vevent(event)
    if session is not None:
        for key in ("uid", "dtstart", "dtend", "summary"):
            entry.pop(key)
        entry.add("uid", f"session-{session.pk}@vocations")
        entry.add("dtstart", session.starts_at.astimezone(dt.UTC))
        entry.add("dtend", session.ends_at.astimezone(dt.UTC))
        entry.add("summary", single_line(f"{event.title} — {session.title}"))
    return ical.calendar_of([entry], name=event.title)


def download_name(registration: Registration, suffix: str) -> str:
    return f"billet-{registration.event.slug[:80]}.{suffix}"
