# ruff: noqa: F811 - pytest fixtures imported from vocations/ambassadors/tests/conftest.py
"""Who reaches what, through the gate: every role × object kind × action, by HTTP.

One world: an organizer's event (with a registration, a press request and a partner), a
campaign (wave, placement, tracked link, two branch variants), a collective with a
mobilisation and a member, a branch with an organization. Each role asks each screen; the
answer is the gate's: "login" (sent to sign in), 404 (out of scope: not even its existence
leaks), 403 (in scope, without the right), or "ok" (200, or the redirect after a write).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from vocations.accounts.models import Membership, Organization, User
from vocations.ambassadors.services import MobilisationData, mobilisation_create
from vocations.ambassadors.tests.conftest import (  # noqa: F401 - fixtures
    _measurement,
    collective,
    coordinator,
    departments,
    make_member,
)
from vocations.analytics.tests.support import build_world, make_event, register
from vocations.campaigns.models import BranchMessage
from vocations.careers.models import Branch
from vocations.events.services import accreditation_request, partner_add

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "teacher",  # an account with no organization (a teacher, a parent…)
    "journalist",  # an account that asked for press accreditation, no organization
    "organizer",  # owner of the event's organization
    "organizer_viewer",  # viewer in the event's organization
    "other_organizer",  # owner of another organization
    "campaign_team",  # editor in the campaign's organization
    "campaign_viewer",  # viewer in the campaign's organization
    "branch_editor",  # editor of an organization speaking for a branch
    "coordinator",  # editor of the collective
    "member",  # an ambassador of the collective
    "staff",  # the campaign team's staff accounts
]


@pytest.fixture
def world(db, collective, coordinator, make_member, departments):
    def user(email, **extra):
        return User.objects.create_user(email, "mot-de-passe-test", **extra)

    people = {
        "teacher": user("prof@college.fr"),
        "journalist": user("claire@ouest.fr"),
        "organizer": user("owner@forges.fr"),
        "organizer_viewer": user("viewer@forges.fr"),
        "other_organizer": user("owner@autre.fr"),
        "campaign_team": user("editor@equipe.fr"),
        "campaign_viewer": user("viewer@equipe.fr"),
        "branch_editor": user("editor@branche.fr"),
        "coordinator": coordinator,
        "staff": user("staff@campagne.fr", is_staff=True),
    }
    forges = Organization.objects.create(name="Forges", slug="forges", kind="company")
    other = Organization.objects.create(name="Autre", slug="autre", kind="company")
    Membership.objects.create(user=people["organizer"], organization=forges, role="owner")
    Membership.objects.create(user=people["organizer_viewer"], organization=forges, role="viewer")
    Membership.objects.create(user=people["other_organizer"], organization=other, role="owner")

    campaign_world = build_world()
    campaign = campaign_world.campaign
    Organization.objects.filter(pk=campaign.organization_id).update(kind="campaign_team")
    team = campaign.organization
    Membership.objects.create(user=people["campaign_team"], organization=team, role="editor")
    Membership.objects.create(user=people["campaign_viewer"], organization=team, role="viewer")

    chimie = Branch.objects.create(slug="chimie", name="Branche de la chimie", short_name="Chimie")
    metal = Branch.objects.create(slug="metal", name="Branche du métal", short_name="Métal")
    speaker = Organization.objects.create(
        name="France Chimie", slug="france-chimie", kind="branch", branch=chimie
    )
    Membership.objects.create(user=people["branch_editor"], organization=speaker, role="editor")
    own_variant = BranchMessage.objects.create(
        campaign=campaign, branch=chimie, title="Chimie", text="Texte"
    )
    other_variant = BranchMessage.objects.create(
        campaign=campaign, branch=metal, title="Métal", text="Texte"
    )

    event = make_event(forges, title="Portes ouvertes aux Forges")
    registration = register(event)
    press = accreditation_request(
        event=event,
        full_name="Claire Dupont",
        email="claire@ouest.fr",
        outlet="Ouest-France",
        role="Journaliste",
    )
    partner = partner_add(actor=people["staff"], event=event, name="Aciéries")

    member = make_member("alice@example.fr", "Alice", departments["69"])
    people["member"] = member.user
    day = dt.date(2026, 12, 2)
    mobilisation = mobilisation_create(
        actor=coordinator,
        collective=collective,
        data=MobilisationData(
            title="Parents",
            goal="Toucher les parents",
            starts_on=day,
            ends_on=day + dt.timedelta(days=20),
            wave=campaign_world.wave1,
            campaign=campaign,
            target_audiences=["parents"],
        ),
    )
    return {
        "people": people,
        "event": event,
        "registration": registration,
        "press": press,
        "partner": partner,
        "campaign": campaign,
        "wave": campaign_world.wave1,
        "placement": campaign_world.billboard,
        "link": campaign_world.billboard_link,
        "own_variant": own_variant,
        "other_variant": other_variant,
        "collective": collective,
        "mobilisation": mobilisation,
        "branch": chimie,
    }


# (case, URL name, URL arguments from the world, method): the object kind × action it asks.
CASES = {
    "event view": ("event_detail", lambda w: [w["event"].pk], "get"),
    "event change": ("event_edit", lambda w: [w["event"].pk], "get"),
    "event registrations view": ("registration_list", lambda w: [w["event"].pk], "get"),
    "registration change (cancel)": (
        "registration_cancel",
        lambda w: [w["event"].pk, w["registration"].pk],
        "post",
    ),
    "press request change (accept)": (
        "accreditation_decide",
        lambda w: [w["event"].pk, w["press"].pk, "accepter"],
        "post",
    ),
    "partner change": ("partner_edit", lambda w: [w["event"].pk, w["partner"].pk], "get"),
    "event create (no object)": ("event_create", lambda w: [], "get"),
    "event review (staff)": ("review_detail", lambda w: [w["event"].pk], "get"),
    "campaign list (no object)": ("campaign_list", lambda w: [], "get"),
    "campaign view": ("campaign_detail", lambda w: [w["campaign"].pk], "get"),
    "campaign change": ("campaign_edit", lambda w: [w["campaign"].pk], "get"),
    "placement change": (
        "placement_edit",
        lambda w: [w["campaign"].pk, w["placement"].pk],
        "get",
    ),
    "link view (QR)": (
        "link_qr",
        lambda w: [w["campaign"].pk, w["link"].pk, "flyer", "svg"],
        "get",
    ),
    "link change (toggle)": ("link_toggle", lambda w: [w["campaign"].pk, w["link"].pk], "post"),
    "campaign report view": ("campaign_report", lambda w: [w["campaign"].pk], "get"),
    "report placement view": (
        "placement_links",
        lambda w: [w["campaign"].pk, w["placement"].pk],
        "get",
    ),
    "branch variants view": ("campaign_messages", lambda w: [w["campaign"].pk], "get"),
    "own branch's variant adapt": (
        "branch_message_edit",
        lambda w: [w["campaign"].pk, w["own_variant"].pk],
        "get",
    ),
    "other branch's variant adapt": (
        "branch_message_edit",
        lambda w: [w["campaign"].pk, w["other_variant"].pk],
        "get",
    ),
    "branch page change": ("branch_page_edit", lambda w: [w["branch"].slug], "get"),
    "territory view": ("territory_map", lambda w: [], "get"),
    "collective coordinate": ("collective_members", lambda w: [w["collective"].pk], "get"),
    "mobilisation coordinate": (
        "mobilisation_detail",
        lambda w: [w["collective"].pk, w["mobilisation"].pk],
        "get",
    ),
    "member space view": ("member_home", lambda w: [], "get"),
    "mobilisation join (member)": ("member_join", lambda w: [w["mobilisation"].pk], "post"),
}

# What a signed-in account with no organization gets: nothing is in its scope.
NOBODY = {
    **dict.fromkeys(CASES, 404),
    "event create (no object)": 403,
    "event review (staff)": 403,
    "campaign list (no object)": 403,
    "territory view": 403,
    "member space view": 403,
    "mobilisation join (member)": 403,
}
EVENT_CASES = [
    "event view",
    "event change",
    "event registrations view",
    "registration change (cancel)",
    "press request change (accept)",
    "partner change",
]
CAMPAIGN_CASES = [
    "campaign list (no object)",
    "campaign view",
    "campaign change",
    "placement change",
    "link view (QR)",
    "link change (toggle)",
    "campaign report view",
    "report placement view",
    "branch variants view",
    "own branch's variant adapt",
    "other branch's variant adapt",
    "territory view",
]
OK = "ok"

EXPECTED: dict[str, dict[str, object]] = {
    "anonymous": dict.fromkeys(CASES, "login"),
    "teacher": NOBODY,
    "journalist": NOBODY,
    "organizer": {
        **NOBODY,
        **dict.fromkeys(EVENT_CASES, OK),
        "event create (no object)": OK,
    },
    "organizer_viewer": {
        **NOBODY,
        "event view": OK,
        "event registrations view": OK,
        "event change": 403,
        "registration change (cancel)": 403,
        "press request change (accept)": 403,
        "partner change": 403,
    },
    "other_organizer": {**NOBODY, "event create (no object)": OK},
    "campaign_team": {
        **NOBODY,
        **dict.fromkeys(CAMPAIGN_CASES, OK),
        "event create (no object)": OK,
    },
    "campaign_viewer": {
        **NOBODY,
        **dict.fromkeys(CAMPAIGN_CASES, OK),
        "campaign change": 403,
        "placement change": 403,
        "link change (toggle)": 403,
        "own branch's variant adapt": 403,
        "other branch's variant adapt": 403,
    },
    "branch_editor": {
        **NOBODY,
        "event create (no object)": OK,  # editor of an organization (its branch's)
        "campaign list (no object)": OK,  # every campaign, for its variants
        "branch variants view": OK,
        "own branch's variant adapt": OK,
        "other branch's variant adapt": 403,
        "branch page change": OK,
        "territory view": OK,
    },
    "coordinator": {
        **NOBODY,
        "event create (no object)": OK,  # editor of an organization (the collective)
        "collective coordinate": OK,
        "mobilisation coordinate": OK,
    },
    "member": {**NOBODY, "member space view": OK, "mobilisation join (member)": OK},
    "staff": {
        **dict.fromkeys(CASES, OK),
        # Staff are no ambassadors: the member's space is its members'.
        "member space view": 403,
        "mobilisation join (member)": 403,
    },
}


def outcome(response) -> object:
    if response.status_code == 302:
        location = response["Location"]
        return "login" if location.startswith(reverse("backoffice:login")) else OK
    return OK if response.status_code == 200 else response.status_code


def test_every_role_has_an_expectation_for_every_case():
    assert set(EXPECTED) == set(ROLES)
    for role, expected in EXPECTED.items():
        assert set(expected) == set(CASES), role


@pytest.mark.parametrize("role", ROLES)
def test_role_by_object_kind_by_action(client, world, role):
    if role != "anonymous":
        client.force_login(world["people"][role])
    answers = {}
    for case, (name, args, method) in CASES.items():
        url = reverse(f"backoffice:{name}", args=args(world))
        response = getattr(client, method)(url)
        answers[case] = outcome(response)
    wrong = {
        case: f"got {answers[case]!r}, expected {EXPECTED[role][case]!r}"
        for case in CASES
        if answers[case] != EXPECTED[role][case]
    }
    assert not wrong, f"{role}: {wrong}"
