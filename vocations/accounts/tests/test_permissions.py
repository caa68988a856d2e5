"""The object-level permission helper: one organization never reaches another's data."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from vocations.accounts.models import Membership, Organization, User
from vocations.accounts.permissions import can, organizations_for, require, scope_queryset
from vocations.core.models import AuditEntry

ROLES = ("owner", "editor", "viewer")


@pytest.fixture
def world(db):
    """Organizations A and B; an owner, an editor and a viewer in A; B's own owner; a staff
    user, an active user in no organization and an anonymous visitor."""
    org_a = Organization.objects.create(name="Alpha", slug="alpha", kind="company")
    org_b = Organization.objects.create(name="Bêta", slug="beta", kind="school")
    # No passwords: hashing would only slow the tests down.
    users = {role: User.objects.create_user(f"{role}@a.example") for role in ROLES}
    for role, user in users.items():
        Membership.objects.create(user=user, organization=org_a, role=role)
    owner_b = User.objects.create_user("owner@b.example")
    Membership.objects.create(user=owner_b, organization=org_b, role="owner")
    # Objects that point at an organization through a plain FK (not a Membership).
    entry_a = AuditEntry.objects.create(action="test.a", organization=org_a)
    entry_b = AuditEntry.objects.create(action="test.b", organization=org_b)
    return SimpleNamespace(
        a=org_a,
        b=org_b,
        entry_a=entry_a,
        entry_b=entry_b,
        owner_b=owner_b,
        staff=User.objects.create_user("staff@example.org", is_staff=True),
        loner=User.objects.create_user("loner@example.org"),
        anonymous=AnonymousUser(),
        **users,
    )


EXPECTED = {
    # role: (view, change, manage) on organization A
    "owner": (True, True, True),
    "editor": (True, True, False),
    "viewer": (True, False, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_members_of_a_never_reach_b(world, role):
    user = getattr(world, role)
    for action in ("view", "change", "manage"):
        assert not can(user, action, world.b)
        assert not can(user, action, world.entry_b)
        assert world.b not in organizations_for(user, action=action)
        assert not scope_queryset(
            user, Membership.objects.filter(organization=world.b), action=action
        ).exists()
        assert list(
            scope_queryset(user, AuditEntry.objects.all(), action=action).values_list(
                "organization_id", flat=True
            )
        ) in ([], [world.a.pk])


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_on_own_organization(world, role):
    user = getattr(world, role)
    for action, allowed in zip(("view", "change", "manage"), EXPECTED[role], strict=True):
        assert can(user, action, world.a) is allowed, action
        assert can(user, action, world.entry_a) is allowed, action
        # The scoped lists agree with can(), object by object.
        assert list(organizations_for(user, action=action)) == ([world.a] if allowed else [])
        scoped = scope_queryset(user, AuditEntry.objects.all(), action=action)
        assert list(scoped) == ([world.entry_a] if allowed else [])


def test_viewer_sees_every_member_of_own_organization_only(world):
    scoped = scope_queryset(world.viewer, Membership.objects.all(), action="view")
    assert {m.user.email for m in scoped} == {
        "owner@a.example",
        "editor@a.example",
        "viewer@a.example",
    }
    assert not scope_queryset(world.viewer, Membership.objects.all(), action="change").exists()


def test_editor_can_change_but_not_manage(world):
    assert scope_queryset(world.editor, Membership.objects.all(), action="change").count() == 3
    assert not scope_queryset(world.editor, Membership.objects.all(), action="manage").exists()
    with pytest.raises(PermissionDenied, match="propriétaire"):
        require(world.editor, "manage", world.a)
    require(world.editor, "change", world.a)  # no exception


def test_owner_can_manage_own_organization_only(world):
    require(world.owner, "manage", world.a)
    with pytest.raises(PermissionDenied, match="pas accès"):
        require(world.owner, "view", world.b)
    assert list(scope_queryset(world.owner, Organization.objects.all(), action="manage")) == [
        world.a
    ]


def test_staff_can_do_everything_everywhere(world):
    for action in ("view", "change", "manage"):
        assert can(world.staff, action, world.a)
        assert can(world.staff, action, world.entry_b)
        assert set(organizations_for(world.staff, action=action)) == {world.a, world.b}
        assert scope_queryset(world.staff, Membership.objects.all(), action=action).count() == 4


@pytest.mark.parametrize("who", ["anonymous", "loner"])
def test_outsiders_get_nothing(world, who):
    user = getattr(world, who)
    for action in ("view", "change", "manage"):
        assert not can(user, action, world.a)
        assert not organizations_for(user, action=action).exists()
        assert not scope_queryset(user, Membership.objects.all(), action=action).exists()
    with pytest.raises(PermissionDenied, match="modifier"):
        require(user, "change", world.entry_a)


def test_inactive_member_and_inactive_staff_lose_access(world):
    world.owner.is_active = False
    world.staff.is_active = False
    for user in (world.owner, world.staff):
        assert not can(user, "view", world.a)
        assert not organizations_for(user, action="view").exists()


def test_object_without_organization_is_reachable_by_staff_only(world):
    orphan = AuditEntry.objects.create(action="test.none")
    assert not can(world.owner, "view", orphan)
    assert can(world.staff, "view", orphan)
    assert orphan not in scope_queryset(world.owner, AuditEntry.objects.all(), action="view")


def test_field_path_through_a_related_model(world):
    """AuditEntry -> actor (User) -> memberships -> organization is a to-many path:
    each entry must come back once, even when its actor belongs to two organizations."""
    Membership.objects.create(user=world.owner, organization=world.b, role="viewer")
    by_owner = AuditEntry.objects.create(action="test.owner", actor=world.owner)
    by_owner_b = AuditEntry.objects.create(action="test.owner_b", actor=world.owner_b)
    scoped = scope_queryset(
        world.viewer,
        AuditEntry.objects.filter(actor__isnull=False),
        action="view",
        organization_field="actor__memberships__organization",
    )
    assert list(scoped) == [by_owner]
    seen_by_b = scope_queryset(
        world.owner_b,
        AuditEntry.objects.filter(actor__isnull=False),
        action="view",
        organization_field="actor__memberships__organization",
    )
    assert sorted(e.pk for e in seen_by_b) == sorted([by_owner.pk, by_owner_b.pk])


def test_can_follows_a_single_valued_path_on_an_instance(world):
    """Membership -> organization, read from the instance: can() on a member's row."""
    row_a = Membership.objects.get(user=world.viewer)
    row_b = Membership.objects.get(user=world.owner_b)
    assert can(world.editor, "change", row_a, organization_field="organization")
    assert not can(world.editor, "change", row_b, organization_field="organization")
    with pytest.raises(ValueError, match="single-valued"):
        can(
            world.editor,
            "view",
            world.entry_a,
            organization_field="actor__memberships__organization",
        )


