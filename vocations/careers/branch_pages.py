"""Branch pages (déclinaison de branche): who may edit them, the reads and the one write."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet

from vocations.core.audiences import Audience
from vocations.core.images import clean_image
from vocations.core.permissions import organizations_for
from vocations.core.services import audit_log

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
CANNOT_EDIT = "Vous n'avez pas le droit de modifier la page de cette branche."


def branch_organizations(user, branch: Branch):
    from vocations.accounts.models import Organization

    return organizations_for(user, action="change").filter(
        kind=Organization.Kind.BRANCH, branch=branch
    )


def can_edit_branch_page(user, branch: Branch) -> bool:
    """Staff, or an editor/owner of an organization of kind branch speaking for this branch."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    return user.is_staff or branch_organizations(user, branch).exists()


def editable_branches(user) -> QuerySet[Branch]:
    from vocations.accounts.models import Organization

    if not (user is not None and user.is_authenticated and user.is_active):
        return Branch.objects.none()
    if user.is_staff:
        return Branch.objects.order_by("short_name")
    allowed = organizations_for(user, action="change").filter(kind=Organization.Kind.BRANCH)
    return Branch.objects.filter(pk__in=allowed.values("branch")).order_by("short_name")


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


def _check(title: str, message: str, audiences: list[str], image, image_alt: str) -> dict:
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
    """Create or update a branch's page; only its editors (or staff). Audited."""
    if not can_edit_branch_page(actor, branch):
        raise PermissionDenied(CANNOT_EDIT)
    title, message, image_alt = title.strip(), message.strip(), image_alt.strip()
    audiences = sorted(set(audiences))
    page = BranchPage.objects.select_for_update().filter(branch=branch).first()
    keeps_image = bool(page and page.image and not remove_image and image is None)
    errors = _check(title, message, audiences, image, image_alt)
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
