"""Tracked short links /l/<code>: what a QR code or a post points to.

A link only ever lands on a path of this site (validate_landing_path), so /l/<code> can never
become an open redirect, whatever is stored or typed.
"""

from __future__ import annotations

import secrets
import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from vocations.accounts.permissions import can_edit_branch, require
from vocations.campaigns.models import Campaign, Placement, TrackedLink
from vocations.core.services import audit_log

# No 0/o, 1/l/i: a code copied from a poster by hand must not be misread.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 7
CODE_ATTEMPTS = 8
MAX_PATH_LENGTH = 300
TargetKind = TrackedLink.TargetKind
BAD_PATH = (
    "La page d'arrivée doit être une adresse de ce site commençant par « / », "
    "par exemple /evenements/ (pas d'adresse externe)."
)


def validate_landing_path(path: str) -> str:
    """Return `path` when it is a plain local path, else raise a French ValidationError.

    Refused: full URLs ("https://…", "javascript:…"), protocol-relative ("//host"), backslashes
    (browsers read "/\\host" as "//host"), control characters and spaces (browsers drop tabs
    and newlines, turning "/\\t/host" into "//host"), and the short links themselves (a loop).
    """
    if not isinstance(path, str) or not path:
        raise ValidationError(BAD_PATH, code="bad_landing_path")
    if len(path) > MAX_PATH_LENGTH:
        raise ValidationError(
            "La page d'arrivée est trop longue (300 caractères au plus).", code="bad_landing_path"
        )
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        raise ValidationError(BAD_PATH, code="bad_landing_path")
    for char in path:
        if char.isspace() or unicodedata.category(char)[0] in {"C", "Z"}:
            raise ValidationError(
                "La page d'arrivée contient un caractère invisible ou un espace.",
                code="bad_landing_path",
            )
    if path == "/l" or path.startswith(("/l/", "/l?")):
        raise ValidationError(
            "Un lien suivi ne peut pas mener à un autre lien suivi.", code="bad_landing_path"
        )
    return path


def is_valid_code(code: str) -> bool:
    return (
        isinstance(code, str)
        and len(code) == CODE_LENGTH
        and all(char in CODE_ALPHABET for char in code)
    )


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _default_landing(target_kind: str, *, placement, event, branch) -> str:
    if target_kind == TargetKind.PLACEMENT:
        return placement.landing_path
    if target_kind == TargetKind.EVENT:
        return f"/evenements/{event.slug}/"
    if target_kind == TargetKind.BRANCH:
        return f"/branches/{branch.slug}/"
    raise ValidationError({"landing_path": "Indiquez la page d'arrivée de ce lien."})


def _require_target_permission(actor, *, campaign, target_kind, event, branch) -> None:
    if target_kind == TargetKind.BRANCH and can_edit_branch(actor, branch):
        return  # a branch's editors may link to their own branch page, in any campaign
    if campaign is not None:
        require(actor, "change", campaign)
    elif target_kind == TargetKind.EVENT:
        require(actor, "change", event)
    elif target_kind == TargetKind.BRANCH:
        raise PermissionDenied("Seuls les éditeurs de la branche peuvent créer ce lien.")
    elif not (actor is not None and actor.is_authenticated and actor.is_active):
        # Ambassador posts: the ambassadors app checks who may post; here, signed in at least.
        raise PermissionDenied("Connectez-vous pour créer un lien suivi.")


def _check_target(target_kind, *, campaign, placement, event, branch) -> None:
    targets = {
        TargetKind.PLACEMENT: placement,
        TargetKind.EVENT: event,
        TargetKind.BRANCH: branch,
    }
    if target_kind not in TargetKind.values:
        raise ValidationError({"target_kind": f"Type de lien inconnu ({target_kind})."})
    if target_kind in targets and targets[target_kind] is None:
        raise ValidationError({"target_kind": "Indiquez la cible de ce lien."})
    if placement is not None and campaign is not None and placement.campaign_id != campaign.pk:
        raise ValidationError({"placement": "Cet emplacement appartient à une autre campagne."})


@transaction.atomic
def tracked_link_create(
    *,
    actor,
    campaign: Campaign | None = None,
    target_kind: str,
    placement: Placement | None = None,
    event=None,
    branch=None,
    landing_path: str | None = None,
    label: str = "",
    commune=None,
) -> TrackedLink:
    """A new short link with a fresh 7-character code (retried on the rare collision)."""
    if placement is not None and campaign is None:
        campaign = placement.campaign
    _check_target(target_kind, campaign=campaign, placement=placement, event=event, branch=branch)
    _require_target_permission(
        actor, campaign=campaign, target_kind=target_kind, event=event, branch=branch
    )
    if landing_path in (None, ""):
        landing_path = _default_landing(
            target_kind, placement=placement, event=event, branch=branch
        )
    try:
        validate_landing_path(landing_path)
    except ValidationError as error:
        raise ValidationError({"landing_path": error.messages}) from None
    if len(label) > 200:
        raise ValidationError({"label": "Libellé trop long (200 caractères au plus)."})
    link = TrackedLink(
        campaign=campaign,
        target_kind=target_kind,
        placement=placement,
        event=event,
        branch=branch,
        landing_path=landing_path,
        label=label.strip(),
        commune=commune,
    )
    for _ in range(CODE_ATTEMPTS):
        link.code = new_code()
        try:
            # A savepoint, so a collision leaves the outer transaction usable.
            with transaction.atomic():
                link.save(force_insert=True)
        except IntegrityError:
            link.pk = None
            continue
        break
    else:  # pragma: no cover - 31^7 codes: eight collisions in a row means something is broken
        raise RuntimeError("Could not find a free tracked link code.")
    audit_log(
        actor=actor,
        action="campaign.link_created",
        target=link,
        organization=campaign.organization if campaign else None,
        data={"code": link.code, "target_kind": target_kind, "landing_path": landing_path},
    )
    return link


@transaction.atomic
def placement_links_per_commune(*, actor, placement: Placement, communes) -> list[TrackedLink]:
    """One link per commune for a placement (e.g. one QR code per city of a billboard wave).

    Idempotent: a commune that already has an active link for this placement keeps it.
    """
    require(actor, "change", placement.campaign)
    existing = {
        link.commune_id: link
        for link in placement.links.filter(is_active=True, commune__isnull=False)
    }
    links = []
    for commune in communes:
        link = existing.get(commune.pk)
        if link is None:
            link = tracked_link_create(
                actor=actor,
                campaign=placement.campaign,
                target_kind=TargetKind.PLACEMENT,
                placement=placement,
                label=f"{placement.name} — {commune.name}"[:200],
                commune=commune,
            )
            existing[commune.pk] = link
        links.append(link)
    return links


@transaction.atomic
def tracked_link_set_active(*, actor, link: TrackedLink, is_active: bool) -> TrackedLink:
    """Deactivate (or reactivate) a link; a deactivated code stops redirecting."""
    if link.campaign is not None:
        require(actor, "change", link.campaign)
    elif link.event is not None:
        require(actor, "change", link.event)
    elif not (actor is not None and actor.is_authenticated and actor.is_staff):
        raise PermissionDenied("Seule l'équipe de campagne peut modifier ce lien.")
    link.is_active = is_active
    link.save(update_fields=["is_active", "updated_at"])
    audit_log(
        actor=actor,
        action="campaign.link_activated" if is_active else "campaign.link_deactivated",
        target=link,
        organization=link.campaign.organization if link.campaign else None,
    )
    return link
