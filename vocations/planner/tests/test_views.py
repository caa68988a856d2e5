"""The planner's back-office pages: campaign team yes (viewers read, editors plan), organizers
and branches never reach a campaign (404), bad input re-renders in French, the list's queries
are counted, the status page refreshes itself, the export is an attachment."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vocations.planner.models import Plan

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _client(client, history, name):
    assert client.login(email=f"{name}@exemple.fr", password=PASSWORD)
    return client


def _form(history, **overrides):
    data = {
        "name": "Proposition",
        "wave": history.next_wave.pk,
        "budget": "2 600 000",
        "fixed_costs": "100 000",
        "starts_on": "2027-02-01",
        "ends_on": "2027-03-07",
        "must_cover": "",
        "must_not": "",
        "difficulty_weight": "1",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("name", ["organizer", "branch"])
def test_outsiders_get_404(client, history, name):
    _client(client, history, name)
    pk = history.campaign.pk
    for url in (
        reverse("backoffice:plan_list", args=[pk]),
        reverse("backoffice:plan_new", args=[pk]),
    ):
        assert client.get(url).status_code == 404


def test_viewer_reads_but_cannot_plan(client, history):
    _client(client, history, "viewer")
    pk = history.campaign.pk
    assert client.get(reverse("backoffice:plan_list", args=[pk])).status_code == 200
    assert client.get(reverse("backoffice:plan_new", args=[pk])).status_code == 403
    assert client.post(reverse("backoffice:plan_new", args=[pk]), _form(history)).status_code == 403
    assert not Plan.objects.exists()


def test_editor_plans_reads_result_and_exports(client, history, django_capture_on_commit_callbacks):
    _client(client, history, "editor")
    pk = history.campaign.pk
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("backoffice:plan_new", args=[pk]), _form(history))
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:plan_detail", args=[pk, plan.pk])
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Comme la dernière vague" in html and "Partage égal" in html
    assert "Courbes de réponse" in html and "<polygon" in html
    assert "Test sur la dernière vague mesurée" in html
    export = client.get(reverse("backoffice:plan_export", args=[pk, plan.pk]))
    assert export.status_code == 200
    assert export["Content-Disposition"].startswith("attachment;")
    assert "coût prévu" in export.content.decode("utf-8-sig").splitlines()[0]
    # Billboards per département: Lyon's level with its interval.
    assert "réponse par département" in html and "Rhône (69)" in html


def test_two_saved_plans_are_compared_side_by_side(
    client, history, django_capture_on_commit_callbacks
):
    _client(client, history, "editor")
    pk = history.campaign.pk
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("backoffice:plan_new", args=[pk]), _form(history, name="Prudent"))
        client.post(
            reverse("backoffice:plan_new", args=[pk]),
            _form(history, name="Ambitieux", budget="3 200 000"),
        )
    first, second = Plan.objects.order_by("pk")
    listing = client.get(reverse("backoffice:plan_list", args=[pk])).content.decode()
    assert f'name="plan" value="{first.pk}"' in listing
    _client(client, history, "viewer")  # reading is enough to compare
    url = reverse("backoffice:plan_compare", args=[pk])
    page = client.get(url, {"plan": [first.pk, second.pk]})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Prudent" in html and "Ambitieux" in html and "Besoin atteint" in html
    need = [round(p.result["plan"]["need"]) for p in (first, second)]
    assert need[1] > need[0]  # more budget, more need reached: both shown
    for value in need:
        assert str(value) in html.replace("\xa0", "").replace(" ", "")
    alone = client.get(url, {"plan": [first.pk]})
    assert alone.status_code == 400 and "au moins deux plans" in alone.content.decode()


def test_pending_plan_shows_progress_and_refreshes(client, history):
    _client(client, history, "editor")
    plan = Plan.objects.create(
        campaign=history.campaign,
        wave=history.next_wave,
        name="En cours",
        budget_cents=1,
        starts_on=history.next_wave.starts_on,
        ends_on=history.next_wave.ends_on,
        status=Plan.Status.RUNNING,
        progress=40,
        step="Courbe : Affichage",
    )
    html = client.get(
        reverse("backoffice:plan_detail", args=[history.campaign.pk, plan.pk])
    ).content.decode()
    assert 'http-equiv="refresh"' in html and 'value="40"' in html and "Courbe : Affichage" in html


def test_bad_input_is_explained_in_french_and_nothing_saved(client, history):
    _client(client, history, "editor")
    url = reverse("backoffice:plan_new", args=[history.campaign.pk])
    response = client.post(url, _form(history, budget="50 000", fixed_costs="80 000"))
    assert response.status_code == 400
    assert "ne couvre pas les frais fixes" in response.content.decode()
    response = client.post(url, _form(history, min_tv="2 000 000", min_social="1 000 000"))
    assert "somme des minimums par canal" in response.content.decode()
    response = client.post(url, _form(history, budget="-3"))
    assert response.status_code == 400 and "Montant illisible" in response.content.decode()
    assert not Plan.objects.exists()


def test_plan_list_query_count(client, history):
    _client(client, history, "editor")
    for i in range(5):
        Plan.objects.create(
            campaign=history.campaign,
            wave=history.next_wave,
            name=f"Plan {i}",
            budget_cents=1,
            starts_on=history.next_wave.starts_on,
            ends_on=history.next_wave.ends_on,
            created_by=history.users["editor"],
        )
    url = reverse("backoffice:plan_list", args=[history.campaign.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("Plan ") >= 5
    # session, user, memberships for the scope, campaign, "can change" membership, plans with
    # their wave and author: constant in the number of plans.
    assert len(queries) <= 9, [q["sql"] for q in queries]