def test_unknown_action_is_a_programming_error(world):
    with pytest.raises(ValueError):
        can(world.owner, "delete", world.a)
    with pytest.raises(ValueError):
        scope_queryset(world.owner, Organization.objects.all(), action="edit")


def test_scoped_list_is_one_query(world, django_assert_num_queries):
    # Expected query:
    #   SELECT membership.*, user.* FROM accounts_membership
    #   INNER JOIN accounts_user ON ...
    #   WHERE membership.organization_id IN (
    #       SELECT organization.id FROM accounts_organization
    #       INNER JOIN accounts_membership ON ... WHERE user_id = %s AND role IN (...))
    with django_assert_num_queries(1):
        rows = list(
            scope_queryset(world.editor, Membership.objects.select_related("user"), action="view")
        )
        assert {m.user.email for m in rows} == {
            "owner@a.example",
            "editor@a.example",
            "viewer@a.example",
        }


def test_can_is_one_query_and_free_for_staff(world, django_assert_num_queries):
    # Expected query: SELECT 1 FROM accounts_membership WHERE user_id = %s
    #   AND organization_id = %s AND role IN (...) LIMIT 1
    with django_assert_num_queries(1):
        assert can(world.viewer, "view", world.entry_a)
    with django_assert_num_queries(0):
        assert can(world.staff, "manage", world.entry_b)
        assert not can(world.anonymous, "view", world.a)


# --- the branch-editor rule (one version, used by branch pages and campaign variants) ---------


@pytest.fixture
def branch_world(db):
    from vocations.careers.models import Branch

    metal = Branch.objects.create(slug="metallurgie", name="Métallurgie", short_name="Métallurgie")
    chem = Branch.objects.create(slug="chimie", name="Chimie", short_name="Chimie")
    uimm = Organization.objects.create(name="UIMM", slug="uimm", kind="branch", branch=metal)
    company = Organization.objects.create(name="Forges", slug="forges", kind="company")
    people = {
        role: User.objects.create_user(f"{role}@example.fr", "mot-de-passe-123")
        for role in ("owner", "editor", "viewer", "company_editor", "outsider")
    }
    for role in ("owner", "editor", "viewer"):
        Membership.objects.create(user=people[role], organization=uimm, role=role)
    Membership.objects.create(user=people["company_editor"], organization=company, role="editor")
    people["staff"] = User.objects.create_user("staff@example.fr", "x", is_staff=True)
    return metal, chem, uimm, people


@pytest.mark.parametrize(
    ("person", "metal", "chem"),
    [
        ("owner", True, False),
        ("editor", True, False),
        ("viewer", False, False),  # a viewer reads, never writes for the branch
        ("company_editor", False, False),  # an editor of a company is no branch editor
        ("outsider", False, False),
        ("staff", True, True),
    ],
)
def test_who_may_speak_for_a_branch(branch_world, person, metal, chem):
    from vocations.accounts.permissions import can_edit_branch, editable_branches

    metal_branch, chem_branch, _, people = branch_world
    user = people[person]
    assert can_edit_branch(user, metal_branch) is metal
    assert can_edit_branch(user, chem_branch) is chem
    expected = [b for b, ok in ((chem_branch, chem), (metal_branch, metal)) if ok]
    assert list(editable_branches(user)) == expected  # by short name


def test_branch_rule_refuses_anonymous_and_inactive_users(branch_world):
    from vocations.accounts.permissions import branch_organizations, can_edit_branch

    metal_branch, _, uimm, people = branch_world
    assert not can_edit_branch(AnonymousUser(), metal_branch)
    people["editor"].is_active = False
    assert not can_edit_branch(people["editor"], metal_branch)
    assert list(branch_organizations(people["owner"], metal_branch)) == [uimm]
