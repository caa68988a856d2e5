"""Smoke test of the running production stack, through nginx (`make smoke`, CI after `make prod`).

    python deploy/smoke.py [--env-file var/prod/env]

What a visitor and an organizer do on a TV night, each checked end to end:

1. pages: the home page answers 200 and the second request is served by nginx's cache
   (X-Cache-Status: HIT); the health check says ok;
2. a registration through the public form (CSRF token, the anti-bot delay) confirms, and the
   confirmation mail reaches the mail relay (the Celery worker sent it over SMTP);
3. a tracked link answers 302 with a visit key, from nginx itself (the link map, njs), and the
   visit is stored (nginx's visit log ingested by the analytics worker, Celery beat's flush);
4. the organizer signs in and checks the new registration's ticket in at the door.

Exits non-zero, naming the step, on the first failure. The database is read (through the
project's settings, from the same environment file) only to pick the event and link to use
and to see that visits and tickets were stored.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROD_DIR = Path(os.environ.get("PROD_DIR", ROOT / "var" / "prod"))
BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)
ORGANIZER = ("organisateur@vocations.demo", "vocations-demo")
WAIT_SECONDS = 60


class Failure(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failure(message)


def read_env(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return dict(pairs)


class Browser:
    """urllib with cookies, no automatic redirects, and a browser's user agent."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path,
            data=body,
            headers={"User-Agent": BROWSER_UA, "Referer": self.base + "/", **(headers or {})},
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode("utf-8", "replace")

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    check(match is not None, f"champ caché {name} absent du formulaire")
    return match.group(1)


def django(env: dict[str, str], code: str) -> dict:
    """Run ``code`` (which sets ``result``) inside the project with the stack's environment."""
    script = (
        "import json, django\ndjango.setup()\n" + code + "\nprint('RESULT=' + json.dumps(result))"
    )
    output = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **env,
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "ERROR",
        },  # fmt: skip
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT="))
    return json.loads(line[len("RESULT=") :])


PICK = """
from django.db.models import F, Q
from django.utils import timezone
from vocations.accounts.models import User
from vocations.campaigns.models import TrackedLink
from vocations.events.rules import registration_closed_reason
from vocations.events.selectors import public_events
organizer = User.objects.get(email=%(organizer)r)
orgs = organizer.memberships.values_list("organization_id", flat=True)
event = next(
    e for e in public_events().filter(organization_id__in=orgs, starts_at__gt=timezone.now())
    .filter(Q(capacity__isnull=True) | Q(capacity__gt=F("seats_confirmed") + 5))
    .order_by("starts_at")
    if not registration_closed_reason(e)
)
link = TrackedLink.objects.order_by("pk").first()
result = {"slug": event.slug, "pk": event.pk, "link": link.code, "link_id": link.pk}
"""
VISITS = """
from vocations.analytics.models import Visit
result = Visit.objects.filter(link_id=%(link_id)d).count()
"""
TICKET = """
from vocations.events.models import Registration
r = Registration.objects.get(email=%(email)r, event_id=%(event)d)
result = {"code": r.ticket_code, "status": r.status, "checked_in": r.checked_in_at is not None}
"""


def wait(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise Failure(f"{what} : rien après {WAIT_SECONDS} s")
        time.sleep(1)


def pages(browser: Browser) -> None:
    status, _, _ = browser.request("/")
    check(status == 200, f"accueil : {status}")
    status, headers, _ = browser.request("/")
    check(status == 200, f"accueil (2e) : {status}")
    check(headers.get("X-Cache-Status") == "HIT", f"accueil pas servi par le cache : {headers}")
    status, _, body = browser.request("/sante/")
    check(status == 200 and json.loads(body)["etat"] == "ok", f"/sante/ : {status} {body}")


def register(browser: Browser, env: dict[str, str], picked: dict, email: str) -> None:
    slug = picked["slug"]
    status, _, _ = browser.request(f"/evenements/{slug}/")
    check(status == 200, f"page de l'événement : {status}")
    form_path = f"/evenements/{slug}/inscription/"
    status, _, html = browser.request(form_path)
    check(status == 200, f"formulaire d'inscription : {status}")
    data = {
        "csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"),
        "form_started": hidden(html, "form_started"),
        "idempotency_key": hidden(html, "idempotency_key"),
        "kind": "individual",
        "first_name": "Camille",
        "last_name": "Essai",
        "email": email,
        "audience": "young_people",
        "age_bracket": "15_17",
        "consent": "1",
    }
    # The anti-bot check refuses a form sent faster than a person types.
    time.sleep(int(env.get("PUBLIC_FORM_MIN_SECONDS", "3")) + 0.5)
    status, headers, body = browser.request(form_path, data)
    check(
        status == 302 and "/confirmation/" in headers.get("Location", ""),
        f"inscription refusée : {status} {headers.get('Location')} {body[:300]}",
    )
    mail_dir = PROD_DIR / "mail"

    def mailed() -> bool:
        return any(email in p.read_text(errors="replace") for p in mail_dir.glob("*.eml"))

    wait(mailed, f"mail de confirmation pour {email}")


