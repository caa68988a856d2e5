"""A flagship event's programme: universes → spaces → sessions."""

from django.db import models
from django.db.models import Q

from vocations.core.audiences import Audience


class Universe(models.Model):
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="universes")
    name = models.CharField("nom", max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "univers"
        verbose_name_plural = "univers"

    def __str__(self) -> str:
        return self.name


class Space(models.Model):
    """An experiential space: what visitors do there, the trades it shows, who runs it."""

    universe = models.ForeignKey(Universe, on_delete=models.CASCADE, related_name="spaces")
    name = models.CharField("nom", max_length=160)
    description = models.TextField(blank=True)
    trades = models.ManyToManyField("careers.Trade", related_name="spaces", blank=True)
    partner = models.ForeignKey(
        "events.Partner", null=True, blank=True, on_delete=models.SET_NULL, related_name="spaces"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "espace expérientiel"

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    class Kind(models.TextChoices):
        CONFERENCE = "conference", "Conférence"
        DEMONSTRATION = "demonstration", "Démonstration"
        SLOT = "slot", "Créneau de visite"
        DINNER = "dinner", "Dîner"
        WORKSHOP = "workshop", "Atelier"

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="sessions")
    space = models.ForeignKey(
        Space, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    title = models.CharField("titre", max_length=200)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    capacity = models.PositiveIntegerField("capacité (places)", null=True, blank=True)
    # Seats held by this session's confirmed registrations; written only by the registration
    # services under the Event then Session row locks.
    seats_confirmed = models.PositiveIntegerField("places confirmées", default=0, editable=False)
    # Kept for the waiting list (offers, a group at the head of the line), as on Event.
    seats_held = models.PositiveIntegerField("places réservées", default=0, editable=False)
    audience = models.CharField("public", max_length=20, choices=Audience.choices, blank=True)
    school_groups_only = models.BooleanField("réservé aux groupes scolaires", default=False)
    invitation_only = models.BooleanField("sur invitation", default=False)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = "séance"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SessionInvitation(models.Model):
    """An e-mail address invited to an invitation-only session (e.g. the industry dinner)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "email"], name="uniq_session_invitation")
        ]

    def __str__(self) -> str:
        return self.email
