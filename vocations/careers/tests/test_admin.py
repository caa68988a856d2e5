import pytest
from django.urls import reverse

from vocations.accounts.models import User
from vocations.careers.models import Appellation, Trade

MODELS = ["nafdivision", "sector", "branch", "qualificationlevel", "trade", "appellation"]


@pytest.fixture
def staff_client(client, careers):
    user = User.objects.create_superuser(email="admin@example.org", password="x-secret-1")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_changelists_search_and_filter(staff_client, model):
    url = reverse(f"admin:careers_{model}_changelist")
    assert staff_client.get(url).status_code == 200
    assert staff_client.get(url, {"q": "soud"}).status_code == 200


def test_trade_filters_and_change_page(staff_client):
    trade = Trade.objects.get(rome_code="H2913")
    Appellation.objects.create(code_ogr="30002", title="Soudeur / Soudeuse TIG", trade=trade)
    url = reverse("admin:careers_trade_changelist")
    response = staff_client.get(url, {"is_featured__exact": "1", "q": "H2913"})
    assert response.status_code == 200
    assert "Soudeur / Soudeuse" in response.content.decode()
    change = staff_client.get(reverse("admin:careers_trade_change", args=[trade.pk]))
    assert "Soudeur / Soudeuse TIG" in change.content.decode()
