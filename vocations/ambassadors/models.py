"""The collective: members (Ambassador), their networks, themes, mobilisations, posts, metrics.

Personal data: an ambassador's e-mail lives on their User, their handles on AmbassadorNetwork;
both are erased by ``ambassador_erase`` (posts stay, anonymised, with their counts). The
collective is an accounts.Organization of kind "collective"; its coordinators are its owners
and editors (vocations.accounts.permissions.can_coordinate).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from vocations.core.audiences import Audience
from vocations.core.models import TimeStampedModel

from .networks import PROFILE_NETWORKS, Network


class Theme(models.Model):
    """One of the collective's themes (5 seeded; coordinators edit them)."""

    collective = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ambassador_themes",
    )  # null: the themes shared by every collective (the five of the article)
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField("nom", max_length=160)
    description = models.TextField("description", blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "thème"

    def __str__(self) -> str:
        return self.name


class Generation(models.TextChoices):
    UNDER_25 = "under_25", "Moins de 25 ans"
    FROM_25 = "25_34", "25 à 34 ans"
    FROM_35 = "35_49", "35 à 49 ans"
    FROM_50 = "50_64", "50 à 64 ans"
    FROM_65 = "65_plus", "65 ans et plus"


class Ambassador(TimeStampedModel):
    """A member of a collective. ``user`` is None once the member erased their data."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Membre"
        LEFT = "left", "Parti·e (données effacées)"

    collective = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="ambassadors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ambassador_profiles",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    display_name = models.CharField("nom affiché", max_length=150)
    role = models.CharField("fonction", max_length=150, blank=True)
    company = models.CharField("entreprise ou organisation", max_length=200, blank=True)
    sector = models.ForeignKey(
        "careers.Sector", null=True, blank=True, on_delete=models.SET_NULL, verbose_name="filière"
    )
    department = models.ForeignKey(
        "territories.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="département",
    )
    generation = models.CharField(
        "génération", max_length=10, choices=Generation.choices, blank=True
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="ambassadors", verbose_name="thèmes"
    )
    bio = models.CharField("en quelques mots", max_length=300, blank=True)
    # Consent to the collective's charter and to the processing of the profile (RGPD).
    consent_at = models.DateTimeField("consentement le", null=True, blank=True)
    # Shown on the public page /ambassadeurs/ (name, role, company, département, themes only).
    is_public = models.BooleanField("visible sur la page publique", default=False)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["display_name", "id"]
        verbose_name = "ambassadeur"
        constraints = [
            models.UniqueConstraint(
                fields=["collective", "user"],
                condition=Q(user__isnull=False),
                name="uniq_ambassador_user",
            )
        ]

    def __str__(self) -> str:
        return self.display_name


class AmbassadorNetwork(models.Model):
    """One account of a member: network, handle, declared audience size, audiences reached."""

    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="networks")
    network = models.CharField("réseau", max_length=20, choices=PROFILE_NETWORKS)
    handle = models.CharField("compte ou adresse", max_length=200, blank=True)
    audience_size = models.PositiveIntegerField("audience déclarée", default=0)
    # Audience values (vocations.core.audiences); defaults from networks.DEFAULT_AUDIENCES.
    audiences = models.JSONField("publics touchés", default=list, blank=True)

    class Meta:
        ordering = ["ambassador", "network"]
        verbose_name = "réseau d'un ambassadeur"
        constraints = [
            models.UniqueConstraint(
                fields=["ambassador", "network"], name="uniq_ambassador_network"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_network_display()} ({self.audience_size})"


class Invitation(TimeStampedModel):
    """An invitation sent by a coordinator, or a request to join sent from the public page.

    Either way, joining ends with the person opening /espace/ambassadeurs/rejoindre/<token>/
    (a request first needs a coordinator's acceptance).
    """

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        REQUEST = "request", "Demande d'adhésion"

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        ACCEPTED = "accepted", "Acceptée"
        DECLINED = "declined", "Refusée"
        JOINED = "joined", "Membre"

    collective = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="ambassador_invitations"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    email = models.EmailField("adresse e-mail")
    full_name = models.CharField("nom", max_length=150, blank=True)
    department = models.ForeignKey(
        "territories.Department", null=True, blank=True, on_delete=models.SET_NULL
    )
    message = models.TextField("message", blank=True, max_length=1000)
    token = models.CharField(max_length=43, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when the invitation comes from a workshop's attendance list.
    workshop = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "invitation"
        constraints = [
            models.UniqueConstraint(
                fields=["collective", "email"],
                condition=Q(status="pending"),
                name="uniq_pending_invitation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.email}"


class Mobilisation(TimeStampedModel):
    """The collective joins an event or a campaign wave, to reach the audiences they miss."""

    collective = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="mobilisations"
    )
    title = models.CharField("titre", max_length=200)
    event = models.ForeignKey(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mobilisations",
    )
    wave = models.ForeignKey(
        "campaigns.Wave",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mobilisations",
    )
    # Which campaign report counts the collective's links: the wave's campaign, or the campaign
    # an event is run under (optional).
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mobilisations",
    )
    goal = models.TextField("objectif", max_length=2000)
    target_audiences = models.JSONField("publics visés", default=list, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="mobilisations")
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    landing_path = models.CharField("page d'arrivée des liens", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = "mobilisation"
        constraints = [
            models.CheckConstraint(
                condition=(Q(event__isnull=False) & Q(wave__isnull=True))
                | (Q(event__isnull=True) & Q(wave__isnull=False)),
                name="mobilisation_event_xor_wave",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="mobilisation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Participation(TimeStampedModel):
    """A member who joined a mobilisation, with their personal tracked link (kind "post")."""

    mobilisation = models.ForeignKey(
        Mobilisation, on_delete=models.CASCADE, related_name="participations"
    )
    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, related_name="participations"
    )
    link = models.OneToOneField(
        "campaigns.TrackedLink", on_delete=models.PROTECT, related_name="participation"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "participation"
        constraints = [
            models.UniqueConstraint(
                fields=["mobilisation", "ambassador"], name="uniq_participation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ambassador} — {self.mobilisation}"


class Post(TimeStampedModel):
    """A post a member declares. No validation: coordinators see posts, never approve them."""

    collective = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="ambassador_posts"
    )
    # None once the author erased their data: the post's counts stay in the collective's totals.
    ambassador = models.ForeignKey(
        Ambassador, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    mobilisation = models.ForeignKey(
        Mobilisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    network = models.CharField("réseau", max_length=20, choices=Network.choices)
    url = models.URLField("adresse", max_length=500, blank=True)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="thème"
    )
    published_on = models.DateField("publiée le")
    text = models.TextField("texte", blank=True, max_length=3000)
    # The department of the author when posting, kept after erasure for the collective's map.
    department = models.ForeignKey(
        "territories.Department", null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = "publication"
        constraints = [
            models.UniqueConstraint(
                fields=["collective", "url"], condition=~Q(url=""), name="uniq_post_url"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.published_on:%d/%m/%Y}"


class PostMetric(models.Model):
    """A post's reported figure (the latest value: network exports are cumulative)."""

    class Metric(models.TextChoices):
        IMPRESSIONS = "impressions", "Impressions"
        ENGAGEMENTS = "engagements", "Engagements"
        CLICKS = "clicks", "Clics"
        REACTIONS = "reactions", "Réactions"
        COMMENTS = "comments", "Commentaires"
        SHARES = "shares", "Partages"
        VIDEO_VIEWS = "video_views", "Vues de vidéo"

    class Source(models.TextChoices):
        MANUAL = "manual", "Saisie"
        IMPORT = "import", "Import"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="metrics")
    metric = models.CharField("indicateur", max_length=20, choices=Metric.choices)
    value = models.PositiveBigIntegerField("valeur")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "chiffre d'une publication"
        constraints = [models.UniqueConstraint(fields=["post", "metric"], name="uniq_post_metric")]

    def __str__(self) -> str:
        return f"{self.metric}={self.value}"


AUDIENCE_LABELS = dict(Audience.choices)
