"""French administrative geography and the hiring need (BMO) per employment area."""

from django.db import models


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "région"

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)  # "01", "2A", "974"
    name = models.CharField("nom", max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments")

    class Meta:
        ordering = ["code"]
        verbose_name = "département"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CoordinatesPrecision(models.TextChoices):
    """How close a commune's point is to the commune itself."""

    COMMUNE = "commune", "commune"
    # Approximations for communes the gazetteer lacks: mean of nearby located communes.
    POSTAL_CODE = "postal_code", "code postal"
    DEPARTMENT = "department", "département"


class Commune(models.Model):
    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=150, db_index=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="communes")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="communes")
    population = models.PositiveIntegerField(null=True, blank=True)
    # Filled by load_commune_coordinates (GeoNames); see territories/data/README.md.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    coordinates_precision = models.CharField(
        "précision des coordonnées",
        max_length=12,
        choices=CoordinatesPrecision.choices,
        blank=True,
        default="",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "commune"

    def __str__(self) -> str:
        return f"{self.name} ({self.department_id and self.department.code})"


class PostalCode(models.Model):
    """One (postal code, commune) pair: a code can serve several communes and back."""

    code = models.CharField("code postal", max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_codes")

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "commune"], name="uniq_postal_code_commune")
        ]
        verbose_name = "code postal"

    def __str__(self) -> str:
        return self.code


class EmploymentArea(models.Model):
    """Bassin d'emploi as used by France Travail's BMO survey."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField("nom", max_length=150)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="employment_areas"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "bassin d'emploi"
        verbose_name_plural = "bassins d'emploi"

    def __str__(self) -> str:
        return self.name


class HiringNeed(models.Model):
    """Recruitment projects (BMO) for one year × BMO trade × employment area."""

    year = models.PositiveSmallIntegerField("année")
    bmo_code = models.CharField("code métier BMO", max_length=10)
    bmo_name = models.CharField("métier BMO", max_length=200)
    family_code = models.CharField("famille de métiers", max_length=10, blank=True)
    family_name = models.CharField("libellé de la famille", max_length=200, blank=True)
    employment_area = models.ForeignKey(
        EmploymentArea, on_delete=models.CASCADE, related_name="hiring_needs"
    )
    # None where the survey masks a small count ("*").
    projects = models.PositiveIntegerField("projets de recrutement", null=True, blank=True)
    difficult = models.PositiveIntegerField("jugés difficiles", null=True, blank=True)
    seasonal = models.PositiveIntegerField("saisonniers", null=True, blank=True)

    class Meta:
        ordering = ["-year", "bmo_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "bmo_code", "employment_area"], name="uniq_hiring_need"
            )
        ]
        verbose_name = "besoin de recrutement (BMO)"
        verbose_name_plural = "besoins de recrutement (BMO)"

    def __str__(self) -> str:
        return f"{self.year} {self.bmo_name} — {self.employment_area}"
