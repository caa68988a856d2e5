"""The territories admin screens open, search and filter, and refuse hand-made rows."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from vocations.territories.models import Commune, EmploymentArea, HiringNeed, Region
from vocations.territories.services import import_hiring_needs

from .conftest import BMO_SAMPLE

MODELS = (
    "region",
    "department",
    "commune",
    "postalcode",
    "employmentarea",
    "hiringneed",
    "rometension",
    "familytension",
    "tradefamilyfigure",
)


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_superuser(email="admin@example.org", password="x")
    client.force_login(user)
    return client


@pytest.fixture
def loaded(mini_geography):
    with BMO_SAMPLE.open("rb") as handle:
        import_hiring_needs(file=handle, filename=BMO_SAMPLE.name)


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_changelist_search_and_filter(staff_client, loaded, model):
    url = reverse(f"admin:territories_{model}_changelist")
    assert staff_client.get(url).status_code == 200
    assert staff_client.get(url, {"q": "69"}).status_code == 200
    assert staff_client.get(reverse(f"admin:territories_{model}_add")).status_code == 403


@pytest.mark.django_db
def test_commune_search_by_postal_code_and_filter_by_region(staff_client, loaded):
    url = reverse("admin:territories_commune_changelist")
    response = staff_client.get(url, {"q": "20090"})
    assert list(response.context["cl"].result_list) == [Commune.objects.get(insee_code="2A004")]
    region = Region.objects.get(code="84")
    response = staff_client.get(url, {"region__id__exact": region.pk})
    assert {c.insee_code for c in response.context["cl"].result_list} == {
        "69123",
        "69259",
        "69066",
    }


@pytest.mark.django_db
def test_change_pages_open_and_only_coordinates_are_editable(staff_client, loaded):
    lyon = Commune.objects.get(insee_code="69123")
    response = staff_client.get(reverse("admin:territories_commune_change", args=[lyon.pk]))
    assert response.status_code == 200
    assert set(response.context["adminform"].form.fields) == {"latitude", "longitude"}
    need = HiringNeed.objects.first()
    url = reverse("admin:territories_hiringneed_change", args=[need.pk])
    assert staff_client.get(url).status_code == 200
    area = EmploymentArea.objects.first()
    url = reverse("admin:territories_employmentarea_change", args=[area.pk])
    assert staff_client.get(url).status_code == 200
