"""What the event page and the form page say before anyone submits: open or closed, seats,
which sessions can be chosen, and the links to the registration pages.

Display only: the registration service checks every rule again when the form is sent; both
ask the same functions (vocations/events/rules.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

# The analytics app carries the visit key (docs/analytics.md, "Wiring").
from vocations.analytics.carry import with_visit_key
from vocations.analytics.privacy import valid_visit_key
from vocations.events.models import Event, Session
from vocations.events.rules import registration_closed_reason
from vocations.events.selectors import seats_left
from vocations.web.formatting import french_date, french_time, places_left_text

GROUP_TYPE = "groupe"


def open_sessions(sessions, now=None) -> list[Session]:
    now = now or timezone.now()
    return sorted((s for s in sessions if s.ends_at > now), key=lambda s: (s.starts_at, s.pk))


def takes_groups(event: Event, sessions: list[Session]) -> bool:
    return event.accepts_groups or any(s.school_groups_only for s in sessions)


def seats_text(left: int | None) -> str:
    """« 12 places restantes », « Complet : liste d'attente », or "" when unlimited."""
    if left is not None and left <= 0:
        return "Complet : inscription sur liste d'attente"
    return places_left_text(left)


def seats_by_pool(event: Event, sessions: list[Session]) -> dict[str, int | None]:
    """Seats left per pool, keyed like the form's session radio ("" for the event itself)."""
    pools: dict[str, int | None] = {"": seats_left(event)}
    for session in sessions:
        pools[str(session.pk)] = seats_left(event, session)
    return pools


def session_when(session: Session) -> str:
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return f"{french_date(start.date())}, {french_time(start)} – {french_time(end)}"


def session_flags(session: Session) -> list[str]:
    flags = []
    if session.school_groups_only:
        flags.append("Réservé aux groupes scolaires")
    if session.invitation_only:
        flags.append("Sur invitation")
    return flags


@dataclass
class SessionOption:
    session: Session | None
    label: str
    hint: str

    @property
    def value(self) -> str:
        return str(self.session.pk) if self.session is not None else ""


def session_options(event: Event, sessions: list[Session], *, group: bool) -> list[SessionOption]:
    """The pools a person (or a group) may choose: the event itself, then its sessions.

    School-only sessions are offered to groups only; invitation-only ones are listed as such
    (the service refuses an address that was not invited)."""
    options = [
        SessionOption(None, "L'événement (sans séance précise)", seats_text(seats_left(event)))
    ]
    for session in sessions:
        if session.school_groups_only and not group:
            continue
        hint = " · ".join(session_flags(session) + [seats_text(seats_left(event, session))])
        options.append(
            SessionOption(session, f"{session.title} — {session_when(session)}", hint.strip(" ·"))
        )
    return options


def form_url(event: Event, *, group: bool = False, session: Session | None = None, visit_key=""):
    params = {}
    if group:
        params["type"] = GROUP_TYPE
    if session is not None:
        params["seance"] = session.pk
    url = reverse("web:registration_form", kwargs={"slug": event.slug})
    if params:
        url += "?" + urlencode(params)
    return with_visit_key(url, visit_key)


def event_calls_to_action(
    event: Event, sessions, *, visit_key: str = "", has_group_sessions: bool = False
) -> dict:
    """The event page's "S'inscrire" box: links (carrying the visit key) and what to say.

    ``has_group_sessions``: the event has open school-group sessions that were not loaded
    (an ordinary event's page reads only that fact, not its sessions)."""
    sessions = open_sessions(sessions)
    reason = registration_closed_reason(event)
    key = valid_visit_key(visit_key)
    left = seats_left(event)
    session_links = {
        s.pk: {
            "url": form_url(event, group=s.school_groups_only, session=s, visit_key=key),
            "label": "Inscrire une classe" if s.school_groups_only else "S'inscrire",
            "seats": seats_text(seats_left(event, s)),
        }
        for s in sessions
    }
    return {
        "closed_reason": reason,
        "individual_url": form_url(event, visit_key=key),
        "group_url": form_url(event, group=True, visit_key=key)
        if has_group_sessions or takes_groups(event, sessions)
        else "",
        "full": left is not None and left <= 0,
        "press_url": with_visit_key(reverse("web:press_request", kwargs={"slug": event.slug}), key)
        if event.kind == Event.Kind.FLAGSHIP
        else "",
        "session_links": session_links if not reason else {},
    }
