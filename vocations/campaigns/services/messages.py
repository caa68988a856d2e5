"""Branch message variants (déclinaisons): a branch adapts the campaign message to its trades."""

from __future__ import annotations

import dataclasses

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from vocations.accounts.permissions import can, can_edit_branch
from vocations.campaigns.models import (
    BranchMessage,
    BranchMessageAudience,
    Campaign,
    Placement,
    TrackedLink,
)
from vocations.core.audiences import Audience
from vocations.core.images import clean_image
from vocations.core.services import audit_log

CANNOT_EDIT = (
    "Seuls les éditeurs de cette branche professionnelle (ou l'équipe de campagne) peuvent "
    "modifier sa déclinaison du message."
)


def can_edit_branch_message(user, campaign: Campaign, branch) -> bool:
    return can(user, "change", campaign) or can_edit_branch(user, branch)


@dataclasses.dataclass
class BranchMessageData:
    title: str
    text: str
    audiences: list[str] = dataclasses.field(default_factory=list)
    trade_ids: list[int] = dataclasses.field(default_factory=list)
    placement_ids: list[int] = dataclasses.field(default_factory=list)
    image: object = None  # an uploaded file; None keeps the current image
    image_alt: str = ""


def _validate(campaign: Campaign, data: BranchMessageData, *, has_image: bool):
    """Raise every problem at once; return the re-encoded image (None if none was sent)."""
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = "Donnez un titre à la déclinaison."
    elif len(data.title) > 200:
        errors["title"] = "Titre trop long (200 caractères au plus)."
    if not data.text.strip():
        errors["text"] = "Écrivez le message de la branche."
    unknown = set(data.audiences) - set(Audience.values)
    if unknown:
        errors["audiences"] = f"Publics inconnus : {', '.join(sorted(unknown))}."
    image = None
    if data.image is not None:
        try:
            image = clean_image(data.image)
        except ValidationError as error:
            errors["image"] = error.messages[0]
    if (has_image or data.image is not None) and not data.image_alt.strip():
        errors["image_alt"] = "Décrivez le visuel en quelques mots (texte alternatif)."
    foreign = set(data.placement_ids) - set(
        Placement.objects.filter(campaign=campaign, pk__in=data.placement_ids).values_list(
            "pk", flat=True
        )
    )
    if foreign:
        errors["placement_ids"] = "Certains emplacements n'appartiennent pas à cette campagne."
    if errors:
        raise ValidationError(errors)
    return image


def _save_relations(message: BranchMessage, data: BranchMessageData) -> None:
    message.audiences.all().delete()
    BranchMessageAudience.objects.bulk_create(
        BranchMessageAudience(message=message, audience=a) for a in dict.fromkeys(data.audiences)
    )
    message.trades.set(data.trade_ids)
    Placement.objects.filter(branch_message=message).exclude(pk__in=data.placement_ids).update(
        branch_message=None
    )
    Placement.objects.filter(campaign=message.campaign, pk__in=data.placement_ids).update(
        branch_message=message
    )


def _ensure_branch_link(message: BranchMessage, actor) -> None:
    """The message's branch page gets its own tracked link (for the branch's own posts)."""
    from vocations.campaigns.services.links import tracked_link_create

    if not TrackedLink.objects.filter(
        campaign=message.campaign, branch=message.branch, target_kind="branch"
    ).exists():
        tracked_link_create(
            actor=actor,
            campaign=message.campaign,
            target_kind=TrackedLink.TargetKind.BRANCH,
            branch=message.branch,
            label=f"Page de la branche {message.branch.short_name}",
        )


@transaction.atomic
def branch_message_create(
    *, actor, campaign: Campaign, branch, data: BranchMessageData
) -> BranchMessage:
    if not can_edit_branch_message(actor, campaign, branch):
        raise PermissionDenied(CANNOT_EDIT)
    if BranchMessage.objects.filter(campaign=campaign, branch=branch).exists():
        raise ValidationError(
            {"branch": "Cette branche a déjà sa déclinaison pour cette campagne : modifiez-la."}
        )
    image = _validate(campaign, data, has_image=False)
    message = BranchMessage(
        campaign=campaign,
        branch=branch,
        title=data.title.strip(),
        text=data.text.strip(),
        image_alt=data.image_alt.strip(),
    )
    if image is not None:
        message.image = image
    message.save()
    _save_relations(message, data)
    _ensure_branch_link(message, actor)
    audit_log(
        actor=actor,
        action="campaign.branch_message_created",
        target=message,
        organization=campaign.organization,
    )
    return message


@transaction.atomic
def branch_message_update(*, actor, message: BranchMessage, data: BranchMessageData):
    message = BranchMessage.objects.select_for_update().get(pk=message.pk)
    if not can_edit_branch_message(actor, message.campaign, message.branch):
        raise PermissionDenied(CANNOT_EDIT)
    image = _validate(message.campaign, data, has_image=bool(message.image))
    message.title = data.title.strip()
    message.text = data.text.strip()
    message.image_alt = data.image_alt.strip()
    if image is not None:
        message.image = image
    message.save()
    _save_relations(message, data)
    audit_log(
        actor=actor,
        action="campaign.branch_message_updated",
        target=message,
        organization=message.campaign.organization,
    )
    return message
