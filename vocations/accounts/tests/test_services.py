from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from vocations.accounts import services
from vocations.accounts.models import Membership, Organization, User
from vocations.accounts.validators import luhn_is_valid, siret_is_valid
from vocations.core.models import AuditEntry

VALID_SIRET = "73282932000074"  # Luhn-valid
LA_POSTE_SIRET = "35600000012346"  # fails Luhn, passes La Poste's "sum of digits % 5" rule


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


# --- SIRET -----------------------------------------------------------------------------


def test_siret_key_rules():
    assert luhn_is_valid(VALID_SIRET)
    assert not luhn_is_valid("73282932000075")
    assert not luhn_is_valid(LA_POSTE_SIRET)
    assert siret_is_valid(LA_POSTE_SIRET)
    assert not siret_is_valid("35600000012345")
    assert not siret_is_valid("7328293200007")  # 13 digits
    assert not siret_is_valid("７３２８２９３２０００７４")  # full-width digits


# --- user_create -----------------------------------------------------------------------


@pytest.mark.django_db
def test_user_create_normalizes_email_and_hashes_password():
    user = services.user_create(
        email="  Marie.Curie@Exemple.FR ", password="radium-polonium-1898", full_name=" Marie "
    )
    assert user.email == "marie.curie@exemple.fr"
    assert user.full_name == "Marie"
    assert user.check_password("radium-polonium-1898")
    entry = AuditEntry.objects.get(action="user.created")
    assert entry.actor == user and entry.target_id == str(user.pk)
    assert "radium" not in str(entry.data)


@pytest.mark.django_db
def test_user_create_without_password_cannot_sign_in():
    user = services.user_create(email="sans.mdp@exemple.fr")
    assert not user.has_usable_password()


@pytest.mark.django_db
def test_user_create_refuses_duplicate_email_whatever_the_case():
    services.user_create(email="dup@exemple.fr")
    with pytest.raises(ValidationError) as excinfo:
        services.user_create(email="DUP@exemple.fr")
    assert excinfo.value.message_dict["email"] == [
        "Un compte existe déjà avec cette adresse e-mail."
    ]
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_user_create_refuses_bad_email_and_weak_password_in_french():
    with pytest.raises(ValidationError) as excinfo:
        services.user_create(email="pas-une-adresse", password="123")
    errors = excinfo.value.message_dict
    assert errors["email"] == ["Saisissez une adresse e-mail valide."]
    assert any("trop court" in message for message in errors["password"])
    assert not User.objects.exists()
    assert not AuditEntry.objects.exists()


# --- organization_create ---------------------------------------------------------------


@pytest.mark.django_db
def test_organization_create_makes_actor_owner_and_writes_audit(owner, geography):
    organization = services.organization_create(
        actor=owner,
        name="  Aciéries de Lorraine ",
        kind="company",
        commune=geography["metz"],
        siret="732 829 320 00074",
        website="https://acieries.example",
    )
    organization.refresh_from_db()
    assert organization.name == "Aciéries de Lorraine"
    assert organization.slug == "acieries-de-lorraine"
    assert organization.siret == VALID_SIRET
    # The department follows the commune when not given.
    assert organization.department == geography["moselle"]
    assert Membership.objects.get(organization=organization).user == owner
    assert Membership.objects.get(organization=organization).role == "owner"
    assert actions() == ["organization.created", "membership.added"]
    assert set(AuditEntry.objects.values_list("organization_id", flat=True)) == {organization.pk}


@pytest.mark.django_db
def test_organization_slugs_stay_unique(owner):
    slugs = [
        services.organization_create(actor=owner, name=name, kind="company").slug
        for name in ("Usine Été", "usine ete", "USINE-ÉTÉ", "!!!", "???")
    ]
    assert slugs == ["usine-ete", "usine-ete-2", "usine-ete-3", "organisation", "organisation-2"]


