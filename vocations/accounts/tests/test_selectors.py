from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from vocations.accounts import selectors
from vocations.accounts.models import Membership, Organization, User


@pytest.fixture
def two_organizations(owner, organization):
    other = Organization.objects.create(name="Ateliers du Sud", slug="sud", kind="school")
    Membership.objects.create(user=owner, organization=other, role="viewer")
    Organization.objects.create(name="Zinc et Cie", slug="zinc", kind="company")
    return organization, other


@pytest.mark.django_db
def test_organization_list_for_user_annotates_role_in_one_query(
    owner, two_organizations, django_assert_num_queries
):
    forges, sud = two_organizations
    # Expected query: SELECT organization.*, commune.*, department.*, branch.*,
    #   (SELECT role FROM membership WHERE organization_id = organization.id AND user_id = %s
    #    LIMIT 1) AS user_role
    #   FROM organization INNER JOIN membership ... LEFT JOIN commune/department/branch
    #   WHERE membership.user_id = %s AND membership.role IN (...) ORDER BY name, id
    with django_assert_num_queries(1):
        rows = [(o.name, o.user_role) for o in selectors.organization_list_for_user(owner)]
    assert rows == [("Ateliers du Sud", "viewer"), ("Forges de l'Est", "owner")]


@pytest.mark.django_db
def test_organization_list_for_staff_and_anonymous(staff, two_organizations):
    rows = [(o.slug, o.user_role) for o in selectors.organization_list_for_user(staff)]
    assert rows == [("sud", None), ("forges", None), ("zinc", None)]
    assert list(selectors.organization_list_for_user(AnonymousUser())) == []


@pytest.mark.django_db
def test_membership_list_puts_owners_first(owner, organization, django_assert_num_queries):
    for email, role in [("a.lecteur@exemple.fr", "viewer"), ("b.editeur@exemple.fr", "editor")]:
        Membership.objects.create(
            user=User.objects.create_user(email), organization=organization, role=role
        )
    # Expected query: SELECT membership.*, user.*, CASE role ... AS role_order
    #   FROM membership INNER JOIN user WHERE organization_id = %s ORDER BY role_order, email
    with django_assert_num_queries(1):
        rows = [(m.user.email, m.role) for m in selectors.membership_list(organization)]
    assert rows == [
        ("proprietaire@exemple.fr", "owner"),
        ("b.editeur@exemple.fr", "editor"),
        ("a.lecteur@exemple.fr", "viewer"),
    ]


@pytest.mark.django_db
def test_user_roles(owner, two_organizations):
    forges, sud = two_organizations
    assert selectors.user_roles(owner) == {forges.pk: "owner", sud.pk: "viewer"}
    assert selectors.user_roles(AnonymousUser()) == {}


@pytest.mark.django_db
def test_membership_is_last_owner(owner, organization):
    row = Membership.objects.get(user=owner)
    assert selectors.membership_is_last_owner(row)
    Membership.objects.create(
        user=User.objects.create_user("co@exemple.fr"), organization=organization, role="owner"
    )
    assert not selectors.membership_is_last_owner(row)
