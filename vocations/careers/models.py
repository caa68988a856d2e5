"""Industrial sectors, professional branches and trades (ROME 4.0)."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from vocations.core.images import SafeImageField
from vocations.core.models import TimeStampedModel


class NafDivision(models.Model):
    """A NAF rév. 2 division (two digits), e.g. 24 « Métallurgie »."""

    code = models.CharField(max_length=2, unique=True)
    label = models.CharField("libellé", max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = "division NAF"
        verbose_name_plural = "divisions NAF"

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


class Sector(models.Model):
    """A filière as the campaign speaks of it; mapped to NAF divisions."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField("nom", max_length=120)
    description = models.TextField(blank=True)
    naf_divisions = models.ManyToManyField(NafDivision, related_name="sectors", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "filière"

    def __str__(self) -> str:
        return self.name


class Branch(models.Model):
    """A professional branch of industry (branche professionnelle)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField("nom", max_length=200)
    short_name = models.CharField("nom court", max_length=80)
    federation = models.CharField("fédération", max_length=200, blank=True)
    website = models.URLField("site", blank=True)
    sectors = models.ManyToManyField(Sector, related_name="branches", blank=True)

    class Meta:
        ordering = ["short_name"]
        verbose_name = "branche professionnelle"
        verbose_name_plural = "branches professionnelles"

    def __str__(self) -> str:
        return self.short_name


class QualificationLevel(models.Model):
    """Levels of the French national framework (CAP = 3 … Bac+5 = 7)."""

    level = models.PositiveSmallIntegerField("niveau", unique=True)
    label = models.CharField("libellé", max_length=80)

    class Meta:
        ordering = ["level"]
        verbose_name = "niveau de qualification"
        verbose_name_plural = "niveaux de qualification"

    def __str__(self) -> str:
        return self.label


class Trade(models.Model):
    """A trade (métier) identified by its ROME 4.0 code, e.g. H2913 Soudeur / Soudeuse."""

    rome_code = models.CharField("code ROME", max_length=5, unique=True)
    title = models.CharField("intitulé", max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(blank=True)
    # True for the trades industry recruits most, which carry our own description.
    is_featured = models.BooleanField("métier phare", default=False)
    naf_divisions = models.ManyToManyField(NafDivision, related_name="trades", blank=True)
    sectors = models.ManyToManyField(Sector, related_name="trades", blank=True)
    branches = models.ManyToManyField(Branch, related_name="trades", blank=True)
    qualification_levels = models.ManyToManyField(
        QualificationLevel, related_name="trades", blank=True
    )

    class Meta:
        ordering = ["title"]
        verbose_name = "métier"

    def __str__(self) -> str:
        return f"{self.rome_code} — {self.title}"

    @property
    def domain_letter(self) -> str:
        return self.rome_code[0]


class Appellation(models.Model):
    """A job title of the ROME referential (appellation), identified by its OGR code."""

    code_ogr = models.CharField("code OGR", max_length=10, unique=True)
    title = models.CharField("libellé", max_length=250)
    trade = models.ForeignKey(Trade, on_delete=models.CASCADE, related_name="appellations")

    class Meta:
        ordering = ["title"]
        verbose_name = "appellation"

    def __str__(self) -> str:
        return self.title


# --------------------------------------------------------------------------------------
# Search index (rebuilt by vocations.careers.search.rebuild_search_index)
# --------------------------------------------------------------------------------------


class TradeSearchDocument(models.Model):
    """The text a trade is found by, one row per trade.

    ``vector`` is filled on PostgreSQL only (French configuration on unaccented text, GIN
    index created by migration 0002); SQLite searches TradeSearchToken instead.
    """

    trade = models.OneToOneField(Trade, on_delete=models.CASCADE, related_name="search_document")
    title_text = models.TextField(blank=True)
    keywords_text = models.TextField(blank=True)
    appellations_text = models.TextField(blank=True)
    description_text = models.TextField(blank=True)
    # A plain text column type on SQLite; tsvector on PostgreSQL (see the migration).
    vector = SearchVectorField(null=True, blank=True)

    class Meta:
        verbose_name = "document de recherche"

    def __str__(self) -> str:
        return self.title_text


class TradeSearchToken(models.Model):
    """One stemmed token of a trade's search document with its precomputed rank share."""

    token = models.CharField(max_length=60)
    trade = models.ForeignKey(Trade, on_delete=models.CASCADE, related_name="search_tokens")
    score = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "trade"], name="uniq_trade_search_token")
        ]
        verbose_name = "mot indexé"

    def __str__(self) -> str:
        return self.token


# --------------------------------------------------------------------------------------
# Branch pages (déclinaison de branche)
# --------------------------------------------------------------------------------------


class BranchPage(TimeStampedModel):
    """A branch's own version of the campaign message, shown on its public page."""

    branch = models.OneToOneField(Branch, on_delete=models.CASCADE, related_name="page")
    title = models.CharField("titre", max_length=160)
    message = models.TextField("message", max_length=3000)
    audiences = models.JSONField("publics visés", default=list, blank=True)
    image = SafeImageField("image", upload_to="branches/", blank=True)
    image_alt = models.CharField("texte alternatif de l'image", max_length=200, blank=True)
    highlighted_trades = models.ManyToManyField(
        Trade, related_name="highlighted_by_branch_pages", blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "déclinaison de branche"
        verbose_name_plural = "déclinaisons de branche"

    def __str__(self) -> str:
        return f"{self.branch} — {self.title}"
