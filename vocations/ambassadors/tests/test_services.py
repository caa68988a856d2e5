"""Members, invitations, mobilisations, personal links, posts, erasure: the services' rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vocations.ambassadors.models import Ambassador, Invitation, Post, PostMetric, Theme
from vocations.ambassadors.services import (
    MobilisationData,
    PostData,
    ProfileData,
    ambassador_erase,
    ambassador_network_set,
    ambassador_update_profile,
    invitation_create,
    invitation_for_token,
    invitation_join,
    join_request_create,
    join_request_decide,
    mobilisation_create,
    mobilisation_join,
    post_declare,
    post_metrics_set,
    theme_save,
)
from vocations.campaigns.models import TrackedLink
from vocations.core.models import AuditEntry

from .conftest import day

pytestmark = pytest.mark.django_db


def test_five_themes_are_seeded():
    assert Theme.objects.filter(collective__isnull=True).count() == 5
    assert Theme.objects.filter(slug="inclusion-diversite").exists()


def test_coordinator_edits_a_theme_and_a_member_cannot(collective, coordinator, alice):
    theme = Theme.objects.get(slug="savoir-faire")
    theme_save(actor=coordinator, collective=collective, theme=theme, name="Savoir-faire")
    assert Theme.objects.get(pk=theme.pk).name == "Savoir-faire"
    with pytest.raises(PermissionDenied):
        theme_save(actor=alice.user, collective=collective, name="Un thème à moi")


def test_request_to_join_then_acceptance_then_join(collective, coordinator, departments):
    request = join_request_create(
        collective=collective,
        email="Chloe@Example.fr",
        full_name="Chloé Bernard",
        department=departments["42"],
    )
    assert invitation_for_token(request.token) is None  # not accepted yet: the link is dead
    join_request_decide(actor=coordinator, invitation=request, accept=True)
    invitation = invitation_for_token(request.token)
    with pytest.raises(ValidationError) as error:
        invitation_join(invitation=invitation, password="un-mot-de-passe", consent=False)
    assert "charte" in str(error.value)
    member = invitation_join(invitation=invitation, password="un-mot-de-passe", consent=True)
    assert member.user.email == "chloe@example.fr"
    assert member.department == departments["42"] and member.consent_at is not None
    with pytest.raises(ValidationError):  # the link served once
        invitation_join(invitation=invitation, password="un-mot-de-passe", consent=True)
    assert AuditEntry.objects.filter(action="ambassadors.joined").count() == 1


def test_only_a_coordinator_invites_or_accepts(collective, alice, outsider):
    with pytest.raises(PermissionDenied):
        invitation_create(actor=alice.user, collective=collective, email="x@example.fr")
    request = join_request_create(collective=collective, email="y@example.fr", full_name="Y")
    with pytest.raises(PermissionDenied):
        join_request_decide(actor=outsider, invitation=request, accept=True)
    assert Invitation.objects.get(pk=request.pk).status == "pending"


def test_bad_email_and_duplicate_pending_request(collective):
    with pytest.raises(ValidationError) as error:
        join_request_create(collective=collective, email="pas-un-email", full_name="Z")
    assert "invalide" in str(error.value)
    join_request_create(collective=collective, email="z@example.fr", full_name="Z")
    with pytest.raises(ValidationError) as error:
        join_request_create(collective=collective, email="z@example.fr", full_name="Z")
    assert "déjà en attente" in str(error.value)


def test_network_defaults_and_own_profile_only(alice, bruno):
    row = ambassador_network_set(
        actor=alice.user, ambassador=alice, network="linkedin", handle="alice", audience_size=3200
    )
    assert "parents" in row.audiences and "young_people" not in row.audiences
    row = ambassador_network_set(
        actor=alice.user,
        ambassador=alice,
        network="linkedin",
        audience_size=3300,
        audiences=["young_people", "parents"],
    )
    assert row.audiences == ["young_people", "parents"] and row.audience_size == 3300
    with pytest.raises(ValidationError):
        ambassador_network_set(
            actor=alice.user, ambassador=alice, network="linkedin", audience_size=-4
        )
    with pytest.raises(ValidationError):
        ambassador_network_set(
            actor=alice.user, ambassador=alice, network="linkedin", audiences=["martians"]
        )
    with pytest.raises(PermissionDenied):
        ambassador_network_set(actor=bruno.user, ambassador=alice, network="tiktok")
    with pytest.raises(PermissionDenied):
        ambassador_update_profile(
            actor=bruno.user, ambassador=alice, data=ProfileData(display_name="Piraté")
        )


def _mobilisation(collective, coordinator, world, **overrides):
    values = dict(
        title="Portes ouvertes : les parents",
        goal="Toucher les parents de lycéens",
        starts_on=day(1),
        ends_on=day(20),
        event=world.event,
        campaign=world.campaign,
        target_audiences=["parents"],
    )
    values.update(overrides)
    return mobilisation_create(
        actor=coordinator, collective=collective, data=MobilisationData(**values)
    )


def test_mobilisation_needs_event_xor_wave_and_a_coordinator(collective, coordinator, world, alice):
    with pytest.raises(ValidationError) as error:
        _mobilisation(collective, coordinator, world, wave=world.wave1)
    assert "soit un événement" in str(error.value)
    with pytest.raises(PermissionDenied):
        _mobilisation(collective, alice.user, world)
    on_wave = _mobilisation(
        collective, coordinator, world, event=None, wave=world.wave2, campaign=None
    )
    assert on_wave.campaign == world.campaign and on_wave.landing_path == "/"


def test_join_gives_a_personal_post_link_once(collective, coordinator, world, alice, bruno):
    mobilisation = _mobilisation(collective, coordinator, world)
    participation = mobilisation_join(actor=alice.user, ambassador=alice, mobilisation=mobilisation)
    link = participation.link
    assert link.target_kind == TrackedLink.TargetKind.POST
    assert link.campaign == world.campaign and link.event == world.event
    assert link.landing_path == f"/evenements/{world.event.slug}/"
    again = mobilisation_join(actor=alice.user, ambassador=alice, mobilisation=mobilisation)
    assert again.pk == participation.pk
    with pytest.raises(PermissionDenied):  # Bruno cannot join in Alice's name
        mobilisation_join(actor=bruno.user, ambassador=alice, mobilisation=mobilisation)


@pytest.mark.parametrize(
    ("network", "url", "error"),
    [
        ("linkedin", "https://www.linkedin.com/posts/alice-123", None),
        ("linkedin", "https://lnkd.in/abc", None),
        ("linkedin", "https://evil.example/linkedin.com", "n'est pas sur LinkedIn"),
        ("linkedin", "https://linkedin.com.evil.example/x", "n'est pas sur LinkedIn"),
        ("tiktok", "javascript:alert(1)", "http"),
        ("instagram", "ftp://instagram.com/p/1", "http"),
        ("other", "https://mon-blog.example/article", None),
        ("blog", "https://newsletter.example/n1", None),
    ],
)
def test_post_url_is_checked(alice, network, url, error):
    data = PostData(network=network, url=url, published_on=day(3))
    if error is None:
        assert post_declare(actor=alice.user, ambassador=alice, data=data).url == url
    else:
        with pytest.raises(ValidationError) as raised:
            post_declare(actor=alice.user, ambassador=alice, data=data)
        assert error in str(raised.value)
        assert not Post.objects.exists()


def test_metrics_only_by_the_author(alice, bruno):
    post = post_declare(
        actor=alice.user,
        ambassador=alice,
        data=PostData(network="linkedin", url="https://linkedin.com/p/1", published_on=day(2)),
    )
    assert post_metrics_set(actor=alice.user, post=post, values={"impressions": 1200}) == 1
    assert post_metrics_set(actor=alice.user, post=post, values={"impressions": 1200}) == 0
    with pytest.raises(PermissionDenied):
        post_metrics_set(actor=bruno.user, post=post, values={"impressions": 5})
    with pytest.raises(ValidationError):
        post_metrics_set(actor=alice.user, post=post, values={"impressions": -1})
    assert PostMetric.objects.get(post=post).value == 1200


def test_erase_keeps_counts_but_no_personal_data(collective, coordinator, world, alice):
    mobilisation = _mobilisation(collective, coordinator, world)
    participation = mobilisation_join(actor=alice.user, ambassador=alice, mobilisation=mobilisation)
    ambassador_network_set(actor=alice.user, ambassador=alice, network="tiktok", handle="@alice")
    post = post_declare(
        actor=alice.user,
        ambassador=alice,
        data=PostData(
            network="linkedin",
            url="https://linkedin.com/p/2",
            published_on=day(2),
            mobilisation=mobilisation,
            text="Mon atelier",
        ),
    )
    post_metrics_set(actor=alice.user, post=post, values={"impressions": 900})
    user = alice.user
    ambassador_erase(actor=user, ambassador=alice)
    alice.refresh_from_db()
    post.refresh_from_db()
    assert alice.user is None and alice.display_name == "Membre parti"
    assert alice.status == Ambassador.Status.LEFT and not alice.networks.exists()
    assert post.ambassador is None and post.url == "" and post.text == ""
    assert post.metrics.get().value == 900  # the collective's totals are unchanged
    participation.refresh_from_db()
    assert participation.link.is_active  # a printed link keeps working


def test_erase_anonymises_an_account_used_only_for_the_collective(alice):
    user = alice.user
    ambassador_erase(actor=user, ambassador=alice)
    user.refresh_from_db()
    assert user.email.endswith("@invalid.invalid") and not user.is_active
    assert not user.has_usable_password()


def test_an_invitation_serves_only_its_addressee(collective, coordinator, outsider):
    invitation = invitation_create(actor=coordinator, collective=collective, email="g@example.fr")
    with pytest.raises(ValidationError) as error:
        invitation_join(invitation=invitation, user=outsider, consent=True)
    assert "adressée à g@example.fr" in str(error.value)
    assert not Ambassador.objects.filter(user=outsider).exists()
