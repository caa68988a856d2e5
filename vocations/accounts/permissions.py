"""Object-level permissions: the one place that decides who may see or change what.

Every object that belongs to an organization is reached through the organization's
memberships (the pretix "teams" / django-scopes idea). Views, API endpoints and tasks
never filter by organization themselves: they call this module.

Roles and actions::

    viewer -> view
    editor -> view, change
    owner  -> view, change, manage   (manage = members and the organization's settings)
    staff  -> everything, everywhere (the campaign team)
    anonymous or inactive -> nothing

Example::

    from vocations.accounts.permissions import can, require, scope_queryset

    # A list: one query, only what the user may see.
    events = scope_queryset(request.user, Event.objects.all(), action="view")

    # Through a related model, by field path.
    sessions = scope_queryset(
        request.user, Session.objects.all(), action="change",
        organization_field="event__organization",
    )

    # One object: a boolean for templates, or an exception for views.
    if can(request.user, "change", event):
        ...
    require(request.user, "manage", organization)  # raises PermissionDenied

    # Branches: an editor/owner of an organization of kind "branch" speaks for its branch.
    if can_edit_branch(request.user, branch):
        ...

Views and endpoints do not call these directly: the gate (`accounts/gate.py`) checks the
action a view declares against `RULES` at the end of this module, the role × kind × action
table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, get_args

from django.core.exceptions import PermissionDenied
from django.db import models

from vocations.accounts.models import Membership, Organization

if TYPE_CHECKING:
    from vocations.careers.models import Branch

Action = Literal["view", "change", "manage"]
ACTIONS: tuple[str, ...] = get_args(Action)

# Which membership roles grant each action.
ROLES_FOR_ACTION: dict[str, tuple[str, ...]] = {
    "view": ("owner", "editor", "viewer"),
    "change": ("owner", "editor"),
    "manage": ("owner",),
}

DENIED_MESSAGES: dict[str, str] = {
    "signed_in": "Connectez-vous pour accéder à cette page.",
    "staff": "Cette page est réservée à l'équipe de campagne.",
    "review": "Cette page est réservée à l'équipe de campagne.",
    "adapt": "Cette déclinaison est modifiable par sa branche seulement.",
    "coordinate": "Seuls les coordinateurs du collectif peuvent effectuer cette action.",
    "view": "Vous n'avez pas accès aux données de cette organisation.",
    "change": "Vous n'avez pas le droit de modifier les données de cette organisation.",
    "manage": "Seul un propriétaire de l'organisation peut effectuer cette action.",
}


def _roles(action: str) -> tuple[str, ...]:
    try:
        return ROLES_FOR_ACTION[action]
    except KeyError:
        raise ValueError(f"Unknown action {action!r}; expected one of {ACTIONS}.") from None


def _is_signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _is_staff(user) -> bool:
    return _is_signed_in(user) and user.is_staff


def organizations_for(user, *, action: Action) -> models.QuerySet[Organization]:
    """The organizations on which `user` may perform `action`."""
    roles = _roles(action)
    if not _is_signed_in(user):
        return Organization.objects.none()
    if user.is_staff:
        return Organization.objects.all()
    # (user, organization) is unique in Membership, so this join yields no duplicates.
    return Organization.objects.filter(memberships__user=user, memberships__role__in=roles)


def _path_is_multivalued(model: type[models.Model], path: str) -> bool:
    """True when following `path` from `model` may reach several rows (reverse FK, M2M)."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def scope_queryset(
    user,
    queryset: models.QuerySet,
    *,
    action: Action,
    organization_field: str = "organization",
) -> models.QuerySet:
    """Restrict `queryset` to the rows whose organization lets `user` perform `action`.

    `organization_field` is the field path from the queryset's model to Organization
    ("organization", "event__organization"…). A queryset of Organization itself needs none.
    The result stays lazy and costs no extra query: the organizations become a subquery.
    """
    _roles(action)
    if not _is_signed_in(user):
        return queryset.none()
    if user.is_staff:
        return queryset
    allowed = organizations_for(user, action=action).values("pk")
    if queryset.model is Organization:
        return queryset.filter(pk__in=allowed)
    if _path_is_multivalued(queryset.model, organization_field):
        # A join through a to-many relation would repeat rows: filter by primary key instead.
        matching = queryset.model._default_manager.filter(
            **{f"{organization_field}__in": allowed}
        ).values("pk")
        return queryset.filter(pk__in=matching)
    return queryset.filter(**{f"{organization_field}__in": allowed})


