"""Branch pages: who may edit them (service and back-office screen), validation, audit."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vocations.accounts.models import Membership, Organization, User
from vocations.accounts.services import branch_page_update
from vocations.careers.models import Branch, BranchPage, Sector, Trade
from vocations.core.models import AuditEntry

URL = "/organisateur/branches/metallurgie/page/"


@pytest.fixture
def setup(db):
    metal = Sector.objects.create(slug="metallurgie", name="Métallurgie")
    branch = Branch.objects.create(slug="metallurgie", name="Métallurgie", short_name="Métallurgie")
    branch.sectors.add(metal)
    other_branch = Branch.objects.create(slug="chimie", name="Chimie", short_name="Chimie")
    welder = Trade.objects.create(rome_code="H2913", title="Soudeur / Soudeuse", slug="soudeur")
    welder.branches.add(branch)
    outsider = Trade.objects.create(rome_code="H2301", title="Conducteur chimie", slug="chimie")
    outsider.branches.add(other_branch)
    uimm = Organization.objects.create(name="UIMM", slug="uimm", kind="branch", branch=branch)
    chem = Organization.objects.create(
        name="France Chimie", slug="fc", kind="branch", branch=other_branch
    )
    company = Organization.objects.create(name="Forges", slug="forges", kind="company")
    users = {
        name: User.objects.create_user(f"{name}@example.fr", "mot-de-passe-123")
        for name in ("editor", "viewer", "chemist", "company")
    }
    users["staff"] = User.objects.create_user("staff@example.fr", "x", is_staff=True)
    Membership.objects.create(user=users["editor"], organization=uimm, role="editor")
    Membership.objects.create(user=users["viewer"], organization=uimm, role="viewer")
    Membership.objects.create(user=users["chemist"], organization=chem, role="owner")
    Membership.objects.create(user=users["company"], organization=company, role="owner")
    return {"branch": branch, "welder": welder, "outsider": outsider, "users": users}


def update(setup, actor, **overrides):
    values = dict(
        actor=actor,
        branch=setup["branch"],
        title="La métallurgie recrute",
        message="Premier paragraphe.\nSecond paragraphe.",
        audiences=["young_people", "parents"],
        highlighted_trades=[setup["welder"]],
    )
    values.update(overrides)
    return branch_page_update(**values)


@pytest.mark.django_db
def test_branch_editor_updates_the_page_with_audit(setup):
    editor = setup["users"]["editor"]
    page = update(setup, editor)
    assert page.title == "La métallurgie recrute"
    assert list(page.highlighted_trades.all()) == [setup["welder"]]
    entry = AuditEntry.objects.get(action="careers.branch_page_updated")
    assert entry.actor == editor
    assert entry.organization.slug == "uimm"
    update(setup, editor, title="Nouveau titre")
    assert BranchPage.objects.get().title == "Nouveau titre"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["viewer", "chemist", "company"])
def test_others_may_not_update(setup, who):
    with pytest.raises(PermissionDenied):
        update(setup, setup["users"][who])
    assert not BranchPage.objects.exists()


@pytest.mark.django_db
def test_staff_may_update(setup):
    update(setup, setup["users"]["staff"])
    assert BranchPage.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"message": "x" * 3001}, "message"),
        ({"audiences": ["martians"]}, "audiences"),
        ({"highlighted_trades": "outsider"}, "highlighted_trades"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(setup, overrides, field):
    if overrides.get("highlighted_trades") == "outsider":
        overrides = {"highlighted_trades": [setup["outsider"]]}
    with pytest.raises(ValidationError) as exc:
        update(setup, setup["users"]["editor"], **overrides)
    assert field in exc.value.message_dict
    assert not BranchPage.objects.exists()
    assert not AuditEntry.objects.filter(action="careers.branch_page_updated").exists()


@pytest.mark.django_db
def test_backoffice_screen_for_the_editor(client, setup):
    client.force_login(setup["users"]["editor"])
    assert client.get(URL).status_code == 200
    response = client.post(
        URL,
        {
            "title": "L'industrie du métal vous attend",
            "message": "Des métiers concrets, près de chez vous.",
            "audiences": ["young_people"],
            "highlighted_trades": [setup["welder"].pk],
        },
    )
    assert response.status_code == 302
    public = html.unescape(client.get("/branches/metallurgie/").content.decode())
    assert "L'industrie du métal vous attend" in public
    assert "Des métiers concrets, près de chez vous." in public
    assert "Pour : Jeunes" in public
    assert "Modifier cette page" in public


@pytest.mark.django_db
def test_backoffice_form_errors_are_french(client, setup):
    client.force_login(setup["users"]["editor"])
    response = client.post(URL, {"title": "", "message": ""})
    assert response.status_code == 400
    assert "Le formulaire n'a pas été enregistré" in html.unescape(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["viewer", "chemist", "company"])
def test_backoffice_screen_is_a_404_for_others(client, setup, who):
    client.force_login(setup["users"][who])
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"title": "x", "message": "y"}).status_code == 404
    assert not BranchPage.objects.exists()


@pytest.mark.django_db
def test_backoffice_screen_needs_a_login(client, setup):
    response = client.get(URL)
    assert response.status_code == 302
    assert "connexion" in response["Location"]
