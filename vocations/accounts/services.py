"""Writes for users, organizations and memberships.

Every function is keyword-only, runs in one transaction and leaves an audit entry;
refusals raise ValidationError or PermissionDenied with a French message.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from vocations.accounts.permissions import branch_organizations, can_edit_branch, require
from vocations.careers.branch_pages import branch_page_errors
from vocations.careers.models import Branch, BranchPage, Trade
from vocations.core.services import audit_log

from .models import Membership, Organization, User
from .selectors import membership_is_last_owner
from .validators import normalize_siret

_UNSET: Any = object()

SLUG_MAX_LENGTH = Organization._meta.get_field("slug").max_length
SLUG_ATTEMPTS = 5

CANNOT_EDIT_BRANCH_PAGE = "Vous n'avez pas le droit de modifier la page de cette branche."
LAST_OWNER_MESSAGE = (
    "Une organisation doit toujours avoir au moins un propriétaire : "
    "nommez d'abord un autre propriétaire."
)


# --- users -----------------------------------------------------------------------------


def user_create(
    *,
    email: str,
    password: str | None = None,
    full_name: str = "",
    actor: User | None = None,
) -> User:
    """Create an account. Without a password the account cannot sign in until one is set."""
    email = (email or "").strip().lower()
    full_name = (full_name or "").strip()
    errors: dict[str, list[str]] = {}
    if not email:
        errors["email"] = ["L'adresse e-mail est obligatoire."]
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["Saisissez une adresse e-mail valide."]
    if len(full_name) > User._meta.get_field("full_name").max_length:
        errors["full_name"] = ["Le nom complet ne doit pas dépasser 150 caractères."]
    if "email" not in errors and User.objects.filter(email__iexact=email).exists():
        errors["email"] = ["Un compte existe déjà avec cette adresse e-mail."]
    user = User(email=email, full_name=full_name)
    if password is not None:
        try:
            # Django's validators speak French under LANGUAGE_CODE = "fr".
            validate_password(password, user=user)
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)

    user.set_password(password)  # None gives an unusable password
    with transaction.atomic():
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            # Lost a race with another sign-up for the same address.
            raise ValidationError(
                {"email": ["Un compte existe déjà avec cette adresse e-mail."]}
            ) from None
        audit_log(
            actor=actor if actor is not None else user,
            action="user.created",
            target=user,
            data={"email": user.email},
        )
    return user


# --- organizations ---------------------------------------------------------------------


def _validate_organization(organization: Organization) -> None:
    """Collect every problem at once so a form can show them all."""
    errors: dict[str, list[str]] = {}
    if not organization.name:
        errors["name"] = ["Le nom de l'organisation est obligatoire."]
    if organization.kind not in Organization.Kind.values:
        errors["kind"] = ["Choisissez un type d'organisation valide."]
    elif organization.kind == Organization.Kind.BRANCH and organization.branch_id is None:
        errors["branch"] = [
            "Une organisation de type branche professionnelle doit indiquer sa branche."
        ]
    elif organization.kind != Organization.Kind.BRANCH and organization.branch_id is not None:
        errors["branch"] = [
            "Seule une organisation de type branche professionnelle peut être rattachée "
            "à une branche."
        ]
    if (
        organization.commune_id is not None
        and organization.department_id is not None
        and organization.commune.department_id != organization.department_id
    ):
        errors["commune"] = ["Cette commune n'appartient pas au département indiqué."]
    try:
        # Field rules (lengths, URL, SIRET key) live on the model; slug is ours to make.
        organization.full_clean(
            exclude=[*errors, "slug"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _slug_candidates(name: str):
    base = slugify(name)[: SLUG_MAX_LENGTH - 8].strip("-") or "organisation"
    taken = set(Organization.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    suffix = 1
    while True:
        candidate = base if suffix == 1 else f"{base}-{suffix}"
        if candidate not in taken:
            yield candidate
        suffix += 1


def _save_with_unique_slug(organization: Organization) -> None:
    """Insert with the first free slug; on a concurrent insert of the same slug, try the next."""
    for attempt, slug in enumerate(_slug_candidates(organization.name)):
        organization.slug = slug
        try:
            with transaction.atomic():
                organization.save(force_insert=True)
            return
        except IntegrityError:
            if attempt + 1 >= SLUG_ATTEMPTS:
                raise
            organization.pk = None


@transaction.atomic
def organization_create(
    *,
    actor: User,
    name: str,
    kind: str,
    commune=None,
    department=None,
    branch=None,
    siret: str = "",
    website: str = "",
) -> Organization:
    """Create an organization; `actor` becomes its first owner."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied("Vous devez être connecté pour créer une organisation.")
    if commune is not None and department is None:
        department = commune.department
    organization = Organization(
        name=(name or "").strip(),
        kind=kind,
        commune=commune,
        department=department,
        branch=branch,
        siret=normalize_siret(siret),
        website=(website or "").strip(),
    )
    _validate_organization(organization)
    _save_with_unique_slug(organization)
    membership = Membership.objects.create(
        user=actor, organization=organization, role=Membership.Role.OWNER
    )
    audit_log(
        actor=actor,
        action="organization.created",
        target=organization,
        organization=organization,
        data={"name": organization.name, "kind": organization.kind, "slug": organization.slug},
    )
    audit_log(
        actor=actor,
        action="membership.added",
        target=membership,
        organization=organization,
        data={"user": actor.pk, "role": membership.role},
    )
    return organization