def _organization_id_of(obj: models.Model, organization_field: str):
    """Follow a single-valued field path on an instance; the last hop reads the FK id only."""
    if isinstance(obj, Organization):
        return obj.pk
    if _path_is_multivalued(type(obj), organization_field):
        raise ValueError(
            f"can() needs a single-valued path, {organization_field!r} is not; "
            "use scope_queryset() instead."
        )
    *hops, last = organization_field.split("__")
    current = obj
    for name in hops:
        current = getattr(current, name)
        if current is None:
            return None
    field = current._meta.get_field(last)
    if field.related_model is not Organization or not field.concrete:
        raise ValueError(f"{organization_field!r} does not end on a ForeignKey to Organization.")
    return getattr(current, field.attname)


def can(
    user,
    action: Action,
    obj_or_organization: models.Model,
    *,
    organization_field: str = "organization",
) -> bool:
    """May `user` perform `action` on this object (or on this organization)?

    Costs at most one query (none for staff and anonymous users); related objects on the
    path are read from the instance, so select_related them for lists.
    """
    roles = _roles(action)
    if not _is_signed_in(user):
        return False
    if user.is_staff:
        return True
    organization_id = _organization_id_of(obj_or_organization, organization_field)
    if organization_id is None:
        return False
    return Membership.objects.filter(
        user=user, organization_id=organization_id, role__in=roles
    ).exists()


def require(
    user,
    action: Action,
    obj_or_organization: models.Model,
    *,
    organization_field: str = "organization",
) -> None:
    """Like can(), but raise PermissionDenied with a French message when refused."""
    if not can(user, action, obj_or_organization, organization_field=organization_field):
        raise PermissionDenied(DENIED_MESSAGES[action])


# --- branches: the one branch-editor rule --------------------------------------------------


def branch_organizations(user, branch: Branch) -> models.QuerySet[Organization]:
    """The organizations of kind "branch" speaking for `branch` that `user` may change."""
    return organizations_for(user, action="change").filter(
        kind=Organization.Kind.BRANCH, branch=branch
    )


def can_edit_branch(user, branch: Branch) -> bool:
    """Staff, or an editor/owner of an organization of kind "branch" speaking for this branch.

    What such an editor may write: the branch's public page and its variants of every
    campaign's message (déclinaisons).
    """
    if not _is_signed_in(user):
        return False
    return user.is_staff or branch_organizations(user, branch).exists()


def editable_branches(user):
    """The branches `user` may speak for (every branch for staff), by short name."""
    from vocations.careers.models import Branch

    if not _is_signed_in(user):
        return Branch.objects.none()
    if user.is_staff:
        return Branch.objects.order_by("short_name")
    allowed = organizations_for(user, action="change").filter(kind=Organization.Kind.BRANCH)
    return Branch.objects.filter(pk__in=allowed.values("branch")).order_by("short_name")


# --- collectives (vocations/ambassadors) ------------------------------------------------------
#
# A collective is an Organization of kind "collective". Its coordinators are its owners and
# editors: they invite and accept members, run mobilisations and see the collective's figures
# (they never approve posts). Its viewers and its members (ambassadors, who need no membership)
# see only what the ambassadors selectors give them: their own profile, posts and figures.
# Campaign staff see every collective.

