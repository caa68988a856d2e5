"""Mobilisations, joining one (with a personal tracked link), posts and their metrics."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from vocations.accounts.permissions import require_coordinator
from vocations.ambassadors.models import (
    Ambassador,
    Mobilisation,
    Participation,
    Post,
    PostMetric,
    Theme,
)
from vocations.ambassadors.networks import Network, post_url_error
from vocations.campaigns.models import TrackedLink
from vocations.campaigns.services import tracked_link_create, validate_landing_path
from vocations.core.audiences import Audience
from vocations.core.services import audit_log

MAX_METRIC = 10**12


@dataclass
class MobilisationData:
    title: str
    goal: str
    starts_on: dt.date
    ends_on: dt.date
    event: object = None
    wave: object = None
    campaign: object = None  # for an event: the campaign whose report counts the links
    target_audiences: list[str] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    landing_path: str = ""


def _mobilisation_errors(data: MobilisationData) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = "Indiquez un titre."
    if not data.goal.strip():
        errors["goal"] = "Indiquez l'objectif de la mobilisation."
    if (data.event is None) == (data.wave is None):
        errors["event"] = "Choisissez soit un événement, soit une vague de campagne."
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        errors["ends_on"] = "La fin doit suivre le début."
    unknown = [a for a in data.target_audiences if a not in Audience.values]
    if unknown:
        errors["target_audiences"] = f"Public inconnu : {', '.join(unknown)}."
    if data.wave is not None and data.campaign not in (None, data.wave.campaign):
        errors["campaign"] = "La vague appartient à une autre campagne."
    return errors


@transaction.atomic
def mobilisation_create(*, actor, collective, data: MobilisationData) -> Mobilisation:
    require_coordinator(actor, collective)
    errors = _mobilisation_errors(data)
    if errors:
        raise ValidationError(errors)
    landing = data.landing_path.strip()
    if not landing:
        landing = f"/evenements/{data.event.slug}/" if data.event is not None else "/"
    try:
        validate_landing_path(landing)
    except ValidationError as error:
        raise ValidationError({"landing_path": error.messages}) from None
    mobilisation = Mobilisation.objects.create(
        collective=collective,
        title=data.title.strip()[:200],
        goal=data.goal.strip()[:2000],
        event=data.event,
        wave=data.wave,
        campaign=data.wave.campaign if data.wave is not None else data.campaign,
        target_audiences=[a for a in Audience.values if a in set(data.target_audiences)],
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        landing_path=landing,
        created_by=actor,
    )
    mobilisation.themes.set(data.themes)
    audit_log(
        actor=actor,
        action="ambassadors.mobilisation_created",
        target=mobilisation,
        organization=collective,
        data={
            "event": data.event.pk if data.event else None,
            "wave": data.wave.pk if data.wave else None,
        },
    )
    return mobilisation


def _require_member(actor, ambassador: Ambassador) -> None:
    if not (
        actor is not None
        and actor.is_authenticated
        and ambassador.user_id == actor.pk
        and ambassador.status == Ambassador.Status.ACTIVE
    ):
        raise PermissionDenied("Seul le membre lui-même peut faire cela.")


@transaction.atomic
def mobilisation_join(
    *, actor, ambassador: Ambassador, mobilisation: Mobilisation
) -> Participation:
    """The member opts in and gets their personal tracked link (kind "post", channel influence).

    Idempotent: joining twice returns the same participation and link.
    """
    _require_member(actor, ambassador)
    if mobilisation.collective_id != ambassador.collective_id:
        raise PermissionDenied("Cette mobilisation appartient à un autre collectif.")
    existing = Participation.objects.filter(
        mobilisation=mobilisation, ambassador=ambassador
    ).first()
    if existing is not None:
        return existing
    link = tracked_link_create(
        actor=actor,
        campaign=mobilisation.campaign,
        target_kind=TrackedLink.TargetKind.POST,
        event=mobilisation.event,
        landing_path=mobilisation.landing_path,
        label=f"{mobilisation.title} — {ambassador.display_name}"[:200],
    )
    try:
        with transaction.atomic():
            participation = Participation.objects.create(
                mobilisation=mobilisation, ambassador=ambassador, link=link
            )
    except IntegrityError:  # joined concurrently (double click)
        raise ValidationError("Vous avez déjà rejoint cette mobilisation.") from None
    audit_log(
        actor=actor,
        action="ambassadors.mobilisation_joined",
        target=participation,
        organization=mobilisation.collective,
        data={"link": link.code},
    )
    return participation


@dataclass
class PostData:
    network: str
    url: str
    published_on: dt.date
    theme: Theme | None = None
    mobilisation: Mobilisation | None = None
    text: str = ""


@transaction.atomic
def post_declare(*, actor, ambassador: Ambassador, data: PostData) -> Post:
    """A member declares one of their posts. No approval: it counts at once."""
    _require_member(actor, ambassador)
    errors: dict[str, str] = {}
    url = (data.url or "").strip()
    if data.network == Network.IN_PERSON and not url:
        pass  # a talk at an event has no address
    elif message := post_url_error(data.network, url):
        errors["url"] = message
    if (
        data.mobilisation is not None
        and not Participation.objects.filter(
            mobilisation=data.mobilisation, ambassador=ambassador
        ).exists()
    ):
        errors["mobilisation"] = "Rejoignez d'abord cette mobilisation."
    if len(data.text or "") > 3000:
        errors["text"] = "Texte trop long (3 000 caractères au plus)."
    if url and Post.objects.filter(collective=ambassador.collective, url=url).exists():
        errors["url"] = "Cette publication est déjà déclarée."
    if errors:
        raise ValidationError(errors)
    post = Post.objects.create(
        collective=ambassador.collective,
        ambassador=ambassador,
        mobilisation=data.mobilisation,
        network=data.network,
        url=url,
        theme=data.theme,
        published_on=data.published_on,
        text=(data.text or "").strip(),
        department=ambassador.department,
    )
    audit_log(
        actor=actor,
        action="ambassadors.post_declared",
        target=post,
        organization=ambassador.collective,
        data={"network": data.network},
    )
    return post


def _can_edit_post(actor, post: Post) -> bool:
    return bool(
        actor is not None
        and actor.is_authenticated
        and post.ambassador is not None
        and post.ambassador.user_id == actor.pk
    )


@transaction.atomic
def post_metrics_set(
    *, actor, post: Post, values: dict[str, int], source: str = PostMetric.Source.MANUAL
) -> int:
    """Set a post's figures (the latest cumulative value of each); returns how many changed."""
    if not _can_edit_post(actor, post):
        raise PermissionDenied("Vous ne pouvez saisir les chiffres que de vos publications.")
    changed = _write_metrics(post, values, source)
    if changed:
        audit_log(
            actor=actor,
            action="ambassadors.post_metrics_set",
            target=post,
            organization=post.collective,
            data={"values": values, "source": source},
        )
    return changed


def _write_metrics(post: Post, values: dict[str, int], source: str) -> int:
    """Upsert without auditing (the caller audits once). Raises ValidationError on bad values."""
    for metric, value in values.items():
        if metric not in PostMetric.Metric.values:
            raise ValidationError(f"Indicateur inconnu : {metric}.")
        if not isinstance(value, int) or not 0 <= value <= MAX_METRIC:
            raise ValidationError(f"Valeur invalide pour {metric} : un entier positif.")
    existing = {m.metric: m for m in post.metrics.all()}
    changed = 0
    for metric, value in values.items():
        row = existing.get(metric)
        if row is None:
            PostMetric.objects.create(post=post, metric=metric, value=value, source=source)
            changed += 1
        elif row.value != value:
            row.value, row.source = value, source
            row.save(update_fields=["value", "source", "updated_at"])
            changed += 1
    return changed