# Fields organization_update may change, and how to compare/record them.
_UPDATABLE = ("name", "kind", "commune", "department", "branch", "siret", "website")
_FOREIGN_KEYS = {"commune", "department", "branch"}


def _recorded(organization: Organization, field: str):
    return getattr(organization, f"{field}_id" if field in _FOREIGN_KEYS else field)


@transaction.atomic
def organization_update(
    *,
    actor: User,
    organization: Organization,
    name: str = _UNSET,
    kind: str = _UNSET,
    commune=_UNSET,
    department=_UNSET,
    branch=_UNSET,
    siret: str = _UNSET,
    website: str = _UNSET,
) -> Organization:
    """Change an organization's details (owners and staff only). The slug never changes,
    so shared links keep working after a rename."""
    require(actor, "manage", organization)
    # Lock the row so two editors cannot overwrite each other's half of a change.
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    values = {
        "name": name if name is _UNSET else (name or "").strip(),
        "kind": kind,
        "commune": commune,
        "department": department,
        "branch": branch,
        "siret": siret if siret is _UNSET else normalize_siret(siret),
        "website": website if website is _UNSET else (website or "").strip(),
    }
    if commune not in (_UNSET, None) and department is _UNSET:
        values["department"] = commune.department
    before = {field: _recorded(locked, field) for field in _UPDATABLE}
    for field, value in values.items():
        if value is not _UNSET:
            setattr(locked, field, value)
    changed = [f for f in _UPDATABLE if _recorded(locked, f) != before[f]]
    if not changed:
        return locked
    _validate_organization(locked)
    locked.save(update_fields=[*changed, "updated_at"])
    audit_log(
        actor=actor,
        action="organization.updated",
        target=locked,
        organization=locked,
        data={"changes": {f: [before[f], _recorded(locked, f)] for f in changed}},
    )
    return locked


# --- memberships -----------------------------------------------------------------------


def _check_role(role: str) -> None:
    if role not in Membership.Role.values:
        raise ValidationError(
            {"role": ["Choisissez un rôle valide : propriétaire, éditeur ou lecteur."]}
        )


def _lock_organization(organization: Organization) -> None:
    """Serialize membership changes of one organization, so two concurrent demotions
    cannot both see "another owner remains" and leave none."""
    Organization.objects.select_for_update().filter(pk=organization.pk).first()


@transaction.atomic
def membership_add(*, actor: User, organization: Organization, user: User, role: str) -> Membership:
    require(actor, "manage", organization)
    _check_role(role)
    if not user.is_active:
        raise ValidationError({"user": ["Ce compte est désactivé : il ne peut pas être ajouté."]})
    duplicate = ValidationError({"user": [f"{user} est déjà membre de cette organisation."]})
    if Membership.objects.filter(organization=organization, user=user).exists():
        raise duplicate
    try:
        with transaction.atomic():
            membership = Membership.objects.create(organization=organization, user=user, role=role)
    except IntegrityError:
        raise duplicate from None
    audit_log(
        actor=actor,
        action="membership.added",
        target=membership,
        organization=organization,
        data={"user": user.pk, "role": role},
    )
    return membership


@transaction.atomic
def membership_change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    organization = membership.organization
    require(actor, "manage", organization)
    _check_role(role)
    _lock_organization(organization)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    old_role = membership.role
    if role == old_role:
        return membership
    if membership_is_last_owner(membership):
        raise ValidationError({"role": [LAST_OWNER_MESSAGE]})
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_log(
        actor=actor,
        action="membership.role_changed",
        target=membership,
        organization=organization,
        data={"user": membership.user_id, "from": old_role, "to": role},
    )
    return membership


