"""Members: invitations and requests to join, joining, profile and networks, themes, erasure.

Every write is keyword-only, atomic and audited. A member edits only their own profile; a
coordinator (vocations.accounts.permissions.can_coordinate) invites, accepts and edits themes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from vocations.accounts.models import Organization, User
from vocations.accounts.permissions import COLLECTIVE_KIND, require_coordinator
from vocations.ambassadors.models import (
    Ambassador,
    AmbassadorNetwork,
    Invitation,
    Post,
    Theme,
)
from vocations.ambassadors.networks import PROFILE_NETWORKS, default_audiences
from vocations.core.audiences import Audience
from vocations.core.services import audit_log

MAX_AUDIENCE_SIZE = 500_000_000
NETWORK_VALUES = {value for value, _ in PROFILE_NETWORKS}
ERASED_NAME = "Membre parti"


def _check_collective(collective: Organization) -> None:
    if collective.kind != COLLECTIVE_KIND:
        raise ValidationError("Cette organisation n'est pas un collectif.")


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Adresse e-mail invalide."}) from None
    return email


def _new_invitation(**fields) -> Invitation:
    try:
        with transaction.atomic():
            return Invitation.objects.create(token=secrets.token_urlsafe(32), **fields)
    except IntegrityError:
        raise ValidationError(
            {"email": "Une invitation ou une demande est déjà en attente pour cette adresse."}
        ) from None


def _is_member(collective: Organization, email: str) -> bool:
    return Ambassador.objects.filter(
        collective=collective, user__email=email, status=Ambassador.Status.ACTIVE
    ).exists()


@transaction.atomic
def invitation_create(
    *,
    actor,
    collective: Organization,
    email: str,
    full_name: str = "",
    message: str = "",
    workshop=None,
) -> Invitation:
    """A coordinator invites someone; the link to join goes by e-mail (see the view)."""
    _check_collective(collective)
    require_coordinator(actor, collective)
    email = _clean_email(email)
    if _is_member(collective, email):
        raise ValidationError({"email": "Cette personne est déjà membre du collectif."})
    invitation = _new_invitation(
        collective=collective,
        kind=Invitation.Kind.INVITATION,
        status=Invitation.Status.ACCEPTED,  # invited: only the person's "yes" is missing
        email=email,
        full_name=full_name.strip()[:150],
        message=message.strip()[:1000],
        invited_by=actor,
        workshop=workshop,
        decided_at=timezone.now(),
    )
    audit_log(
        actor=actor,
        action="ambassadors.invited",
        target=invitation,
        organization=collective,
        data={"workshop": workshop.pk if workshop else None},
    )
    return invitation


@transaction.atomic
def join_request_create(
    *, collective: Organization, email: str, full_name: str, department=None, message: str = ""
) -> Invitation:
    """Someone asks to join from the public page; a coordinator accepts or declines."""
    _check_collective(collective)
    email = _clean_email(email)
    if not full_name.strip():
        raise ValidationError({"full_name": "Indiquez votre nom."})
    if _is_member(collective, email):
        raise ValidationError({"email": "Cette adresse est déjà celle d'un membre du collectif."})
    invitation = _new_invitation(
        collective=collective,
        kind=Invitation.Kind.REQUEST,
        email=email,
        full_name=full_name.strip()[:150],
        department=department,
        message=message.strip()[:1000],
    )
    audit_log(action="ambassadors.join_requested", target=invitation, organization=collective)
    return invitation


@transaction.atomic
def join_request_decide(*, actor, invitation: Invitation, accept: bool) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    require_coordinator(actor, invitation.collective)
    if invitation.kind != Invitation.Kind.REQUEST or invitation.status != Invitation.Status.PENDING:
        raise ValidationError("Cette demande a déjà été traitée.")
    invitation.status = Invitation.Status.ACCEPTED if accept else Invitation.Status.DECLINED
    invitation.decided_at = timezone.now()
    invitation.invited_by = actor
    if not accept:
        # A declined request keeps no personal data (the public form promises it).
        invitation.email = f"refusee-{invitation.pk}@invalid.invalid"
        invitation.full_name = invitation.message = ""
    invitation.save(
        update_fields=[
            "status",
            "decided_at",
            "invited_by",
            "email",
            "full_name",
            "message",
            "updated_at",
        ]
    )
    audit_log(
        actor=actor,
        action="ambassadors.request_accepted" if accept else "ambassadors.request_declined",
        target=invitation,
        organization=invitation.collective,
    )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """An accepted invitation not used yet, or None (unknown, used, declined, pending)."""
    if not token or len(token) > 43:
        return None
    return (
        Invitation.objects.select_related("collective", "department")
        .filter(token=token, status=Invitation.Status.ACCEPTED)
        .first()
    )


@transaction.atomic
def invitation_join(
    *, invitation: Invitation, user=None, password: str = "", consent: bool
) -> Ambassador:
    """The invited person says yes: an account (or their signed-in one) becomes a member.

    ``consent`` (the charter and the processing of the profile) is required.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.ACCEPTED:
        raise ValidationError("Ce lien d'invitation a déjà servi ou n'est pas valide.")
    if not consent:
        raise ValidationError({"consent": "Acceptez la charte du collectif pour le rejoindre."})
    if user is not None and user.is_authenticated and user.email.lower() != invitation.email:
        raise ValidationError(
            f"Cette invitation est adressée à {invitation.email} : déconnectez-vous, ou "
            "connectez-vous avec cette adresse, puis rouvrez le lien."
        )
    if user is None or not user.is_authenticated:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                "Un compte existe déjà pour cette adresse : connectez-vous puis rouvrez ce lien."
            )
        if len(password) < 10:
            raise ValidationError(
                {"password": "Choisissez un mot de passe de 10 caractères au moins."}
            )
        user = User.objects.create_user(
            email=invitation.email, password=password, full_name=invitation.full_name
        )
    if Ambassador.objects.filter(
        collective=invitation.collective, user=user, status=Ambassador.Status.ACTIVE
    ).exists():
        raise ValidationError("Vous êtes déjà membre de ce collectif.")
    ambassador = Ambassador.objects.create(
        collective=invitation.collective,
        user=user,
        display_name=(invitation.full_name or user.full_name or user.email.split("@")[0])[:150],
        department=invitation.department,
        consent_at=timezone.now(),
    )
    invitation.status = Invitation.Status.JOINED
    invitation.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=user,
        action="ambassadors.joined",
        target=ambassador,
        organization=invitation.collective,
        data={"invitation": invitation.pk},
    )
    return ambassador


