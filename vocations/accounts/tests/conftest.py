from __future__ import annotations

import pytest

from vocations.accounts.models import Membership, Organization, User
from vocations.careers.models import Branch
from vocations.territories.models import Commune, Department, Region


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # PBKDF2 costs ~0.3 s a hash; these tests check behaviour, not the hash's strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def owner(db) -> User:
    return User.objects.create_user("proprietaire@exemple.fr", full_name="Paule Proprio")


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_user("equipe@exemple.fr", "un mot de passe solide", is_staff=True)


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("admin@exemple.fr", "un mot de passe solide")


@pytest.fixture
def organization(owner) -> Organization:
    organization = Organization.objects.create(
        name="Forges de l'Est", slug="forges", kind="company"
    )
    Membership.objects.create(user=owner, organization=organization, role="owner")
    return organization


@pytest.fixture
def geography(db):
    grand_est = Region.objects.create(code="44", name="Grand Est", slug="grand-est")
    bretagne = Region.objects.create(code="53", name="Bretagne", slug="bretagne")
    moselle = Department.objects.create(code="57", name="Moselle", slug="moselle", region=grand_est)
    finistere = Department.objects.create(
        code="29", name="Finistère", slug="finistere", region=bretagne
    )
    metz = Commune.objects.create(
        insee_code="57463", name="Metz", department=moselle, region=grand_est
    )
    return {"grand_est": grand_est, "moselle": moselle, "finistere": finistere, "metz": metz}


@pytest.fixture
def metallurgy(db) -> Branch:
    return Branch.objects.create(slug="metallurgie", name="Métallurgie", short_name="UIMM")
