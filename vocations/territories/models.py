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
    """Bassin d'emploi as used by France Travail's BMO survey.

    A few bassins straddle départements (24 in BMO 2024, e.g. around Paris): ``department`` is
    the main one, and each hiring need carries its own département.
    """

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField("nom", max_length=150)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="employment_areas"
    )
    # Filled by load_labour_market from the BMO commune table of the shipped year.
    communes = models.ManyToManyField(Commune, related_name="employment_areas", blank=True)

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
    # The BMO splits a bassin that straddles départements into one row per département.
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="hiring_needs"
    )
    # None where the survey masks a small count ("*").
    projects = models.PositiveIntegerField("projets de recrutement", null=True, blank=True)
    difficult = models.PositiveIntegerField("jugés difficiles", null=True, blank=True)
    seasonal = models.PositiveIntegerField("saisonniers", null=True, blank=True)
    # True when at least one count was masked ("*"): that count is None, never 0.
    masked = models.BooleanField("chiffre masqué", default=False)

    class Meta:
        ordering = ["-year", "bmo_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "bmo_code", "employment_area", "department"],
                name="uniq_hiring_need",
            )
        ]
        verbose_name = "besoin de recrutement (BMO)"
        verbose_name_plural = "besoins de recrutement (BMO)"

    def __str__(self) -> str:
        return f"{self.year} {self.bmo_name} — {self.employment_area}"


class TensionLevel(models.IntegerChoices):
    VERY_LOW = 1, "très faible"
    LOW = 2, "faible"
    MEDIUM = 3, "moyenne"
    HIGH = 4, "forte"
    VERY_HIGH = 5, "très forte"


class RomeTension(models.Model):
    """France Travail's tension for one ROME trade in one bassin d'emploi (BE19 codes)."""

    year = models.PositiveSmallIntegerField("année")
    rome_code = models.CharField("code ROME", max_length=5, db_index=True)
    # Bassins of the tension file are those of 2019 (BE19), not the BMO year's: kept as codes.
    area_code = models.CharField("code du bassin", max_length=10)
    area_name = models.CharField("bassin d'emploi", max_length=150)
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="rome_tensions"
    )
    job_offers = models.PositiveIntegerField("offres d'emploi enregistrées")
    job_seekers = models.PositiveIntegerField("demandeurs d'emploi (A, B, C)")
    tension = models.PositiveSmallIntegerField(
        "tension", choices=TensionLevel.choices, null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "rome_code", "area_code"], name="uniq_rome_tension"
            )
        ]
        verbose_name = "tension par métier ROME et bassin"
        verbose_name_plural = "tensions par métier ROME et bassin"

    def __str__(self) -> str:
        return f"{self.year} {self.rome_code} — {self.area_name}"


class FamilyTension(models.Model):
    """DARES tension indicator for one FAP 2009 trade, nationally or in one département."""

    CAUSES = (
        ("hiring_intensity", "intensité d'embauches"),
        ("training_link", "lien formation-emploi"),
        ("labour_shortage", "manque de main-d'œuvre disponible"),
        ("non_durable", "non-durabilité de l'emploi"),
        ("working_conditions", "conditions de travail contraignantes"),
        ("geographic_mismatch", "inadéquation géographique"),
    )

    year = models.PositiveSmallIntegerField("année")
    fap_code = models.CharField("code FAP 2009", max_length=5, db_index=True)
    # None: the national figure.
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="family_tensions",
        null=True,
        blank=True,
    )
    employment = models.PositiveIntegerField("emploi moyen", null=True, blank=True)
    tension = models.PositiveSmallIntegerField(
        "tension", choices=TensionLevel.choices, null=True, blank=True
    )
    # Each cause is scored 1 (weak) to 5 (strong); None where DARES gives no score.
    hiring_intensity = models.PositiveSmallIntegerField(null=True, blank=True)
    training_link = models.PositiveSmallIntegerField(null=True, blank=True)
    labour_shortage = models.PositiveSmallIntegerField(null=True, blank=True)
    non_durable = models.PositiveSmallIntegerField(null=True, blank=True)
    working_conditions = models.PositiveSmallIntegerField(null=True, blank=True)
    geographic_mismatch = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "fap_code", "department"], name="uniq_family_tension"
            )
        ]
        verbose_name = "tension par famille de métiers (DARES)"
        verbose_name_plural = "tensions par famille de métiers (DARES)"

    def __str__(self) -> str:
        return f"{self.year} {self.fap_code} — {self.department or 'France'}"


class TradeFamilyFigure(models.Model):
    """DARES figures per FAP 2009 code (family of 87 or trade of 225): pay, share of women."""

    fap_code = models.CharField("code FAP 2009", max_length=5, unique=True)
    label = models.CharField("libellé", max_length=200, blank=True)
    median_wage = models.PositiveIntegerField(
        "salaire médian net mensuel (€)", null=True, blank=True
    )
    wage_period = models.CharField("période du salaire", max_length=9, blank=True)
    women_share = models.FloatField("part des femmes (%)", null=True, blank=True)
    women_period = models.CharField("période de la part des femmes", max_length=9, blank=True)

    class Meta:
        ordering = ["fap_code"]
        verbose_name = "chiffres d'une famille de métiers (DARES)"
        verbose_name_plural = "chiffres des familles de métiers (DARES)"

    def __str__(self) -> str:
        return f"{self.fap_code} {self.label}"


class DepartmentNeed(models.Model):
    """Roll-up of HiringNeed per year, département and BMO trade (the territory view sums it
    instead of the 53,000 bassin lines). Rebuilt whole by the loaders that write HiringNeed
    (services/rollups.py), in their transaction; never written on a page view."""

    year = models.PositiveSmallIntegerField()
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    bmo_code = models.CharField(max_length=10)
    lines = models.PositiveIntegerField(default=0)
    # Sums over the published counts; masked ones ("*", null) are left out, as in HiringNeed.
    projects = models.PositiveIntegerField(default=0)
    difficult = models.PositiveIntegerField(default=0)
    seasonal = models.PositiveIntegerField(default=0)
    masked_areas = models.PositiveIntegerField(default=0)
    projects_with_difficult = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "bmo_code", "department"], name="uniq_department_need"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.bmo_code} {self.department_id}"


class DepartmentPopulation(models.Model):
    """Roll-up of the communes' legal population per département (rebuilt by load_geography)."""

    department = models.OneToOneField(
        Department, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    population = models.PositiveBigIntegerField()

    def __str__(self) -> str:
        return f"{self.department_id} : {self.population}"
