"""Password reset by e-mail (issue 15, point 3): there was none."""

from __future__ import annotations

import re
from html import unescape

import pytest

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

REQUEST = "/organisateur/mot-de-passe/oublie/"


def link_of(mail) -> str:
    match = re.search(r"https?://[^/\s]+(/organisateur/mot-de-passe/[^\s]+/)", mail.body)
    assert match, mail.body
    return match.group(1)


def test_reset_flow(client, users, mailoutbox, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://vocations.example.fr"
    login_page = unescape(client.get("/organisateur/connexion/").content.decode())
    assert REQUEST in login_page and "Mot de passe oublié" in login_page

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(REQUEST, {"email": "Owner@Forges.fr"})
    assert response.status_code == 302
    assert response["Location"] == "/organisateur/mot-de-passe/envoye/"
    assert mailoutbox == []  # sent after the commit, not during the request's transaction
    for callback in callbacks:
        callback()

    (mail,) = mailoutbox
    assert mail.to == ["owner@forges.fr"]
    assert mail.subject == "Vocations : choisir un nouveau mot de passe"
    assert (
        "https://vocations.example.fr/organisateur/mot-de-passe/" in mail.body
    )  # SITE_URL, not the Host header
    link = link_of(mail)

    form = client.get(link, follow=True)
    assert "Nouveau mot de passe" in unescape(form.content.decode())
    set_url = form.redirect_chain[-1][0]
    mismatch = client.post(
        set_url, {"new_password1": "Un-nouveau-secret-42", "new_password2": "autre"}
    )
    assert "Les deux mots de passe ne sont pas identiques." in unescape(mismatch.content.decode())
    done = client.post(
        set_url,
        {"new_password1": "Un-nouveau-secret-42", "new_password2": "Un-nouveau-secret-42"},
    )
    assert done["Location"] == "/organisateur/mot-de-passe/change/"

    assert not client.login(username="owner@forges.fr", password=PASSWORD)
    assert client.login(username="owner@forges.fr", password="Un-nouveau-secret-42")
    client.logout()
    # The link served once.
    again = unescape(client.get(link, follow=True).content.decode())
    assert "Ce lien n'est plus valable" in again


def test_unknown_address_gets_the_same_answer_and_no_mail(
    client, users, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REQUEST, {"email": "personne@nulle-part.fr"})
    assert response["Location"] == "/organisateur/mot-de-passe/envoye/"
    assert mailoutbox == []


def test_reset_requests_are_limited_per_address(client, users, mailoutbox, settings):
    for _ in range(3):
        assert client.post(REQUEST, {"email": "owner@forges.fr"}).status_code == 302
    response = client.post(REQUEST, {"email": "owner@forges.fr"})
    assert response.status_code == 429
    assert response["Retry-After"].isdigit()


def test_a_new_password_ends_a_lockout(
    client, users, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(8):
        client.post("/organisateur/connexion/", {"username": "owner@forges.fr", "password": "x"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REQUEST, {"email": "owner@forges.fr"})
    form = client.get(link_of(mailoutbox[0]), follow=True)
    new = "Un-nouveau-secret-42"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    response = client.post(
        "/organisateur/connexion/", {"username": "owner@forges.fr", "password": new}
    )
    assert response.status_code == 302
