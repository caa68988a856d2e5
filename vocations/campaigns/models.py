"""Campaigns, their waves, channels and placements, budget, branch variants and tracked links."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from vocations.core.audiences import Audience
from vocations.core.images import SafeImageField
from vocations.core.models import TimeStampedModel


class Channel(models.TextChoices):
    TV = "tv", "Télévision"
    REPLAY = "replay", "Replay"
    CINEMA = "cinema", "Cinéma"
    BILLBOARD = "billboard", "Affichage"
    WEB = "web", "Web"
    SOCIAL = "social", "Réseaux sociaux"
    EVENTS = "events", "Événements"
    PRESS = "press", "Presse"
    INFLUENCE = "influence", "Influence"


class Campaign(TimeStampedModel):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="campaigns"
    )
    name = models.CharField("nom", max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    signature = models.CharField("signature", max_length=200, blank=True)
    # Euros, in cents, so sums are exact.
    budget_cents = models.BigIntegerField("budget (centimes)", validators=[MinValueValidator(0)])
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    # Attribution window: a registration counts for a link followed this many days before.
    attribution_window_days = models.PositiveSmallIntegerField(
        "fenêtre d'attribution (jours)", default=30
    )
    banner_colour = models.CharField("couleur du bandeau", max_length=7, default="#000091")

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = "campagne"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Wave(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="waves")
    number = models.PositiveSmallIntegerField("numéro")
    name = models.CharField("nom", max_length=120)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")

    class Meta:
        ordering = ["campaign", "number"]
        verbose_name = "vague"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="uniq_wave_number"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="wave_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.name}"


class Placement(TimeStampedModel):
    """One line of the media plan: a channel in a wave over a territory."""

    class Scope(models.TextChoices):
        NATIONAL = "national", "National"
        REGION = "region", "Région"
        DEPARTMENT = "department", "Département"
        COMMUNE = "commune", "Commune"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="placements")
    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="placements")
    channel = models.CharField("canal", max_length=20, choices=Channel.choices)
    name = models.CharField("libellé", max_length=200)
    scope = models.CharField("territoire", max_length=20, choices=Scope.choices)
    region = models.ForeignKey(
        "territories.Region", null=True, blank=True, on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        "territories.Department", null=True, blank=True, on_delete=models.PROTECT
    )
    commune = models.ForeignKey(
        "territories.Commune", null=True, blank=True, on_delete=models.PROTECT
    )
    quantity = models.PositiveIntegerField("quantité", default=0)
    unit = models.CharField("unité", max_length=40, blank=True)  # panneaux, écrans, spots…
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    planned_cents = models.BigIntegerField("coût prévu (centimes)", default=0)
    committed_cents = models.BigIntegerField("coût engagé (centimes)", default=0)
    branch_message = models.ForeignKey(
        "campaigns.BranchMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
    )
    # Where a tracked link of this placement lands by default (a path on this site).
    landing_path = models.CharField("page d'arrivée", max_length=300, default="/")

    class Meta:
        ordering = ["wave__number", "channel", "name"]
        verbose_name = "emplacement"
        indexes = [models.Index(fields=["campaign", "wave", "channel"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_cents__gte=0) & Q(committed_cents__gte=0),
                name="placement_costs_positive",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="placement_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BranchMessage(TimeStampedModel):
    """A branch's variant (déclinaison) of the campaign message."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="branch_messages")
    branch = models.ForeignKey(
        "careers.Branch", on_delete=models.PROTECT, related_name="campaign_messages"
    )
    title = models.CharField("titre", max_length=200)
    text = models.TextField("message")
    image = SafeImageField("visuel", upload_to="branch-messages/", blank=True)
    image_alt = models.CharField("texte alternatif", max_length=200, blank=True)
    trades = models.ManyToManyField("careers.Trade", blank=True, related_name="campaign_messages")

    class Meta:
        verbose_name = "déclinaison de branche"
        verbose_name_plural = "déclinaisons de branche"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "branch"], name="uniq_branch_message")
        ]

    def __str__(self) -> str:
        return f"{self.branch} — {self.title}"


class BranchMessageAudience(models.Model):
    message = models.ForeignKey(BranchMessage, on_delete=models.CASCADE, related_name="audiences")
    audience = models.CharField(max_length=20, choices=Audience.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "audience"], name="uniq_message_audience")
        ]

    def __str__(self) -> str:
        return self.get_audience_display()


class TrackedLink(TimeStampedModel):
    """A short link /l/<code> printed as a QR code or posted; it says what brought a visit."""

    class TargetKind(models.TextChoices):
        PLACEMENT = "placement", "Emplacement"
        EVENT = "event", "Événement"
        BRANCH = "branch", "Page de branche"
        POST = "post", "Publication d'ambassadeur"

    code = models.CharField(max_length=16, unique=True)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    target_kind = models.CharField(max_length=20, choices=TargetKind.choices)
    placement = models.ForeignKey(
        Placement, null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    branch = models.ForeignKey(
        "careers.Branch", null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    # A path on this site only (never a full URL): links cannot become an open redirect.
    landing_path = models.CharField("page d'arrivée", max_length=300)
    label = models.CharField("libellé", max_length=200, blank=True)  # e.g. "Affiches Lyon"
    commune = models.ForeignKey(
        "territories.Commune", null=True, blank=True, on_delete=models.SET_NULL
    )
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "lien suivi"
        verbose_name_plural = "liens suivis"

    def __str__(self) -> str:
        return f"/l/{self.code}"


class MediaFigure(models.Model):
    """What the media buyers report for a placement over a period, one metric a row."""

    class Metric(models.TextChoices):
        IMPRESSIONS = "impressions", "Impressions"
        CONTACTS = "contacts", "Contacts"
        GRP = "grp", "GRP"
        VIDEO_VIEWS = "video_views", "Vues de vidéos"
        ENGAGEMENTS = "engagements", "Engagements"
        CLICKS = "clicks", "Clics"
        FOLLOWERS = "followers", "Abonnés gagnés"
        SPEND = "spend_cents", "Dépense (centimes)"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="figures")
    period_start = models.DateField("début de période")
    period_end = models.DateField("fin de période")
    metric = models.CharField("indicateur", max_length=20, choices=Metric.choices)
    # GRP carry decimals: store thousandths to stay exact.
    value_milli = models.BigIntegerField("valeur (millièmes)")
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "chiffre média"
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "period_start", "period_end", "metric"],
                name="uniq_media_figure",
            ),
            models.CheckConstraint(condition=Q(value_milli__gte=0), name="media_figure_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.placement} {self.metric} {self.period_start}–{self.period_end}"
