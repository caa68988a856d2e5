"""An owner creates an API token and a webhook, tests the webhook and reads its delivery log,
in a real browser, with axe-core on each page (docs/api.md)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from vocations.accounts.models import ApiToken, Membership, Organization, User
from vocations.webhooks.models import Webhook

from .test_checkin import _serious_axe_violations

PASSWORD = "mot-de-passe-de-test"


@pytest.fixture
def receiver():
    received: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks", received
    server.shutdown()
    server.server_close()


def test_owner_manages_tokens_and_webhooks(open_page, screenshot_dir, settings, receiver):
    forges = Organization.objects.create(name="Forges de Lyon", slug="forges", kind="company")
    owner = User.objects.create_user("owner@forges.fr", PASSWORD)
    Membership.objects.create(user=owner, organization=forges, role="owner")

    page = open_page("/organisateur/connexion/")
    page.get_by_label("Adresse e-mail").fill("owner@forges.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/organisateur/")
    page.get_by_role("link", name="API et webhooks").click()
    page.get_by_role("heading", name="API et webhooks — Forges de Lyon").wait_for()
    assert _serious_axe_violations(page) == []

    # A token: shown once, then only its first characters.
    page.get_by_label("Nom du jeton").fill("CRM des Forges")
    page.get_by_role("button", name="Créer le jeton").click()
    secret = page.get_by_label("Jeton", exact=True).input_value()
    token = ApiToken.objects.get(organization=forges)
    assert secret.startswith(token.prefix) and secret.startswith("voc_")
    assert _serious_axe_violations(page) == []
    page.screenshot(path=str(screenshot_dir / "api-token-created-1280.png"), full_page=True)

    # A private address is refused, in French, as it would be in production.
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    url, received = receiver
    page.get_by_label("Adresse (URL) qui recevra les envois").fill("https://10.0.0.8/hooks")
    page.get_by_label("Inscription créée").check()
    page.get_by_role("button", name="Enregistrer le webhook").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert "réseau privé ou local" in summary.inner_text()
    assert not Webhook.objects.exists()
    assert _serious_axe_violations(page) == []

    # Development lets a local receiver in: the test sends to it, the log shows the answer.
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    page.get_by_label("Adresse (URL) qui recevra les envois").fill(url)
    page.get_by_label("Inscription créée").check()
    page.get_by_role("button", name="Enregistrer le webhook").click()
    assert page.get_by_label("Secret de signature").input_value().startswith("whsec_")
    page.get_by_role("link", name=url).click()
    page.get_by_role("button", name="Envoyer un test").click()
    log = page.locator("#deliveries")
    log.wait_for()
    assert "Reçu" in log.inner_text() and "204" in log.inner_text()
    assert len(received) == 1 and b'"ping"' in received[0]
    assert _serious_axe_violations(page) == []
    page.screenshot(path=str(screenshot_dir / "webhook-log-1280.png"), full_page=True)

    # Revoked from the list: the API no longer accepts it.
    page.get_by_role("link", name="API et webhooks — Forges de Lyon").click()
    page.get_by_role("button", name="Révoquer le jeton CRM des Forges").click()
    page.get_by_text("est révoqué").wait_for()
    token.refresh_from_db()
    assert token.revoked_at is not None
