"""Cookie-less audience measurement: visits, daily salts, the durable buffer, roll-ups, attribution.

Privacy (CNIL audience-measurement exemption, docs/analytics.md): no column here ever holds an
IP address, a user agent, a Referer host or a cookie value. A visitor is a salted hash whose salt
(DailySalt) is random, changes every day and is deleted after 48 hours, so a hash can never be
linked back to a person nor followed from one day to the next.

Link, placement, wave and campaign references on Visit and on the roll-ups are foreign keys
without a database constraint: the buffer flusher must never fail a whole batch because a link
was deleted between the click and the flush, and reports still join on them.
"""

from __future__ import annotations

from django.db import models


class Source(models.TextChoices):
    QR = "qr", "QR code scanné"
    CLICK = "click", "Clic sur un lien suivi"
    DIRECT = "direct", "Arrivée directe"


class Device(models.TextChoices):
    MOBILE = "mobile", "Mobile"
    TABLET = "tablet", "Tablette"
    DESKTOP = "desktop", "Ordinateur"


class ReferrerCategory(models.TextChoices):
    NONE = "none", "Aucun"
    SEARCH = "search", "Moteur de recherche"
    SOCIAL = "social", "Réseau social"
    EMAIL = "email", "Messagerie"
    INTERNAL = "internal", "Ce site"
    OTHER = "other", "Autre site"


def _loose_fk(model: str, **kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        model,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        **kwargs,
    )


class DailySalt(models.Model):
    """The random salt of one day (Europe/Paris). Deleted 48 h after the day starts."""

    day = models.DateField(unique=True)
    salt = models.BinaryField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "sel du jour"
        verbose_name_plural = "sels du jour"

    def __str__(self) -> str:
        return f"sel du {self.day:%d/%m/%Y}"


