"""The Django admin pages of accounts and the read-only core pages, through the test client."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vocations.accounts import services
from vocations.accounts.models import Membership, Organization, User
from vocations.core.models import AuditEntry, ReferenceDataset


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def changelist_names(response) -> list[str]:
    return [str(obj) for obj in response.context["cl"].result_list]


@pytest.mark.django_db
def test_admin_refuses_a_user_who_is_not_staff(client, owner):
    client.force_login(owner)
    response = client.get(reverse("admin:accounts_organization_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- users -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_changelist_search_and_filter(admin_client, owner, staff):
    url = reverse("admin:accounts_user_changelist")
    response = admin_client.get(url, {"q": "proprio"})
    assert response.status_code == 200
    assert changelist_names(response) == ["Paule Proprio"]
    response = admin_client.get(url, {"is_staff__exact": "1"})
    assert response.status_code == 200
    assert set(changelist_names(response)) == {"equipe@exemple.fr", "admin@exemple.fr"}


@pytest.mark.django_db
def test_user_add_form_works_with_email_and_password(admin_client):
    url = reverse("admin:accounts_user_add")
    response = admin_client.get(url)
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()
    assert 'name="password1"' in response.content.decode()
    assert 'name="username"' not in response.content.decode()

    response = admin_client.post(
        url,
        {
            "email": "Nouvelle.Recrue@Exemple.FR",
            "full_name": "Nouvelle Recrue",
            "usable_password": "true",
            "password1": "acier-inoxydable-316L",
            "password2": "acier-inoxydable-316L",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="nouvelle.recrue@exemple.fr")
    assert user.check_password("acier-inoxydable-316L")
    assert not user.is_staff


@pytest.mark.django_db
def test_user_add_form_refuses_case_twin_in_french(admin_client, owner):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "PROPRIETAIRE@exemple.fr",
            "usable_password": "true",
            "password1": "acier-inoxydable-316L",
            "password2": "acier-inoxydable-316L",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "Un compte existe déjà avec cette adresse e-mail."
    ]
    assert User.objects.filter(email__iexact="proprietaire@exemple.fr").count() == 1


@pytest.mark.django_db
def test_user_change_page_shows_memberships(admin_client, owner, organization):
    response = admin_client.get(reverse("admin:accounts_user_change", args=[owner.pk]))
    assert response.status_code == 200
    assert "Forges de l&#x27;Est" in response.content.decode()


# --- organizations ---------------------------------------------------------------------


@pytest.mark.django_db
def test_organization_changelist_search_and_filters(admin_client, owner, geography):
    services.organization_create(
        actor=owner,
        name="Aciéries",
        kind="company",
        commune=geography["metz"],
        siret="73282932000074",
    )
    services.organization_create(
        actor=owner, name="Lycée de la mer", kind="school", department=geography["finistere"]
    )
    url = reverse("admin:accounts_organization_changelist")

    response = admin_client.get(url, {"q": "7328293"})
    assert response.status_code == 200
    assert changelist_names(response) == ["Aciéries"]

    response = admin_client.get(url, {"kind__exact": "school"})
    assert changelist_names(response) == ["Lycée de la mer"]

    response = admin_client.get(url, {"department__region__id__exact": geography["grand_est"].pk})
    assert response.status_code == 200
    assert changelist_names(response) == ["Aciéries"]
    assert "Grand Est" in response.content.decode()  # the region filter is offered


@pytest.mark.django_db
def test_organization_add_and_change_pages_load(admin_client, owner, organization):
    assert admin_client.get(reverse("admin:accounts_organization_add")).status_code == 200
    response = admin_client.get(
        reverse("admin:accounts_organization_change", args=[organization.pk])
    )
    assert response.status_code == 200
    inline_forms = response.context["inline_admin_formsets"][0].formset.forms
    assert [(f.instance.user, f.instance.role) for f in inline_forms] == [(owner, "owner")]


@pytest.mark.django_db
def test_organization_admin_validates_siret(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_organization_add"),
        {
            "name": "Forge",
            "slug": "forge",
            "kind": "company",
            "siret": "73282932000075",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["siret"]
    assert errors[0].startswith("Ce numéro SIRET n'est pas valide")
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_organization_inline_refuses_demoting_the_last_owner(admin_client, owner, organization):
    row = Membership.objects.get(user=owner)
    response = admin_client.post(
        reverse("admin:accounts_organization_change", args=[organization.pk]),
        {
            "name": organization.name,
            "slug": organization.slug,
            "kind": organization.kind,
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": row.pk,
            "memberships-0-organization": organization.pk,
            "memberships-0-user": owner.pk,
            "memberships-0-role": "viewer",
        },
    )
    assert response.status_code == 200
    assert services.LAST_OWNER_MESSAGE in response.content.decode().replace("&#x27;", "'")
    assert Membership.objects.get(pk=row.pk).role == "owner"


# --- memberships -----------------------------------------------------------------------


@pytest.mark.django_db
def test_membership_changelist_and_last_owner_protection(admin_client, owner, organization):
    url = reverse("admin:accounts_membership_changelist")
    response = admin_client.get(url, {"q": "forges", "role__exact": "owner"})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 1

    row = Membership.objects.get(user=owner)
    assert (
        admin_client.get(reverse("admin:accounts_membership_delete", args=[row.pk])).status_code
        == 403
    )
    # The bulk action checks the same per-object permission: refused as a whole.
    response = admin_client.post(
        url, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    )
    assert response.status_code == 403
    assert Membership.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_membership_bulk_delete_removes_others_and_logs(admin_client, superuser, organization):
    viewer = User.objects.create_user("lecteur@exemple.fr")
    row = Membership.objects.create(user=viewer, organization=organization, role="viewer")
    admin_client.post(
        reverse("admin:accounts_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert not Membership.objects.filter(pk=row.pk).exists()
    assert AuditEntry.objects.get(action="membership.removed").actor == superuser


# --- core, read-only -------------------------------------------------------------------


@pytest.mark.django_db
def test_audit_entries_are_read_only_with_search_filter_and_dates(admin_client, owner):
    services.organization_create(actor=owner, name="Forge", kind="company")
    url = reverse("admin:core_auditentry_changelist")
    response = admin_client.get(url, {"q": "organization.created"})
    assert response.status_code == 200
    assert [e.action for e in response.context["cl"].result_list] == ["organization.created"]
    response = admin_client.get(url, {"action": "membership.added"})
    assert response.status_code == 200
    assert [e.action for e in response.context["cl"].result_list] == ["membership.added"]
    entry = AuditEntry.objects.first()
    response = admin_client.get(url, {"created_at__year": entry.created_at.year})
    assert len(response.context["cl"].result_list) == 2

    assert admin_client.get(reverse("admin:core_auditentry_add")).status_code == 403
    change = admin_client.get(reverse("admin:core_auditentry_change", args=[entry.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    delete = admin_client.get(reverse("admin:core_auditentry_delete", args=[entry.pk]))
    assert delete.status_code == 403


@pytest.mark.django_db
def test_reference_datasets_are_read_only(admin_client):
    ReferenceDataset.objects.create(name="geography", checksum="ab" * 32, counts={"communes": 3})
    response = admin_client.get(reverse("admin:core_referencedataset_changelist"))
    assert response.status_code == 200
    assert changelist_names(response) == [f"geography ({'ab' * 6})"]
    assert admin_client.get(reverse("admin:core_referencedataset_add")).status_code == 403


@pytest.mark.django_db
def test_membership_change_form_refuses_demoting_the_last_owner(admin_client, owner, organization):
    row = Membership.objects.get(user=owner)
    response = admin_client.post(
        reverse("admin:accounts_membership_change", args=[row.pk]),
        {"user": owner.pk, "organization": organization.pk, "role": "editor"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [services.LAST_OWNER_MESSAGE]
    assert Membership.objects.get(pk=row.pk).role == "owner"