GONE_MESSAGE = "Vous ne faites plus partie de cette organisation : rechargez la page."
NOTIFICATIONS_MESSAGE = "Choisissez : à chaque fois, un résumé par jour ou aucun e-mail."


@transaction.atomic
def membership_notifications_set(
    *, actor: User, membership: Membership, notifications: str
) -> Membership:
    """A member's own choice: organizer notices at once, in a daily digest, or none."""
    if actor is None or not actor.is_authenticated or membership.user_id != actor.pk:
        raise PermissionDenied("Seul le titulaire du compte choisit ses avis par e-mail.")
    if notifications not in Membership.Notifications.values:
        raise ValidationError({"notifications": [NOTIFICATIONS_MESSAGE]})
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    before = membership.notifications
    if before == notifications:
        return membership
    membership.notifications = notifications
    membership.save(update_fields=["notifications", "updated_at"])
    audit_log(
        actor=actor,
        action="membership.notifications_changed",
        target=membership,
        organization=membership.organization,
        data={"from": before, "to": notifications},
    )
    return membership


@transaction.atomic
def memberships_notifications_set(*, actor: User, choices: dict[int, str]) -> list[Membership]:
    """A member's choices for every organization they belong to (membership id -> choice), in
    one transaction: all saved, or — one choice invalid, one write failing — none.

    A ``ValidationError`` names each wrong choice by its membership id (``{"12": [...]}``)."""
    wrong = {
        str(pk): [NOTIFICATIONS_MESSAGE]
        for pk, value in choices.items()
        if value not in Membership.Notifications.values
    }
    if wrong:
        raise ValidationError(wrong)
    memberships = Membership.objects.in_bulk(list(choices))
    gone = {str(pk): [GONE_MESSAGE] for pk in choices if pk not in memberships}
    if gone:
        raise ValidationError(gone)
    return [
        membership_notifications_set(
            actor=actor, membership=memberships[pk], notifications=choices[pk]
        )
        for pk in sorted(choices)
    ]


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    organization = membership.organization
    require(actor, "manage", organization)
    _lock_organization(organization)
    try:
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
    except Membership.DoesNotExist:
        raise ValidationError(
            "Cette personne ne fait déjà plus partie de l'organisation."
        ) from None
    if membership_is_last_owner(membership):
        raise ValidationError(LAST_OWNER_MESSAGE)
    audit_log(
        actor=actor,
        action="membership.removed",
        target=membership,
        organization=organization,
        data={"user": membership.user_id, "role": membership.role},
    )
    membership.delete()


# --- branch pages ------------------------------------------------------------------------


@transaction.atomic
def branch_page_update(
    *,
    actor,
    branch: Branch,
    title: str,
    message: str,
    audiences: list[str],
    highlighted_trades: list[Trade],
    image: UploadedFile | None = None,
    image_alt: str = "",
    remove_image: bool = False,
) -> BranchPage:
    """Create or update a branch's public page; only its editors (or staff). Audited.

    Here rather than in careers: who speaks for a branch is an organization's matter.
    """
    if not can_edit_branch(actor, branch):
        raise PermissionDenied(CANNOT_EDIT_BRANCH_PAGE)
    title, message, image_alt = title.strip(), message.strip(), image_alt.strip()
    audiences = sorted(set(audiences))
    page = BranchPage.objects.select_for_update().filter(branch=branch).first()
    keeps_image = bool(page and page.image and not remove_image and image is None)
    errors = branch_page_errors(title, message, audiences, image, image_alt)
    if keeps_image and not image_alt:
        errors["image_alt"] = "Décrivez l'image pour les personnes qui ne la voient pas."
    trade_ids = {trade.pk for trade in highlighted_trades}
    if trade_ids and Trade.objects.filter(pk__in=trade_ids, branches=branch).count() != len(
        trade_ids
    ):
        errors["highlighted_trades"] = "Choisissez des métiers de la branche."
    if errors:
        raise ValidationError(errors)
    if page is None:
        page = BranchPage(branch=branch)
    page.title, page.message, page.audiences = title, message, audiences
    page.image_alt = image_alt if (image is not None or keeps_image) else ""
    page.updated_by = actor
    if remove_image or image is not None:
        page.image = None
    if image is not None:
        page.image = image
    page.save()
    page.highlighted_trades.set(sorted(trade_ids))
    organization = branch_organizations(actor, branch).order_by("pk").first()
    audit_log(
        actor=actor,
        action="careers.branch_page_updated",
        target=page,
        organization=organization,
        data={"branch": branch.slug, "audiences": audiences, "trades": sorted(trade_ids)},
    )
    return page
