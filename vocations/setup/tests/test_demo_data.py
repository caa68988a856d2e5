import pytest
from django.core.management import CommandError, call_command

from vocations.accounts.models import Organization, User
from vocations.territories.models import Commune, Department, Region


@pytest.fixture
def small_map(db):
    """Three départements in two régions, a few communes each."""
    ara = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", slug="ara")
    hdf = Region.objects.create(code="32", name="Hauts-de-France", slug="hdf")
    departments = [
        Department.objects.create(code="69", name="Rhône", slug="rhone", region=ara),
        Department.objects.create(code="38", name="Isère", slug="isere", region=ara),
        Department.objects.create(code="59", name="Nord", slug="nord", region=hdf),
    ]
    for d in departments:
        for i in range(6):
            Commune.objects.create(
                insee_code=f"{d.code}{i:03d}",
                name=f"Ville {d.code}-{i}",
                department=d,
                region=d.region,
                population=1000 * (i + 1),
            )
    return departments


def test_demo_data_needs_reference_data(db):
    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("demo_data", "--seed", "1", "--scale", "small")


def test_demo_data_builds_a_world_once(small_map, settings, capsys):
    settings.DEBUG = True
    call_command("demo_data", "--seed", "3", "--scale", "small")
    count = Organization.objects.count()
    # 300 companies + 120 schools + the campaign team + the collective + 2 régions
    # + the demo collective of ambassadors (vocations/ambassadors/demo.py) + the flagship's
    # organizing body (vocations/setup/demo.py).
    assert count == 300 + 120 + 2 + 2 + 1 + 1
    assert set(
        Organization.objects.filter(kind="company").values_list("department__code", flat=True)
    ) == {"69", "38", "59"}
    # Only the 4 largest communes of each département are used.
    assert not Organization.objects.filter(commune__population__lt=3000).exists()
    staff = User.objects.get(email="equipe@vocations.demo")
    assert staff.is_staff and staff.check_password("vocations-demo")
    out = capsys.readouterr().out
    assert "equipe@vocations.demo" in out and "vocations-demo" in out

    call_command("demo_data", "--seed", "3", "--scale", "small")
    assert Organization.objects.count() == count
    assert User.objects.filter(email="equipe@vocations.demo").count() == 1
    assert "déjà là" in capsys.readouterr().out


def test_no_demo_accounts_when_debug_is_off(small_map, settings):
    settings.DEBUG = False
    call_command("demo_data", "--seed", "1", "--scale", "small")
    assert not User.objects.exists()


def test_the_demo_campaign_links_to_labelled_events(small_map, settings):
    """campaigns and events do not know each other: setup joins them (docs/architecture.md)."""
    from vocations.campaigns.models import TrackedLink
    from vocations.events.models import Event
    from vocations.setup.demo import EVENT_LINKS, build_event_links

    settings.DEBUG = False
    call_command("demo_data", "--seed", "1", "--scale", "small")
    links = TrackedLink.objects.filter(target_kind="event").select_related("event", "campaign")
    shown = Event.objects.filter(label__state="labelled", is_published=True)
    assert links.count() == min(EVENT_LINKS, shown.count()) > 0
    for link in links:
        assert link.campaign.slug == "avec-l-industrie"
        assert link.event in shown and link.landing_path == f"/evenements/{link.event.slug}/"
    assert build_event_links() == {}  # built once


def test_every_printed_account_finds_its_own_data(small_map, settings, capsys):
    """The organizer runs a company with published events; the branch editor may edit the
    metalworking branch's page (the demo is how people judge the product)."""
    from vocations.accounts.permissions import can_edit_branch
    from vocations.careers.models import Branch
    from vocations.events.models import Event

    Branch.objects.create(slug="bois", name="Branche du bois", short_name="Bois")
    metal = Branch.objects.create(slug="metallurgie", name="Métallurgie", short_name="Métallurgie")
    settings.DEBUG = True
    call_command("demo_data", "--seed", "2", "--scale", "small")
    out = capsys.readouterr().out

    organizer = User.objects.get(email="organisateur@vocations.demo")
    company = Organization.objects.get(memberships__user=organizer, kind="company")
    assert Event.objects.filter(organization=company, is_published=True).exists()
    assert f"« {company} »" in out
    # One of the organizer's events answers its waiting list by offers, one pending.
    from vocations.events.models import Registration
    from vocations.events.registration_selectors import confirmed_seats

    (offers,) = Event.objects.filter(organization=company, waitlist_offer_hours=48)
    pending = Registration.objects.get(
        event=offers, status="waitlisted", offer_expires_at__isnull=False
    )
    assert pending.offer_expires_at > pending.offered_at
    offers.refresh_from_db()
    assert offers.seats_confirmed == confirmed_seats(offers)
    assert offers.seats_confirmed + offers.seats_held == offers.capacity

    editor = User.objects.get(email="branche@vocations.demo")
    assert can_edit_branch(editor, metal)
    assert not can_edit_branch(editor, Branch.objects.get(slug="bois"))
    assert "branche@vocations.demo" in out and "/organisateur/branches/metallurgie/page/" in out