@dataclass
class ProfileData:
    display_name: str
    role: str = ""
    company: str = ""
    sector: object = None
    department: object = None
    generation: str = ""
    bio: str = ""
    is_public: bool = False
    themes: list = field(default_factory=list)


def _require_self(actor, ambassador: Ambassador) -> None:
    if not (
        actor is not None
        and actor.is_authenticated
        and ambassador.user_id == actor.pk
        and ambassador.status == Ambassador.Status.ACTIVE
    ):
        raise PermissionDenied("Vous ne pouvez modifier que votre propre profil.")


@transaction.atomic
def ambassador_update_profile(*, actor, ambassador: Ambassador, data: ProfileData) -> Ambassador:
    _require_self(actor, ambassador)
    if not data.display_name.strip():
        raise ValidationError({"display_name": "Indiquez le nom à afficher."})
    ambassador.display_name = data.display_name.strip()[:150]
    ambassador.role = data.role.strip()[:150]
    ambassador.company = data.company.strip()[:200]
    ambassador.sector = data.sector
    ambassador.department = data.department
    ambassador.generation = data.generation
    ambassador.bio = data.bio.strip()[:300]
    ambassador.is_public = bool(data.is_public)
    ambassador.save()
    ambassador.themes.set(data.themes)
    audit_log(
        actor=actor,
        action="ambassadors.profile_updated",
        target=ambassador,
        organization=ambassador.collective,
        data={"is_public": ambassador.is_public},
    )
    return ambassador