class Visit(models.Model):
    """One arrival on the public site: through a tracked link (/l/<code>) or directly."""

    visit_key = models.CharField(max_length=32, unique=True)
    at = models.DateTimeField(db_index=True)
    landing_path = models.CharField(max_length=300)
    source = models.CharField(max_length=10, choices=Source.choices)
    link = _loose_fk("campaigns.TrackedLink")
    placement = _loose_fk("campaigns.Placement")
    wave = _loose_fk("campaigns.Wave")
    campaign = _loose_fk("campaigns.Campaign")
    channel = models.CharField(max_length=20, blank=True)
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    utm_content = models.CharField(max_length=100, blank=True)
    utm_term = models.CharField(max_length=100, blank=True)
    referrer = models.CharField(max_length=10, choices=ReferrerCategory.choices)
    device = models.CharField(max_length=10, choices=Device.choices)
    is_bot = models.BooleanField(default=False)
    # hex(sha256(daily salt + site + IP + user agent))[:16]; see vocations/analytics/privacy.py.
    visitor_hash = models.CharField(max_length=16)

    class Meta:
        verbose_name = "visite"
        indexes = [
            models.Index(fields=["visitor_hash", "at"], name="visit_hash_at"),
            models.Index(fields=["placement", "at"], name="visit_placement_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.landing_path}"


class VisitBuffer(models.Model):
    """The "database" buffer backend: visits waiting for the flusher (see buffer.py).

    A flusher claims rows with a guarded UPDATE … WHERE status = 'pending', writes the visits and
    deletes its rows in one transaction; rows claimed by a worker that died go back to pending.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        CLAIMED = "claimed", "Pris en charge"

    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    claimed_by = models.CharField(max_length=80, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "id"], name="visitbuffer_status_id")]

    def __str__(self) -> str:
        return f"visite en attente {self.pk}"


class VisitHourly(models.Model):
    """Human visits (bots excluded) per hour and per link/source/device: what reports read."""

    hour = models.DateTimeField()
    link = _loose_fk("campaigns.TrackedLink")
    placement = _loose_fk("campaigns.Placement")
    wave = _loose_fk("campaigns.Wave")
    campaign = _loose_fk("campaigns.Campaign")
    channel = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    device = models.CharField(max_length=10, choices=Device.choices)
    visits = models.PositiveIntegerField()
    # Distinct visitor hashes within this hour and row.
    unique_visitors = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["hour"], name="visithourly_hour"),
            models.Index(fields=["campaign", "hour"], name="visithourly_campaign_hour"),
        ]

    def __str__(self) -> str:
        return f"{self.hour:%d/%m/%Y %H h} : {self.visits}"


class VisitDaily(models.Model):
    """Human visits and distinct visitors per local day (Europe/Paris) and tracked link.

    ``link`` null: arrivals through no link (direct). ``placement`` null: arrivals that came
    through no placement (direct, or a link without one). Distinct visitors are counted per day
    *and link* so that they can follow a link to its city's territory and never exceed visits in
    any row or sum of rows (docs/reports.md).
    """

    day = models.DateField()
    link = _loose_fk("campaigns.TrackedLink")
    placement = _loose_fk("campaigns.Placement")
    wave = _loose_fk("campaigns.Wave")
    campaign = _loose_fk("campaigns.Campaign")
    channel = models.CharField(max_length=20, blank=True)
    visits = models.PositiveIntegerField()
    unique_visitors = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["day"], name="visitdaily_day"),
            models.Index(fields=["campaign", "day"], name="visitdaily_campaign_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} : {self.visits}"


class RollupState(models.Model):
    """Singleton (pk=1): serializes roll-ups and remembers how far they went."""

    rolled_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"cumuls jusqu'au {self.rolled_until}"


class Attribution(models.Model):
    """Which tracked-link visit brought a registration: first touch and last touch.

    Visits are referenced by their key (the row may still sit in the buffer when the
    registration arrives); link, placement, wave and channel are copied for both touches.
    Seats and attendance are read from the registration itself, so attendance follows it.
    """

    registration = models.OneToOneField(
        "events.Registration", on_delete=models.CASCADE, related_name="attribution"
    )
    campaign = _loose_fk("campaigns.Campaign")
    first_visit_key = models.CharField(max_length=32)
    first_at = models.DateTimeField()
    first_link = _loose_fk("campaigns.TrackedLink")
    first_placement = _loose_fk("campaigns.Placement")
    first_wave = _loose_fk("campaigns.Wave")
    first_channel = models.CharField(max_length=20, blank=True)
    last_visit_key = models.CharField(max_length=32)
    last_at = models.DateTimeField()
    last_link = _loose_fk("campaigns.TrackedLink")
    last_placement = _loose_fk("campaigns.Placement")
    last_wave = _loose_fk("campaigns.Wave")
    last_channel = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "attribution"

    def __str__(self) -> str:
        return f"inscription {self.registration_id}"


class VisitLogOffset(models.Model):
    """How far the nginx visit log file ``file`` (device:inode) was ingested (visit_log.py).

    Saved in the transaction that stores the visits read up to ``position``: a kill anywhere
    re-reads at most the uncommitted part, and visit_key keeps those visits from doubling.
    """

    file = models.CharField(max_length=64, unique=True)
    position = models.BigIntegerField(default=0)
    # A renamed file found fully read by one round; the next round deletes it (by then any
    # write begun before the rename has landed).
    drained = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.file} : {self.position}"


class RollupSeen(models.Model):
    """A visitor hash already counted in one roll-up row: what makes roll-ups incremental.

    ``bucket`` is ``h<UTC hour>`` (VisitHourly) or ``d<local day>`` (VisitDaily), ``group`` the
    row's key (link, placement, wave, campaign, channel[, source, device]). A new batch adds its
    visits to the rows it touches and its *new* hashes to their distinct visitors (increments.py).
    Kept two days (hashes change daily; later visits are recomputed, not folded in).
    """

    bucket = models.CharField(max_length=32)
    group = models.CharField(max_length=120)
    visitor_hash = models.CharField(max_length=16)
    day = models.DateField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bucket", "group", "visitor_hash"], name="rollupseen_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bucket} {self.group}"
