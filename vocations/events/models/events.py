"""An event run by an organization, in a commune or online."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from vocations.core.audiences import Audience
from vocations.core.images import SafeImageField
from vocations.core.models import TimeStampedModel
from vocations.core.text import validate_single_line


class Event(TimeStampedModel):
    class Kind(models.TextChoices):
        ORIENTATION_FAIR = "orientation_fair", "Salon de l'orientation"
        RECRUITMENT_FORUM = "recruitment_forum", "Forum de recrutement"
        OPEN_DAY = "open_day", "Journée portes ouvertes"
        COMPANY_VISIT = "company_visit", "Visite d'entreprise"
        WORKSHOP = "workshop", "Atelier"
        CONFERENCE = "conference", "Conférence"
        FLAGSHIP = "flagship", "Événement phare"
        ONLINE_SESSION = "online_session", "Session en ligne"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    title = models.CharField("titre", max_length=200, validators=[validate_single_line])
    slug = models.SlugField(max_length=220, unique=True)
    summary = models.CharField("résumé", max_length=300, blank=True)
    description = models.TextField("description", blank=True)
    starts_at = models.DateTimeField("début", db_index=True)
    ends_at = models.DateTimeField("fin")

    is_online = models.BooleanField("en ligne", default=False)
    online_url = models.URLField("lien de la session en ligne", blank=True)
    commune = models.ForeignKey(
        "territories.Commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    # Denormalized from the commune so the finder filters without joining communes.
    department = models.ForeignKey(
        "territories.Department", null=True, blank=True, on_delete=models.PROTECT
    )
    region = models.ForeignKey(
        "territories.Region", null=True, blank=True, on_delete=models.PROTECT
    )
    venue_name = models.CharField("lieu", max_length=200, blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    access_info = models.TextField("accès", blank=True)
    accessibility_info = models.TextField("accessibilité", blank=True)

    is_open_to_public = models.BooleanField("ouvert au public", default=True)
    is_free = models.BooleanField("gratuit", default=True)
    price_info = models.CharField("tarif", max_length=200, blank=True)

    sectors = models.ManyToManyField("careers.Sector", related_name="events", blank=True)
    trades = models.ManyToManyField("careers.Trade", related_name="events", blank=True)

    # None: no registration limit.
    capacity = models.PositiveIntegerField("capacité (places)", null=True, blank=True)
    registration_opens_at = models.DateTimeField(
        "ouverture des inscriptions", null=True, blank=True
    )
    registration_closes_at = models.DateTimeField("clôture des inscriptions", null=True, blank=True)
    # Seats held by confirmed event-level registrations (session=None). Written only by the
    # registration services, under the Event row lock, so lists show seats left without a SUM.
    seats_confirmed = models.PositiveIntegerField("places confirmées", default=0, editable=False)
    # Seats kept for the waiting list: pending offers, and the seats left when the head of the
    # line is a group that does not fit yet (strict first come, first served: nobody passes it).
    # Recomputed by the waiting-list service under the same lock (docs/registration.md).
    seats_held = models.PositiveIntegerField("places réservées", default=0, editable=False)
    # None: a freed seat confirms the next in line at once; else the next in line gets an offer
    # by e-mail, valid this many hours, and the seat is held for them meanwhile.
    waitlist_offer_hours = models.PositiveSmallIntegerField(
        "délai de réponse à une place proposée (heures)", null=True, blank=True
    )
    accepts_groups = models.BooleanField("accepte les groupes scolaires", default=False)
    max_group_size = models.PositiveIntegerField(
        "taille maximale d'un groupe", null=True, blank=True
    )
    # How many people an individual may bring on their registration (0: come alone).
    max_companions = models.PositiveSmallIntegerField(
        "accompagnants par inscription individuelle", default=0
    )
    image = SafeImageField("image", upload_to="events/%Y/", blank=True)
    image_alt = models.CharField("texte alternatif de l'image", max_length=200, blank=True)

    is_published = models.BooleanField("publié", default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    duplicated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = "événement"
        indexes = [
            models.Index(fields=["is_published", "starts_at"]),
            models.Index(fields=["department", "starts_at"]),
            models.Index(fields=["region", "starts_at"]),
            models.Index(fields=["kind", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EventAudience(models.Model):
    """Which audiences an event is for (one row per audience, so the finder can filter)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="audience_rows")
    audience = models.CharField(max_length=20, choices=Audience.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "audience"], name="uniq_event_audience")
        ]
        indexes = [models.Index(fields=["audience", "event"])]

    def __str__(self) -> str:
        return self.get_audience_display()


class Partner(TimeStampedModel):
    name = models.CharField("nom", max_length=200)
    logo = SafeImageField("logo", upload_to="partners/", blank=True)
    website = models.URLField("site", blank=True)
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "partenaire"

    def __str__(self) -> str:
        return self.name


class EventPartner(models.Model):
    class Level(models.TextChoices):
        MAIN_SPONSOR = "main_sponsor", "Partenaire principal"
        SPONSOR = "sponsor", "Mécène"
        PARTNER = "partner", "Partenaire"
        MEDIA = "media", "Partenaire média"
        INSTITUTIONAL = "institutional", "Partenaire institutionnel"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_partners")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="event_links")
    level = models.CharField("niveau", max_length=20, choices=Level.choices, default="partner")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "partner"], name="uniq_event_partner")
        ]

    def __str__(self) -> str:
        return f"{self.partner} ({self.get_level_display()})"
