"""Organizer notices by e-mail: at once, or in one daily digest, as each member chose
(``Membership.notifications``). The rows are written by vocations/events/services/notices.py.

- Immediate: one task per notice, queued after commit; a failure is recorded on the notice
  (``mail_failed_at``) and retried with backoff, like a registrant's mail.
- Daily: a Celery beat task (``queue_notice_digests``) queues, each morning, one task per member
  for the notices of the day before (Paris time). A ``NoticeDigest`` row per member and day,
  locked while sending and stamped ``sent_at``, makes the digest go out once, however many
  times the task runs (beat twice, a retry, a worker restart).
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from vocations.accounts.models import Membership, User
from vocations.core.text import single_line
from vocations.events.models import NoticeDigest, OrganizerNotice

logger = logging.getLogger(__name__)
MAIL_RETRIES = 5
Mode = Membership.Notifications


def _members(organization_ids, mode: str):
    return Membership.objects.filter(
        organization_id__in=organization_ids, notifications=mode, user__is_active=True
    )


def _link(notice: OrganizerNotice) -> str:
    page = "presse/" if notice.kind == OrganizerNotice.Kind.PRESS else "inscriptions/"
    return f"{settings.SITE_URL}/organisateur/evenements/{notice.event_id}/{page}"


def _send(*, to: str, subject: str, context: dict) -> int:
    context = {**context, "settings_url": f"{settings.SITE_URL}/organisateur/avis/"}
    message = EmailMultiAlternatives(
        single_line(subject), render_to_string("events/emails/notices.txt", context), to=[to]
    )
    message.attach_alternative(render_to_string("events/emails/notices.html", context), "text/html")
    return message.send()


def organizer_notice_send(*, notice_id: int) -> int:
    """Mail one notice to each member who wants notices at once. Returns mails sent."""
    notice = OrganizerNotice.objects.select_related("event").filter(pk=notice_id).first()
    if notice is None:
        return 0
    emails = sorted(
        set(
            _members([notice.organization_id], Mode.IMMEDIATE).values_list("user__email", flat=True)
        )
    )
    items = [{"notice": notice, "link": _link(notice)}]
    sent = 0
    for email in emails:
        sent += _send(
            to=email,
            subject=f"{notice.text[:120]} — {notice.event.title}",
            context={"items": items, "digest_day": None},
        )
    return sent


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _day_notices(user_id: int, day: dt.date):
    start, end = _day_bounds(day)
    organizations = Membership.objects.filter(user_id=user_id, notifications=Mode.DAILY).values(
        "organization_id"
    )
    return (
        OrganizerNotice.objects.filter(
            organization_id__in=organizations,
            created_at__gte=start,
            created_at__lt=end,
        )
        .select_related("event")
        .order_by("event__starts_at", "event_id", "created_at", "id")
    )


def notice_digest_send(*, user_id: int, day: dt.date) -> int:
    """One member's digest for ``day``; sends nothing if it already went out or is empty."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    notices = list(_day_notices(user_id, day))
    if not notices:
        return 0
    digest, _ = NoticeDigest.objects.get_or_create(user_id=user_id, day=day)
    with transaction.atomic():
        # Locked while sending: a second run waits, then finds it sent.
        digest = NoticeDigest.objects.select_for_update().get(pk=digest.pk)
        if digest.sent_at is not None:
            return 0
        sent = _send(
            to=user.email,
            subject=f"Résumé du {day.day:d}/{day.month:02d} : {len(notices)} "
            f"avis sur vos événements",
            context={
                "items": [{"notice": n, "link": _link(n)} for n in notices],
                "digest_day": day,
            },
        )
        digest.sent_at, digest.notices, digest.mail_failed_at = timezone.now(), len(notices), None
        digest.save(update_fields=["sent_at", "notices", "mail_failed_at"])
    return sent


def digest_recipients(day: dt.date) -> list[int]:
    """Members on the daily digest whose organizations had notices that day."""
    start, end = _day_bounds(day)
    organizations = OrganizerNotice.objects.filter(
        created_at__gte=start, created_at__lt=end
    ).values("organization_id")
    return sorted(set(_members(organizations, Mode.DAILY).values_list("user_id", flat=True)))


# --- tasks -------------------------------------------------------------------------------------


@shared_task(
    name="vocations.events.tasks.send_organizer_notice", bind=True, max_retries=MAIL_RETRIES
)
def send_organizer_notice(self, notice_id: int) -> int:
    try:
        sent = organizer_notice_send(notice_id=notice_id)
    except Exception as exc:
        OrganizerNotice.objects.filter(pk=notice_id).update(mail_failed_at=timezone.now())
        if self.request.is_eager or self.request.retries >= self.max_retries:
            logger.exception("Organizer notice %s failed", notice_id)
            return 0
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc
    OrganizerNotice.objects.filter(pk=notice_id, mail_failed_at__isnull=False).update(
        mail_failed_at=None
    )
    return sent


def queue_organizer_notice(notice_id: int) -> None:
    def enqueue() -> None:
        try:
            send_organizer_notice.delay(notice_id)
        except Exception:
            logger.exception("Organizer notice %s not queued", notice_id)
            OrganizerNotice.objects.filter(pk=notice_id).update(mail_failed_at=timezone.now())

    transaction.on_commit(enqueue)


@shared_task(name="vocations.events.tasks.send_notice_digest", bind=True, max_retries=MAIL_RETRIES)
def send_notice_digest(self, user_id: int, day: str) -> int:
    the_day = dt.date.fromisoformat(day)
    try:
        return notice_digest_send(user_id=user_id, day=the_day)
    except Exception as exc:
        NoticeDigest.objects.filter(user_id=user_id, day=the_day).update(
            mail_failed_at=timezone.now()
        )
        if self.request.is_eager or self.request.retries >= self.max_retries:
            logger.exception("Notice digest for %s on %s failed", user_id, day)
            return 0
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


@shared_task(name="vocations.events.tasks.queue_notice_digests")
def queue_notice_digests(day: str | None = None) -> int:
    """Celery beat, each morning: yesterday's digests (or ``day``'s), one task per member."""
    the_day = dt.date.fromisoformat(day) if day else timezone.localdate() - dt.timedelta(days=1)
    users = digest_recipients(the_day)
    for user_id in users:
        send_notice_digest.delay(user_id, the_day.isoformat())
    return len(users)