def tracked_link(browser: Browser, env: dict[str, str], picked: dict) -> None:
    before = django(env, VISITS % picked)
    status, headers, _ = browser.request(f"/l/{picked['link']}?s=qr")
    check(status == 302, f"lien suivi : {status}")
    location = headers.get("Location", "")
    check("v=" in location, f"pas de clé de visite : {location}")
    # nginx answered it (its visit key is $request_id, 32 hex digits; Django's has 22
    # characters): the link map is in force and the visit went to nginx's visit log.
    key = location.split("v=", 1)[1] if "v=" in location else ""
    check(re.fullmatch(r"[0-9a-f]{32}", key) is not None, f"lien suivi servi par Django : {key}")
    wait(lambda: django(env, VISITS % picked) >= before + 1, "visite du lien suivi enregistrée")


def check_in(env: dict[str, str], base: str, picked: dict, email: str) -> None:
    staff = Browser(base)
    status, _, html = staff.request("/organisateur/connexion/")
    check(status == 200, f"page de connexion : {status}")
    token = hidden(html, "csrfmiddlewaretoken")
    login = {"csrfmiddlewaretoken": token, "username": ORGANIZER[0], "password": ORGANIZER[1]}
    status, headers, body = staff.request("/organisateur/connexion/", login)
    check(status == 302, f"connexion de l'organisatrice : {status} {body[:300]}")
    ticket = django(env, TICKET % {"email": email, "event": picked["pk"]})
    check(ticket["status"] == "confirmed", f"inscription non confirmée : {ticket}")
    status, _, body = staff.request(
        f"/organisateur/evenements/{picked['pk']}/accueil/scan/",
        {"ticket": ticket["code"], "scan_id": f"smoke-{time.time_ns()}"},
        headers={"X-CSRFToken": staff.cookie("csrftoken"), "Accept": "application/json"},
    )
    check(status == 200, f"accueil : {status} {body[:300]}")
    answer = json.loads(body)
    check(answer["ok"] and answer["status"] == "welcome", f"billet non enregistré : {answer}")
    after = django(env, TICKET % {"email": email, "event": picked["pk"]})
    check(after["checked_in"], "arrivée non enregistrée en base")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env-file", type=Path, default=PROD_DIR / "env")
    args = parser.parse_args()
    env = read_env(args.env_file)
    base = env["SITE_URL"]
    browser = Browser(base)
    email = f"essai-{time.time_ns()}@example.fr"
    steps = []
    try:
        picked = django(env, PICK % {"organizer": ORGANIZER[0]})
        for name, step in (
            ("pages", lambda: pages(browser)),
            ("inscription", lambda: register(browser, env, picked, email)),
            ("lien suivi", lambda: tracked_link(browser, env, picked)),
            ("accueil", lambda: check_in(env, base, picked, email)),
        ):
            started = time.monotonic()
            step()
            steps.append(name)
            print(f"smoke: {name} ok ({time.monotonic() - started:.1f} s)", flush=True)
    except (Failure, subprocess.CalledProcessError, OSError, KeyError, StopIteration) as error:
        detail = getattr(error, "stderr", "") or ""
        sys.exit(f"smoke: ÉCHEC après {steps or 'rien'} : {error} {detail[-2000:]}")
    print(f"smoke: tout va bien à travers nginx ({base})")


if __name__ == "__main__":
    main()
