"""Users, organizations and who belongs to which with what role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from vocations.core.models import TimeStampedModel

from .validators import validate_siret


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("Une adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: organizers, branch editors, campaign staff, ambassadors.

    Visitors who register to an event need no account.
    """

    email = models.EmailField("adresse e-mail", unique=True)
    full_name = models.CharField("nom complet", max_length=150, blank=True)
    is_active = models.BooleanField("actif", default=True)
    # is_staff: campaign team, may open the Django admin and moderate labels.
    is_staff = models.BooleanField("équipe de campagne", default=False)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "utilisateur"

    def __str__(self) -> str:
        return self.full_name or self.email


class Organization(TimeStampedModel):
    class Kind(models.TextChoices):
        COMPANY = "company", "Entreprise"
        BRANCH = "branch", "Branche professionnelle"
        SCHOOL = "school", "Établissement scolaire ou centre de formation"
        LOCAL_BODY = "local_body", "Collectivité ou organisme public"
        COLLECTIVE = "collective", "Collectif"
        CAMPAIGN_TEAM = "campaign_team", "Équipe de campagne"

    name = models.CharField("nom", max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret])
    commune = models.ForeignKey(
        "territories.Commune", null=True, blank=True, on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        "territories.Department", null=True, blank=True, on_delete=models.PROTECT
    )
    # Set for kind=branch: the professional branch this organization speaks for.
    branch = models.ForeignKey("careers.Branch", null=True, blank=True, on_delete=models.PROTECT)
    website = models.URLField("site", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        OWNER = "owner", "Propriétaire"
        EDITOR = "editor", "Éditeur"
        VIEWER = "viewer", "Lecteur"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )

    class Notifications(models.TextChoices):
        # New registrations, waiting-list moves, press requests of this organization's events.
        IMMEDIATE = "immediate", "Un e-mail à chaque fois"
        DAILY = "daily", "Un résumé par jour"
        NONE = "none", "Aucun e-mail"

    role = models.CharField("rôle", max_length=10, choices=Role.choices, default=Role.VIEWER)
    notifications = models.CharField(
        "avis par e-mail",
        max_length=10,
        choices=Notifications.choices,
        default=Notifications.DAILY,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="uniq_membership")
        ]
        verbose_name = "appartenance"

    def __str__(self) -> str:
        return f"{self.user} — {self.organization} ({self.get_role_display()})"


class ApiToken(TimeStampedModel):
    """A key an organization gives a partner's software to use the API in its name.

    Only the SHA-256 of the token is stored: the token is shown once, at creation. A token has
    256 random bits, so a plain hash is enough (no slow hash: nothing to brute-force).
    Revoked or expired, it authenticates nothing; the row stays for the audit trail.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("nom", max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, shown in lists so that an organizer recognises a token.
    prefix = models.CharField("début du jeton", max_length=12, editable=False)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField("expire le", null=True, blank=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