@pytest.mark.django_db
def test_slug_skips_taken_suffixes(owner):
    Organization.objects.create(name="x", slug="atelier-2", kind="company")
    first = services.organization_create(actor=owner, name="Atelier", kind="company")
    second = services.organization_create(actor=owner, name="Atelier", kind="company")
    assert (first.slug, second.slug) == ("atelier", "atelier-3")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("1234", "Le numéro SIRET doit comporter exactement 14 chiffres."),
        ("7328293200007A", "Le numéro SIRET doit comporter exactement 14 chiffres."),
        ("73282932000075", "Ce numéro SIRET n'est pas valide : sa clé de contrôle est incorrecte."),
    ],
)
def test_organization_create_rejects_bad_siret(owner, siret, message):
    with pytest.raises(ValidationError) as excinfo:
        services.organization_create(actor=owner, name="Forge", kind="company", siret=siret)
    assert excinfo.value.message_dict["siret"][0].startswith(message)
    assert not Organization.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_organization_create_accepts_la_poste_siret(owner):
    organization = services.organization_create(
        actor=owner, name="Bureau de poste", kind="local_body", siret=LA_POSTE_SIRET
    )
    assert organization.siret == LA_POSTE_SIRET


@pytest.mark.django_db
def test_branch_kind_requires_a_branch_and_only_it_may_have_one(owner, metallurgy):
    with pytest.raises(ValidationError) as excinfo:
        services.organization_create(actor=owner, name="UIMM", kind="branch")
    assert excinfo.value.message_dict["branch"] == [
        "Une organisation de type branche professionnelle doit indiquer sa branche."
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.organization_create(actor=owner, name="Forge", kind="company", branch=metallurgy)
    assert "Seule une organisation de type branche" in excinfo.value.message_dict["branch"][0]
    organization = services.organization_create(
        actor=owner, name="UIMM", kind="branch", branch=metallurgy
    )
    assert organization.branch == metallurgy


@pytest.mark.django_db
def test_organization_create_reports_all_errors_at_once(owner, geography):
    with pytest.raises(ValidationError) as excinfo:
        services.organization_create(
            actor=owner,
            name=" ",
            kind="factory",
            commune=geography["metz"],
            department=geography["finistere"],
            website="pas une url",
        )
    errors = excinfo.value.message_dict
    assert errors["name"] == ["Le nom de l'organisation est obligatoire."]
    assert errors["kind"] == ["Choisissez un type d'organisation valide."]
    assert errors["commune"] == ["Cette commune n'appartient pas au département indiqué."]
    assert errors["website"] == ["Saisissez une URL valide."]
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_anonymous_cannot_create_an_organization():
    with pytest.raises(PermissionDenied, match="connecté"):
        services.organization_create(actor=AnonymousUser(), name="Forge", kind="company")
    assert not Organization.objects.exists()


# --- organization_update ---------------------------------------------------------------


@pytest.mark.django_db
def test_organization_update_records_changes_and_keeps_slug(owner, organization, geography):
    updated = services.organization_update(
        actor=owner,
        organization=organization,
        name="Forges du Grand Est",
        commune=geography["metz"],
    )
    updated.refresh_from_db()
    assert updated.name == "Forges du Grand Est"
    assert updated.slug == "forges"
    assert updated.department == geography["moselle"]
    entry = AuditEntry.objects.get(action="organization.updated")
    assert entry.actor == owner
    assert entry.data["changes"]["name"] == ["Forges de l'Est", "Forges du Grand Est"]
    assert entry.data["changes"]["department"] == [None, geography["moselle"].pk]


@pytest.mark.django_db
def test_organization_update_without_change_writes_nothing(owner, organization):
    services.organization_update(actor=owner, organization=organization, name="Forges de l'Est")
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_organization_update_validates_final_state(owner, organization):
    with pytest.raises(ValidationError) as excinfo:
        services.organization_update(actor=owner, organization=organization, kind="branch")
    assert "branch" in excinfo.value.message_dict
    organization.refresh_from_db()
    assert organization.kind == "company"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_organization_update_refused_to_non_owner(organization, role):
    member = User.objects.create_user(f"{role}@exemple.fr")
    Membership.objects.create(user=member, organization=organization, role=role)
    with pytest.raises(PermissionDenied) as excinfo:
        services.organization_update(actor=member, organization=organization, name="Piraté")
    assert (
        str(excinfo.value) == "Seul un propriétaire de l'organisation peut effectuer cette action."
    )
    organization.refresh_from_db()
    assert organization.name == "Forges de l'Est"


# --- memberships -----------------------------------------------------------------------


@pytest.mark.django_db
def test_owner_adds_changes_and_removes_a_member(owner, organization):
    newcomer = User.objects.create_user("nouveau@exemple.fr")
    membership = services.membership_add(
        actor=owner, organization=organization, user=newcomer, role="viewer"
    )
    membership = services.membership_change_role(actor=owner, membership=membership, role="editor")
    assert Membership.objects.get(pk=membership.pk).role == "editor"
    services.membership_remove(actor=owner, membership=membership)
    assert not Membership.objects.filter(user=newcomer).exists()
    assert actions() == ["membership.added", "membership.role_changed", "membership.removed"]
    changed = AuditEntry.objects.get(action="membership.role_changed")
    assert changed.data == {"user": newcomer.pk, "from": "viewer", "to": "editor"}
    assert changed.organization == organization


@pytest.mark.django_db
def test_staff_manages_members_of_any_organization(staff, organization):
    newcomer = User.objects.create_user("nouveau@exemple.fr")
    membership = services.membership_add(
        actor=staff, organization=organization, user=newcomer, role="owner"
    )
    assert membership.role == "owner"
    assert AuditEntry.objects.get(action="membership.added").actor == staff


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_non_owner_cannot_manage_members(organization, owner, role):
    member = User.objects.create_user(f"{role}@exemple.fr")
    own = Membership.objects.create(user=member, organization=organization, role=role)
    other = User.objects.create_user("autre@exemple.fr")
    owner_row = Membership.objects.get(user=owner)
    with pytest.raises(PermissionDenied, match="Seul un propriétaire"):
        services.membership_add(actor=member, organization=organization, user=other, role="viewer")
    with pytest.raises(PermissionDenied):
        services.membership_change_role(actor=member, membership=own, role="owner")
    with pytest.raises(PermissionDenied):
        services.membership_remove(actor=member, membership=owner_row)
    assert Membership.objects.filter(organization=organization).count() == 2
    assert Membership.objects.get(pk=own.pk).role == role
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_owner_of_another_organization_is_refused(organization):
    stranger = User.objects.create_user("etranger@exemple.fr")
    services.organization_create(actor=stranger, name="Autre", kind="company")
    with pytest.raises(PermissionDenied):
        services.membership_add(
            actor=stranger, organization=organization, user=stranger, role="owner"
        )
    assert not Membership.objects.filter(organization=organization, user=stranger).exists()


@pytest.mark.django_db
def test_last_owner_can_be_neither_removed_nor_demoted(owner, organization):
    owner_row = Membership.objects.get(user=owner)
    with pytest.raises(ValidationError) as excinfo:
        services.membership_remove(actor=owner, membership=owner_row)
    assert excinfo.value.messages == [services.LAST_OWNER_MESSAGE]
    assert "au moins un propriétaire" in services.LAST_OWNER_MESSAGE
    with pytest.raises(ValidationError) as excinfo:
        services.membership_change_role(actor=owner, membership=owner_row, role="editor")
    assert excinfo.value.message_dict["role"] == [services.LAST_OWNER_MESSAGE]
    assert Membership.objects.get(pk=owner_row.pk).role == "owner"
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_an_owner_may_step_down_once_another_owner_exists(owner, organization):
    second = User.objects.create_user("second@exemple.fr")
    services.membership_add(actor=owner, organization=organization, user=second, role="owner")
    owner_row = Membership.objects.get(user=owner)
    services.membership_change_role(actor=owner, membership=owner_row, role="viewer")
    assert Membership.objects.get(pk=owner_row.pk).role == "viewer"
    # Now `second` is the last owner and is protected in turn.
    with pytest.raises(ValidationError):
        services.membership_remove(actor=second, membership=Membership.objects.get(user=second))


@pytest.mark.django_db
def test_membership_add_refuses_duplicates_bad_roles_and_inactive_users(owner, organization):
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(actor=owner, organization=organization, user=owner, role="viewer")
    assert excinfo.value.message_dict["user"] == [
        "Paule Proprio est déjà membre de cette organisation."
    ]
    other = User.objects.create_user("autre@exemple.fr")
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(actor=owner, organization=organization, user=other, role="admin")
    assert "Choisissez un rôle valide" in excinfo.value.message_dict["role"][0]
    other.is_active = False
    other.save()
    with pytest.raises(ValidationError, match="désactivé"):
        services.membership_add(actor=owner, organization=organization, user=other, role="viewer")
    assert Membership.objects.filter(organization=organization).count() == 1


@pytest.mark.django_db
def test_changing_to_the_same_role_is_a_no_op(owner, organization):
    owner_row = Membership.objects.get(user=owner)
    services.membership_change_role(actor=owner, membership=owner_row, role="owner")
    assert not AuditEntry.objects.exists()
