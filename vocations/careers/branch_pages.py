"""Branch pages (déclinaison de branche): the reads and the validation.

Who may edit a page and the write itself need organizations, a domain matter: they are in
`vocations.accounts.permissions` (`can_edit_branch`, `editable_branches`) and
`vocations.accounts.services` (`branch_page_update`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet

from vocations.core.audiences import Audience
from vocations.core.images import clean_image

from .models import Branch, BranchPage, Sector, Trade

TITLE_MAX = 160
MESSAGE_MAX = 3000
IMAGE_MAX_BYTES = 2 * 1024 * 1024
# The press is no audience of a branch's message.
PAGE_AUDIENCES = [choice for choice in Audience.choices if choice[0] != Audience.PRESS]
DEFAULT_TITLE = "Avec l'industrie, on a un avenir à fabriquer"
DEFAULT_MESSAGE = (
    "Les entreprises de la branche {name} recrutent partout en France, avec ou sans diplôme, "
    "en apprentissage comme en reconversion. Découvrez leurs métiers et venez les rencontrer "
    "lors d'un événement près de chez vous."
)


def branch_list_public() -> QuerySet[Branch]:
    """Branches with their sectors and trade count (two queries)."""
    return (
        Branch.objects.annotate(trade_count=Count("trades", distinct=True))
        .prefetch_related(Prefetch("sectors", queryset=Sector.objects.order_by("name")))
        .order_by("short_name")
    )


def branch_detail_public(slug: str) -> Branch | None:
    """A branch with its sectors and its page (with highlighted trades), or None."""
    return (
        Branch.objects.select_related("page")
        .prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.order_by("name")),
            Prefetch(
                "page__highlighted_trades",
                queryset=Trade.objects.prefetch_related("qualification_levels").order_by("title"),
            ),
        )
        .filter(slug=slug)
        .first()
    )


def branch_page_or_none(branch: Branch) -> BranchPage | None:
    try:
        return branch.page
    except BranchPage.DoesNotExist:
        return None


def branch_page_errors(
    title: str, message: str, audiences: list[str], image, image_alt: str
) -> dict[str, str]:
    """The French error of each field of a branch page (empty when all is well)."""
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "Indiquez un titre."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Le titre dépasse {TITLE_MAX} caractères."
    if not message:
        errors["message"] = "Écrivez le message de la branche."
    elif len(message) > MESSAGE_MAX:
        errors["message"] = f"Le message dépasse {MESSAGE_MAX} caractères."
    known = {code for code, _ in PAGE_AUDIENCES}
    if any(audience not in known for audience in audiences):
        errors["audiences"] = "Public inconnu."
    if image is not None:
        try:
            clean_image(image, max_bytes=IMAGE_MAX_BYTES)
        except ValidationError as error:
            errors["image"] = error.messages[0]
    if image is not None and not image_alt:
        errors["image_alt"] = "Décrivez l'image pour les personnes qui ne la voient pas."
    return errors


def branch_trades(branch: Branch) -> QuerySet[Trade]:
    """The branch's trades, featured first, then by title."""
    return (
        Trade.objects.filter(branches=branch)
        .prefetch_related("qualification_levels")
        .order_by("-is_featured", "title")
    )


def branch_events_filter(branch: Branch) -> Q:
    """Events whose trades or sectors belong to the branch."""
    return Q(trades__branches=branch) | Q(sectors__branches=branch)
