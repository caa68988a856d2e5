"""Registrations: individuals and school groups, under capacity, with a waiting list.

A registration holds ``seats`` in one pool: the event itself (``session`` is null) or one of
its sessions. Confirmed seats are mirrored in ``seats_confirmed`` on the Event or Session row,
changed only by vocations.events.services.registrations under that row's lock.
No pupil names are ever stored: a group is a count of pupils and accompanying adults.
"""

from __future__ import annotations

import secrets

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

from vocations.core.models import TimeStampedModel

UAI_REGEX = r"^\d{7}[A-Za-z]$"
uai_validator = RegexValidator(
    UAI_REGEX,
    "Le code UAI doit comporter 7 chiffres suivis d'une lettre (ex. 0691234A).",
)


def new_ticket_code() -> str:
    # 18 random bytes = 144 bits, 24 url-safe characters: unguessable and short enough for a QR.
    return secrets.token_urlsafe(18)


# The short code read aloud or typed at the door: no 0/O, 1/I/L, which are mistaken for each
# other. 31^8 ≈ 8.5e11 codes; unique per event (the QR, signed, stays the proof of a ticket).
SHORT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SHORT_CODE_LENGTH = 8


def new_short_code() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def format_short_code(code: str) -> str:
    """« K7PX-M3QD »: two groups of four, easier to read out."""
    return f"{code[:4]}-{code[4:]}" if len(code) == SHORT_CODE_LENGTH else code


class Registration(TimeStampedModel):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "Individuelle"
        GROUP = "group", "Groupe"

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmée"
        WAITLISTED = "waitlisted", "En liste d'attente"
        CANCELLED = "cancelled", "Annulée"

    class Audience(models.TextChoices):
        # The site's audience vocabulary, as a registrant can state it, plus "other".
        YOUNG_PEOPLE = "young_people", "Jeune"
        PARENTS = "parents", "Parent"
        JOB_SEEKERS = "job_seekers", "Demandeur ou demandeuse d'emploi"
        CAREER_CHANGERS = "career_changers", "Personne en reconversion"
        ADVISERS = "advisers", "Enseignant, conseiller ou prescripteur"
        OTHER = "other", "Autre"

    class AgeBracket(models.TextChoices):
        UNDER_15 = "under_15", "Moins de 15 ans"
        FROM_15_TO_17 = "15_17", "15 à 17 ans"
        FROM_18_TO_25 = "18_25", "18 à 25 ans"
        FROM_26 = "26_plus", "26 ans et plus"

    class ClassLevel(models.TextChoices):
        SIXIEME = "6e", "Collège — 6e"
        CINQUIEME = "5e", "Collège — 5e"
        QUATRIEME = "4e", "Collège — 4e"
        TROISIEME = "3e", "Collège — 3e"
        SECONDE = "2de", "Lycée — seconde"
        PREMIERE = "1re", "Lycée — première"
        TERMINALE = "tle", "Lycée — terminale"
        CAP = "cap", "CAP"
        BTS = "bts", "BTS"
        BUT = "but", "BUT"
        LICENCE = "licence", "Licence"
        OTHER = "other", "Autre"

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="registrations"
    )
    session = models.ForeignKey(
        "events.Session",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    # session_id, or 0 for the event itself: a non-null key so the one-e-mail rule below also
    # holds for event-level registrations (NULLs never collide in a unique index).
    scope = models.PositiveBigIntegerField(default=0, editable=False)
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    status = models.CharField("statut", max_length=10, choices=Status.choices, db_index=True)
    seats = models.PositiveIntegerField("places")

    # The person registering, or the group's contact (teacher, trainer).
    email = models.EmailField("adresse e-mail")
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    audience = models.CharField("public", max_length=20, choices=Audience.choices, blank=True)
    age_bracket = models.CharField(
        "tranche d'âge", max_length=10, choices=AgeBracket.choices, blank=True
    )
    consent_at = models.DateTimeField("consentement donné le")
    # French law (loi Informatique et libertés, art. 45): under 15, a parent must consent too.
    parental_consent = models.BooleanField("accord d'un parent", default=False)

    school_name = models.CharField("établissement", max_length=200, blank=True)
    uai = models.CharField("code UAI", max_length=8, blank=True, validators=[uai_validator])
    class_level = models.CharField(
        "niveau de la classe", max_length=10, choices=ClassLevel.choices, blank=True
    )
    pupils = models.PositiveIntegerField("élèves", null=True, blank=True)
    adults = models.PositiveIntegerField("accompagnateurs", default=0)
    origin_department = models.ForeignKey(
        "territories.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="département d'origine",
    )

    ticket_code = models.CharField(max_length=32, unique=True, default=new_ticket_code)
    short_code = models.CharField(
        "code court du billet", max_length=SHORT_CODE_LENGTH, default=new_short_code
    )
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    # A seat offered from the waiting list (events with waitlist_offer_hours): held for this
    # registration until offer_expires_at; pending while the status is still "waitlisted".
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # People actually present, filled at check-in (for a group: pupils + adults present).
    attended = models.PositiveIntegerField("présents", null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # The last registration mail that could not be sent (kind: confirmed, cancelled…), shown
    # to the organizer until a send succeeds (vocations/events/mails.py).
    mail_failed_kind = models.CharField(max_length=12, blank=True, default="")
    mail_failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "inscription"
        indexes = [
            # The waiting list of one pool, in order.
            models.Index(
                fields=["event", "scope", "status", "waitlisted_at", "id"],
                name="registration_pool_status",
            ),
            models.Index(fields=["event", "email"], name="registration_event_email"),
            # The expiry task's look-up of pending offers.
            models.Index(
                fields=["offer_expires_at"],
                condition=Q(status="waitlisted", offer_expires_at__isnull=False),
                name="registration_pending_offer",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "scope", "email"],
                condition=Q(kind="individual") & ~Q(status="cancelled"),
                name="uniq_active_individual_email",
            ),
            models.UniqueConstraint(
                fields=["event", "idempotency_key"], name="uniq_registration_idempotency_key"
            ),
            models.UniqueConstraint(
                fields=["event", "short_code"], name="uniq_registration_short_code"
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="registration_seats_positive"),
            models.CheckConstraint(
                condition=Q(kind="individual")
                | Q(kind="group", pupils__gte=1, seats=F("pupils") + F("adults")),
                name="registration_group_seats",
            ),
            models.CheckConstraint(
                condition=Q(
                    scope=Coalesce(F("session"), Value(0), output_field=models.BigIntegerField())
                ),
                name="registration_scope_session",
            ),
            models.CheckConstraint(
                condition=Q(status="waitlisted", waitlisted_at__isnull=False)
                | ~Q(status="waitlisted"),
                name="registration_waitlisted_has_time",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.GROUP:
            return f"{self.school_name} ({self.seats} places)"
        return f"{self.first_name} {self.last_name}"

    @property
    def short_code_display(self) -> str:
        return format_short_code(self.short_code)

    @property
    def companions(self) -> int:
        """People an individual brings along (their seats beyond their own)."""
        return self.seats - 1 if self.kind == self.Kind.INDIVIDUAL else 0

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED

    @property
    def has_pending_offer(self) -> bool:
        return self.status == self.Status.WAITLISTED and self.offer_expires_at is not None
