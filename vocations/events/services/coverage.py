"""Press coverage and outcome facts of an event, recorded by its organizer after it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from vocations.accounts.permissions import require
from vocations.core.services import audit_log
from vocations.events.models import Event, EventOutcomeFacts, MediaArticle

# Coverage is published around the event: a year either side is certainly a typo.
COVERAGE_MARGIN = dt.timedelta(days=366)


def _clean(value: str | None, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


@transaction.atomic
def media_article_create(
    *,
    actor,
    event: Event,
    outlet: str,
    published_on: dt.date | None,
    url: str = "",
    title: str = "",
    reach: int | None = None,
) -> MediaArticle:
    require(actor, "change", event)
    errors: dict[str, list[str]] = {}
    outlet, title, url = _clean(outlet, 150), _clean(title, 300), (url or "").strip()
    if not outlet:
        errors["outlet"] = ["Indiquez le média (journal, radio, site…)."]
    if published_on is None:
        errors["published_on"] = ["Indiquez la date de parution."]
    else:
        start = event.starts_at.date() - COVERAGE_MARGIN
        end = event.ends_at.date() + COVERAGE_MARGIN
        if not start <= published_on <= end:
            errors["published_on"] = [
                "La date de parution doit être dans l'année qui précède ou qui suit l'événement."
            ]
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = ["Indiquez une adresse web complète (https://…)."]
        if len(url) > 500:
            errors["url"] = ["Cette adresse est trop longue (500 caractères au plus)."]
    if reach is not None and reach < 0:
        errors["reach"] = ["L'audience ne peut pas être négative."]
    if errors:
        raise ValidationError(errors)
    article = MediaArticle.objects.create(
        event=event,
        outlet=outlet,
        published_on=published_on,
        url=url,
        title=title,
        reach=reach,
        created_by=actor,
    )
    audit_log(
        actor=actor, action="media_article.created", target=article, organization=event.organization
    )
    return article


@transaction.atomic
def media_article_delete(*, actor, article: MediaArticle) -> None:
    event = article.event
    require(actor, "change", event)
    audit_log(
        actor=actor,
        action="media_article.deleted",
        target=article,
        organization=event.organization,
        data={"outlet": article.outlet, "published_on": article.published_on.isoformat()},
    )
    article.delete()


@transaction.atomic
def outcome_facts_update(
    *, actor, event: Event, vip_count: int | None, vip_note: str = ""
) -> EventOutcomeFacts:
    require(actor, "change", event)
    if vip_count is not None and vip_count < 0:
        raise ValidationError({"vip_count": ["Le nombre ne peut pas être négatif."]})
    facts, _ = EventOutcomeFacts.objects.select_for_update().get_or_create(event=event)
    facts.vip_count = vip_count
    facts.vip_note = _clean(vip_note, 300)
    facts.save(update_fields=["vip_count", "vip_note", "updated_at"])
    audit_log(
        actor=actor,
        action="outcome_facts.updated",
        target=facts,
        organization=event.organization,
        data={"vip_count": vip_count},
    )
    return facts
