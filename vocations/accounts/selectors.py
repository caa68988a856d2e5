"""Reads for organizations and memberships (joins and ordering live here)."""

from __future__ import annotations

from django.db import models
from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When

from vocations.accounts.permissions import organizations_for

from .models import Membership, Organization

# Owners first, then editors, then viewers: the order people expect in a member list.
_ROLE_ORDER = Case(
    When(role=Membership.Role.OWNER, then=Value(0)),
    When(role=Membership.Role.EDITOR, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def organization_list_for_user(user) -> models.QuerySet[Organization]:
    """Organizations the user may view, with `user_role` annotated (None for staff who are
    not members). One query."""
    queryset = organizations_for(user, action="view")
    if not (user is not None and user.is_authenticated):
        return queryset
    role = Membership.objects.filter(organization=OuterRef("pk"), user=user).values("role")[:1]
    return (
        queryset.select_related("commune", "department", "branch")
        .annotate(user_role=Subquery(role))
        .order_by("name", "pk")
    )


def membership_list(organization: Organization) -> models.QuerySet[Membership]:
    """Members of one organization with their user, owners first. One query.

    The caller checks the permission first (require(user, "view", organization)).
    """
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .annotate(role_order=_ROLE_ORDER)
        .order_by("role_order", "user__email")
    )


def user_roles(user) -> dict[int, str]:
    """{organization id: role} for every organization the user belongs to. One query."""
    if user is None or not user.is_authenticated:
        return {}
    return dict(Membership.objects.filter(user=user).values_list("organization_id", "role"))


def membership_is_last_owner(membership: Membership) -> bool:
    """True if removing or demoting this membership would leave its organization ownerless."""
    if membership.role != Membership.Role.OWNER:
        return False
    return not (
        Membership.objects.filter(
            organization_id=membership.organization_id, role=Membership.Role.OWNER
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def memberships_of(user) -> list:
    """The user's memberships with their organization, by organization name."""
    return list(
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name")
    )
