"""The gate's own order: sign-in, then scope (404), then the rule (403), then the view with the
object; a service's PermissionDenied inside becomes the same 403; a missing rule fails at import."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.test import RequestFactory

from vocations.accounts.gate import Lookup, NotFound, Refused, make_gate
from vocations.accounts.models import Membership, Organization, User

pytestmark = pytest.mark.django_db


class Answers:
    def sign_in(self, request):
        return ("sign-in", None)

    def not_found(self, request, message):
        return (404, message)

    def forbidden(self, request, message):
        return (403, message)


gate = make_gate(Answers())


def organizations_seen_by(user, pk):
    # A scoped selector over organizations themselves (their own organization field).
    from vocations.accounts.permissions import organizations_for

    return organizations_for(user, action="view").filter(pk=pk).first()


ORGANIZATION = Lookup("event", "pk", organizations_seen_by, "Introuvable.")


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.fixture
def people(organization, owner):
    viewer = User.objects.create_user("lecteur@exemple.fr")
    Membership.objects.create(user=viewer, organization=organization, role="viewer")
    stranger = User.objects.create_user("autre@exemple.fr")
    other = Organization.objects.create(name="Autre", slug="autre", kind="company")
    Membership.objects.create(user=stranger, organization=other, role="owner")
    return {"owner": owner, "viewer": viewer, "stranger": stranger}


@gate("change", ORGANIZATION, denied="Lecture seule.")
def rename(request, organization, suffix="!"):
    return (200, organization.name + suffix)


def test_signed_out_goes_to_sign_in(organization):
    assert rename(_request(AnonymousUser()), pk=organization.pk) == ("sign-in", None)


def test_out_of_scope_is_not_found(people, organization):
    assert rename(_request(people["stranger"]), pk=organization.pk) == (404, "Introuvable.")


def test_in_scope_without_the_right_is_forbidden(people, organization):
    assert rename(_request(people["viewer"]), pk=organization.pk) == (403, "Lecture seule.")


def test_the_view_receives_the_object_and_the_other_keywords(people, organization):
    response = rename(_request(people["owner"]), pk=organization.pk, suffix="?")
    assert response == (200, "Forges de l'Est?")


def test_finders_may_answer_their_own_404_or_403(people, organization):
    def hidden(user, pk):
        raise NotFound("Pas labellisé.")

    def members_only(user):
        raise Refused("Réservé aux membres.")

    @gate("view", Lookup("event", "pk", hidden, ""))
    def one(request, obj):
        raise AssertionError("never reached")

    @gate("view", Lookup("member", (), members_only, ""))
    def two(request, obj):
        raise AssertionError("never reached")

    assert one(_request(people["owner"]), pk=1) == (404, "Pas labellisé.")
    assert two(_request(people["owner"])) == (403, "Réservé aux membres.")


def test_a_service_refusal_inside_the_view_is_a_403(people, organization):
    @gate("view", ORGANIZATION)
    def view(request, organization):
        raise PermissionDenied("Refusé par le service.")

    assert view(_request(people["viewer"]), pk=organization.pk) == (403, "Refusé par le service.")


def test_a_gate_without_a_rule_fails_at_import():
    with pytest.raises(ImproperlyConfigured, match="RULES"):
        gate("fly", ORGANIZATION)
    with pytest.raises(ImproperlyConfigured, match="RULES"):
        gate("fly")


def test_the_wrapper_carries_what_it_checks():
    assert rename.gate.action == "change"
    assert rename.gate.lookups == (ORGANIZATION,)