@transaction.atomic
def ambassador_network_set(
    *,
    actor,
    ambassador: Ambassador,
    network: str,
    handle: str = "",
    audience_size: int = 0,
    audiences: list[str] | None = None,
) -> AmbassadorNetwork:
    """Add or update one of the member's accounts. ``audiences`` None: the network's defaults."""
    _require_self(actor, ambassador)
    if network not in NETWORK_VALUES:
        raise ValidationError({"network": "Réseau inconnu."})
    try:
        audience_size = int(audience_size)
    except (TypeError, ValueError):
        raise ValidationError({"audience_size": "L'audience doit être un nombre entier."}) from None
    if not 0 <= audience_size <= MAX_AUDIENCE_SIZE:
        raise ValidationError({"audience_size": "Audience déclarée hors limites (0 ou plus)."})
    if audiences is None:
        audiences = default_audiences(network)
    unknown = [a for a in audiences if a not in Audience.values]
    if unknown:
        raise ValidationError({"audiences": f"Public inconnu : {', '.join(unknown)}."})
    row, created = AmbassadorNetwork.objects.update_or_create(
        ambassador=ambassador,
        network=network,
        defaults={
            "handle": handle.strip()[:200],
            "audience_size": audience_size,
            # Stored in the vocabulary's order, so comparisons and displays are stable.
            "audiences": [a for a in Audience.values if a in set(audiences)],
        },
    )
    audit_log(
        actor=actor,
        action="ambassadors.network_added" if created else "ambassadors.network_updated",
        target=row,
        organization=ambassador.collective,
        data={"network": network, "audience_size": audience_size},
    )
    return row


@transaction.atomic
def ambassador_network_delete(*, actor, network: AmbassadorNetwork) -> None:
    _require_self(actor, network.ambassador)
    audit_log(
        actor=actor,
        action="ambassadors.network_deleted",
        target=network,
        organization=network.ambassador.collective,
        data={"network": network.network},
    )
    network.delete()


@transaction.atomic
def ambassador_erase(*, actor, ambassador: Ambassador) -> Ambassador:
    """The member leaves and their personal data goes: name, profile, handles, post URLs and
    texts, the link to their account. Their posts stay, anonymised, so the collective's counts
    (posts, reported metrics, visits and registrations through their links) do not change.
    The member themself or a coordinator may do it."""
    from vocations.accounts.permissions import can_coordinate

    if not (
        (actor is not None and actor.is_authenticated and ambassador.user_id == actor.pk)
        or can_coordinate(actor, ambassador.collective)
    ):
        raise PermissionDenied("Seul le membre ou un coordinateur peut effacer ce profil.")
    ambassador = Ambassador.objects.select_for_update().get(pk=ambassador.pk)
    Post.objects.filter(ambassador=ambassador).update(url="", text="", ambassador=None)
    ambassador.networks.all().delete()
    ambassador.themes.clear()
    user_id = ambassador.user_id
    Invitation.objects.filter(
        collective=ambassador.collective, email__in=User.objects.filter(pk=user_id).values("email")
    ).update(email=f"efface-{ambassador.pk}@invalid.invalid", full_name="", message="")
    user = User.objects.filter(pk=user_id).first()
    if user is not None and not user.is_staff and not user.memberships.exists():
        # The account existed only to be a member: it goes too (anonymised, so the audit trail
        # keeps its rows; the e-mail address is no longer stored anywhere).
        user.email = f"efface-{user.pk}@invalid.invalid"
        user.full_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["email", "full_name", "is_active", "password"])
    ambassador.user = None
    ambassador.display_name = ERASED_NAME
    ambassador.role = ambassador.company = ambassador.bio = ""
    ambassador.sector = None
    ambassador.generation = ""
    ambassador.is_public = False
    ambassador.status = Ambassador.Status.LEFT
    ambassador.left_at = timezone.now()
    ambassador.save()
    audit_log(
        actor=actor,
        action="ambassadors.erased",
        target=ambassador,
        organization=ambassador.collective,
    )
    return ambassador


@transaction.atomic
def theme_save(
    *,
    actor,
    collective: Organization,
    theme: Theme | None = None,
    name: str,
    description: str = "",
    is_active: bool = True,
) -> Theme:
    """Create or edit a theme (coordinators only)."""
    from django.utils.text import slugify

    require_coordinator(actor, collective)
    name = name.strip()
    if not name or len(name) > 160:
        raise ValidationError({"name": "Indiquez le nom du thème (160 caractères au plus)."})
    if theme is None:
        base = slugify(name)[:50] or "theme"
        slug, n = base, 2
        while Theme.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        theme = Theme(slug=slug, collective=collective, position=Theme.objects.count() + 1)
    theme.name = name
    theme.description = description.strip()[:2000]
    theme.is_active = is_active
    theme.save()
    audit_log(actor=actor, action="ambassadors.theme_saved", target=theme, organization=collective)
    return theme
