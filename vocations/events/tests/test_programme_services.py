from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from vocations.careers.models import Trade
from vocations.core.models import AuditEntry
from vocations.events.models import EventPartner, Partner, Session, SessionInvitation, Space
from vocations.events.services import (
    SessionData,
    SpaceData,
    event_create,
    partner_add,
    partner_remove,
    partner_update,
    session_create,
    session_delete,
    session_invitations_set,
    session_update,
    space_create,
    space_update,
    universe_create,
    universe_delete,
)

from .conftest import at


def png(name="logo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def session_data(**overrides) -> SessionData:
    values = dict(kind="conference", title="Table ronde", starts_at=at(20, 10), ends_at=at(20, 11))
    values.update(overrides)
    return SessionData(**values)


@pytest.fixture
def owner(users):
    return users["owner"]


@pytest.fixture
def other_event(org, other_org, users, event_data):
    return event_create(actor=users["other"], organization=other_org, data=event_data())


@pytest.mark.django_db
class TestPartners:
    def test_add_update_remove(self, draft_event, owner, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        link = partner_add(
            actor=owner,
            event=draft_event,
            name=" Forges SA ",
            website="https://forges.example",
            logo=png(),
            level="main_sponsor",
            position=2,
        )
        assert link.partner.name == "Forges SA"
        assert link.partner.logo.name.startswith("partners/")
        partner_update(actor=owner, event_partner=link, name="Forges & Fils", level="media")
        link.refresh_from_db()
        assert (link.partner.name, link.level, link.partner.website) == (
            "Forges & Fils",
            "media",
            "",
        )
        assert link.partner.logo  # kept when no new logo is sent
        partner_remove(actor=owner, event_partner=link)
        assert not EventPartner.objects.exists() and not Partner.objects.exists()
        assert AuditEntry.objects.filter(action="event.partner_removed").count() == 1

    def test_logo_that_is_not_an_image_is_refused(self, draft_event, owner):
        fake = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
        with pytest.raises(ValidationError) as info:
            partner_add(actor=owner, event=draft_event, name="X", logo=fake)
        assert "image lisible" in " ".join(info.value.message_dict["logo"])
        assert not Partner.objects.exists()

    def test_bad_level_and_website(self, draft_event, owner):
        with pytest.raises(ValidationError) as info:
            partner_add(actor=owner, event=draft_event, name="", website="pas-un-site", level="x")
        assert set(info.value.message_dict) == {"name", "website", "level"}

    def test_viewer_and_other_organization_refused(self, draft_event, users):
        for user in (users["viewer"], users["other"]):
            with pytest.raises(PermissionDenied):
                partner_add(actor=user, event=draft_event, name="Intrus")
        assert not Partner.objects.exists()

    def test_editing_a_shared_partner_edits_a_copy(self, draft_event, other_event, owner):
        link = partner_add(actor=owner, event=draft_event, name="Partagé")
        EventPartner.objects.create(event=other_event, partner=link.partner)
        universe = universe_create(actor=owner, event=draft_event, name="U")
        space = space_create(
            actor=owner, universe=universe, data=SpaceData(name="S", partner=link.partner)
        )
        partner_update(actor=owner, event_partner=link, name="Renommé")
        assert other_event.event_partners.get().partner.name == "Partagé"
        link.refresh_from_db()
        space.refresh_from_db()
        assert link.partner.name == "Renommé" and space.partner_id == link.partner_id


@pytest.mark.django_db
class TestUniversesAndSpaces:
    def test_space_with_trades_and_partner(self, draft_event, owner):
        trade = Trade.objects.create(rome_code="H2913", title="Soudeur", slug="soudeur")
        link = partner_add(actor=owner, event=draft_event, name="Forges SA")
        universe = universe_create(actor=owner, event=draft_event, name="Fabriquer")
        space = space_create(
            actor=owner,
            universe=universe,
            data=SpaceData(
                name="Atelier soudure",
                description="Essayez le simulateur",
                trade_ids=[trade.pk],
                partner=link.partner,
            ),
        )
        assert list(space.trades.all()) == [trade]
        assert space.partner == link.partner

    def test_partner_from_another_event_refused(self, draft_event, other_event, owner, users):
        foreign = partner_add(actor=users["other"], event=other_event, name="Ailleurs")
        universe = universe_create(actor=owner, event=draft_event, name="Fabriquer")
        with pytest.raises(ValidationError) as info:
            space_create(
                actor=owner, universe=universe, data=SpaceData(name="S", partner=foreign.partner)
            )
        assert "partner" in info.value.message_dict
        assert not Space.objects.exists()

    def test_unknown_trade_refused_nothing_written(self, draft_event, owner):
        universe = universe_create(actor=owner, event=draft_event, name="U")
        space = space_create(actor=owner, universe=universe, data=SpaceData(name="Avant"))
        with pytest.raises(ValidationError):
            space_update(actor=owner, space=space, data=SpaceData(name="Après", trade_ids=[999]))
        space.refresh_from_db()
        assert space.name == "Avant"

    def test_deleting_a_universe_keeps_its_sessions(self, draft_event, owner):
        universe = universe_create(actor=owner, event=draft_event, name="U")
        space = space_create(actor=owner, universe=universe, data=SpaceData(name="S"))
        session = session_create(actor=owner, event=draft_event, data=session_data(space=space))
        universe_delete(actor=owner, universe=universe)
        session.refresh_from_db()
        assert session.space is None and not Space.objects.exists()


@pytest.mark.django_db
class TestSessions:
    def test_create_and_update(self, draft_event, owner):
        session = session_create(
            actor=owner,
            event=draft_event,
            data=session_data(capacity=30, audience="young_people", school_groups_only=True),
        )
        assert (session.capacity, session.school_groups_only) == (30, True)
        session_update(
            actor=owner, session=session, data=session_data(title="Dîner", invitation_only=True)
        )
        session.refresh_from_db()
        assert session.title == "Dîner" and session.invitation_only and session.capacity is None

    @pytest.mark.parametrize(
        "overrides, field",
        [
            ({"starts_at": at(20, 12), "ends_at": at(20, 11)}, "ends_at"),
            ({"starts_at": at(19, 10), "ends_at": at(19, 11)}, "starts_at"),
            ({"starts_at": at(20, 16), "ends_at": at(20, 18)}, "ends_at"),
            ({"kind": "banquet"}, "kind"),
            ({"capacity": 0}, "capacity"),
        ],
    )
    def test_bad_input_refused(self, draft_event, owner, overrides, field):
        with pytest.raises(ValidationError) as info:
            session_create(actor=owner, event=draft_event, data=session_data(**overrides))
        assert field in info.value.message_dict
        assert not Session.objects.exists()

    def test_capacity_below_confirmed_seats_refused(self, draft_event, owner):
        session = session_create(actor=owner, event=draft_event, data=session_data(capacity=30))
        Session.objects.filter(pk=session.pk).update(seats_confirmed=12)
        with pytest.raises(ValidationError) as info:
            session_update(actor=owner, session=session, data=session_data(capacity=10))
        assert "12 places déjà confirmées" in info.value.message_dict["capacity"][0]
        session.refresh_from_db()
        assert session.capacity == 30
        session_update(actor=owner, session=session, data=session_data(capacity=12))
        session.refresh_from_db()
        assert session.capacity == 12

    def test_space_of_another_event_refused(self, draft_event, other_event, owner, users):
        universe = universe_create(actor=users["other"], event=other_event, name="U")
        space = space_create(actor=users["other"], universe=universe, data=SpaceData(name="S"))
        with pytest.raises(ValidationError) as info:
            session_create(actor=owner, event=draft_event, data=session_data(space=space))
        assert "space" in info.value.message_dict

    def test_viewer_cannot_delete(self, draft_event, owner, users):
        session = session_create(actor=owner, event=draft_event, data=session_data())
        with pytest.raises(PermissionDenied):
            session_delete(actor=users["viewer"], session=session)
        session_delete(actor=owner, session=session)
        assert not Session.objects.exists()


@pytest.mark.django_db
class TestInvitations:
    def test_set_replaces_and_dedupes(self, draft_event, owner):
        session = session_create(
            actor=owner, event=draft_event, data=session_data(invitation_only=True)
        )
        count = session_invitations_set(
            actor=owner, session=session, emails="a@x.fr\n\nB@x.fr ; b@x.fr\n"
        )
        assert count == 2
        session_invitations_set(actor=owner, session=session, emails=["b@x.fr", "c@x.fr"])
        assert sorted(session.invitations.values_list("email", flat=True)) == ["b@x.fr", "c@x.fr"]

    def test_invalid_line_reported_nothing_written(self, draft_event, owner):
        session = session_create(actor=owner, event=draft_event, data=session_data())
        session_invitations_set(actor=owner, session=session, emails="a@x.fr")
        with pytest.raises(ValidationError) as info:
            session_invitations_set(
                actor=owner, session=session, emails="b@x.fr\npas une adresse\nc@x.fr"
            )
        assert info.value.message_dict["emails"] == [
            "Ligne 2 : « pas une adresse » n'est pas une adresse e-mail valide."
        ]
        assert list(SessionInvitation.objects.values_list("email", flat=True)) == ["a@x.fr"]