COLLECTIVE_KIND = "collective"
NOT_COORDINATOR = "Seuls les coordinateurs du collectif peuvent effectuer cette action."


def collectives_coordinated_by(user) -> models.QuerySet[Organization]:
    """The collectives `user` coordinates (every collective for campaign staff)."""
    return organizations_for(user, action="change").filter(kind=COLLECTIVE_KIND)


def can_coordinate(user, collective: Organization) -> bool:
    """Is `user` a coordinator of this collective (or campaign staff)?"""
    if collective is None or getattr(collective, "kind", None) != COLLECTIVE_KIND:
        return False
    return can(user, "change", collective)


def require_coordinator(user, collective: Organization) -> None:
    if not can_coordinate(user, collective):
        raise PermissionDenied(NOT_COORDINATOR)


# --- the rule table the gate checks (accounts/gate.py) ---------------------------------------
#
# (object kind, action) -> rule(user, obj). The gate has already resolved obj through a scoped
# selector (what the user may *see*: anything else was a 404), so a rule only says whether the
# user's role allows the action on it (else 403). A gate naming a pair missing here fails at
# import. Kinds whose selector is the whole rule (a member's own profile, the territories a
# user may see) say so with `_found`. Kind None: a page with no object.

Rule = Callable[[Any, Any], bool]


def _role(action: Action, organization_field: str = "organization") -> Rule:
    def rule(user, obj) -> bool:
        return can(user, action, obj, organization_field=organization_field)

    rule.__doc__ = f"A {action!r} role in the organization ({organization_field})."
    return rule


def _found(user, obj) -> bool:
    """Found through a scoped selector that already encodes the rule."""
    return True


def _signed_in(user, obj) -> bool:
    return _is_signed_in(user)


def _staff(user, obj) -> bool:
    return _is_staff(user)


def _adapt_message(user, campaign) -> bool:
    """See a campaign's branch variants: its organization's members, or any branch editor."""
    return can(user, "view", campaign) or editable_branches(user).exists()


def _change_branch_message(user, message) -> bool:
    """A variant is changed by the campaign's editors or by its own branch's editors."""
    return can(user, "change", message.campaign) or can_edit_branch(user, message.branch)


RULES: dict[tuple[str | None, str], Rule] = {
    (None, "signed_in"): _signed_in,
    (None, "staff"): _staff,
    # An event: its organization's roles; the label review is the campaign team's.
    ("event", "view"): _role("view"),
    ("event", "change"): _role("change"),
    ("event", "review"): _staff,
    # A campaign: its organization's roles (the campaign team); branch editors adapt its
    # message on the variants screens only.
    ("campaign", "view"): _role("view"),
    ("campaign", "change"): _role("change"),
    ("campaign", "adapt"): _adapt_message,
    ("branch_message", "adapt"): _change_branch_message,
    # A collective of ambassadors: its coordinators (owners and editors).
    ("collective", "coordinate"): can_coordinate,
    # A branch's public page: the editors of an organization speaking for it.
    ("branch", "change"): can_edit_branch,
    # Found by scoped selectors that are the rule: a member's own space, the territory view,
    # the organizations where one may create an event or a campaign.
    ("member", "view"): _found,
    ("member", "change"): _found,
    ("territory", "view"): _found,
    ("organizations", "change"): _found,
    ("campaigns", "view"): _found,
    # An organization's API tokens and webhooks: its owners.
    ("organization", "manage"): _role("manage"),
    ("managed_organizations", "view"): _found,
    # One's own memberships (e-mail notice settings).
    ("memberships", "change"): _found,
}


def allowed(user, kind: str | None, action: str, obj: Any = None) -> bool:
    """May `user` perform `action` on `obj` of this kind? (The gate's one question.)"""
    try:
        rule = RULES[(kind, action)]
    except KeyError:
        raise ValueError(f"No rule for ({kind!r}, {action!r}).") from None
    return _is_signed_in(user) and rule(user, obj)
