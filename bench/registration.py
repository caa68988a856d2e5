"""P2 registration rush (issue 14, point 4): 2,000 registration attempts on an event of 200
seats, sent by browsers through the public form, against the running production stack.

    make bench-registration     # BENCH_ONLY=p2 of bench/harness.py: the stack, then this part

What each attempt does is what a browser does: GET the form page (the CSRF cookie and token,
the signed ``form_started`` stamp, a fresh idempotency key), wait the anti-bot minimum, then
POST the form. The POSTs go straight to gunicorn (2 sync workers), each from its own client
address (``X-Forwarded-For``, which the stack trusts one hop deep as behind nginx): a rush
comes from 2,000 people, not one, and nginx's per-address ``limit_req`` on the form (a few per
minute) would otherwise answer most of them 429 before Django.

The 2,000 POSTs are sent by ``connections`` clients at once (64, as every figure of the
harness): each takes the next attempt when its previous answer arrived. With 2 sync workers the
server runs two requests at a time whatever the number of clients; more clients only lengthen
the queue each waits in (with all 2,000 released at once the p99 is the whole rush's length).

Reference, in the same run, with the same browsers, tokens and number of clients: the same
POST to ``/banc/inscription/`` of the bare gunicorn (bench/bare_urls.py), which goes through
every middleware and the CSRF check, then INSERTs one registration row in a transaction and
redirects — the floor of a registration in this framework on this database.

Measured: confirmed per second until sell-out (the 200th seat's commit time, from the
database, since the rush started), p50/p99 of the POSTs, the answers by status (no 5xx), exactly
200 seats confirmed and the counter equal to them, the others waitlisted; and how long the
Celery worker took to send every registrant's mail.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import statistics
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path

from .stack import BROWSER_UA, ROOT, Stack, row

TITLE = "P2 registration rush (2,000 attempts on 200 seats)"
ATTEMPTS = 2000
CAPACITY = 200
RESULTS = ROOT / "bench" / "results" / "registration.json"

SETUP = """
import datetime as dt, uuid
from django.utils import timezone
from vocations.events.models import Event, Label
from vocations.events.selectors import public_events
base = (public_events().filter(starts_at__gt=timezone.now() + dt.timedelta(days=2),
        kind=Event.Kind.OPEN_DAY).order_by("starts_at").first()
        or public_events().filter(starts_at__gt=timezone.now()).order_by("starts_at").first())
made = {}
for name, capacity in (("rush", %(capacity)d), ("ref", None)):
    event = Event.objects.get(pk=base.pk)
    event.pk = event.id = None
    event._state.adding = True
    tag = uuid.uuid4().hex[:8]
    event.title = f"Banc {name} {tag}"
    event.slug = f"banc-{name}-{tag}"
    event.capacity = capacity
    event.seats_confirmed = event.seats_held = 0
    event.accepts_groups = False
    event.waitlist_offer_hours = None
    event.registration_opens_at = event.registration_closes_at = None
    event.save()
    Label.objects.create(event=event, state=Label.State.LABELLED)
    made[name] = {"id": event.pk, "slug": event.slug}
result = made
"""

OUTCOME = """
from django.db.models import Count, Max, Min, Sum
from vocations.events.models import Event, Registration
event = Event.objects.get(pk=%(event)d)
regs = Registration.objects.filter(event=event)
confirmed = regs.filter(status="confirmed")
times = sorted(confirmed.values_list("created_at", flat=True))
result = {
    "confirmed": confirmed.count(),
    "confirmed_seats": confirmed.aggregate(s=Sum("seats"))["s"] or 0,
    "waitlisted": regs.filter(status="waitlisted").count(),
    "registrations": regs.count(),
    "counter": event.seats_confirmed,
    "held": event.seats_held,
    "first_confirmed": times[0].timestamp() if times else None,
    "sold_out_at": times[-1].timestamp() if times else None,
    "duplicated_emails": regs.values("email").annotate(n=Count("id")).filter(n__gt=1).count(),
    "reference_rows": Registration.objects.filter(event_id=%(ref)d).count(),
    "mail_failed": regs.filter(mail_failed_at__isnull=False).count(),
}
"""


def _browser(base: str, slug: str) -> dict:
    """One visitor: the form page, as a browser gets it (cookie, token, stamp)."""
    request = urllib.request.Request(
        f"{base}/evenements/{slug}/inscription/", headers={"User-Agent": BROWSER_UA}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        html = response.read().decode()
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)

    def hidden(name: str) -> str:
        match = re.search(rf'name="{name}" value="([^"]*)"', html) or re.search(
            rf'value="([^"]*)" name="{name}"', html
        )
        if match is None:
            raise RuntimeError(f"no {name} in the form page")
        return match.group(1)

    return {
        "cookie": f"csrftoken={cookies['csrftoken'].value}",
        "csrfmiddlewaretoken": hidden("csrfmiddlewaretoken"),
        "form_started": hidden("form_started"),
        "idempotency_key": hidden("idempotency_key"),
    }


def _body(browser: dict, n: int, tag: str, *, first: bool) -> bytes:
    return urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": browser["csrfmiddlewaretoken"],
            "form_started": browser["form_started"],
            # The page's key for the browser's first form, a fresh one (as a new page) after.
            "idempotency_key": browser["idempotency_key"] if first else uuid.uuid4().hex,
            "kind": "individual",
            "first_name": "Camille",
            "last_name": f"Visiteur {n}",
            "email": f"rush-{tag}-{n}@example.fr",
            "audience": "young_people",
            "age_bracket": "15_17",
            "consent": "1",
            "site_web": "",
        }
    ).encode()


async def _post(host: str, port: int, path: str, origin: str, browser: dict, body: bytes, n: int):
    """One POST on its own connection (sync workers close it): (status, seconds, done at)."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: {BROWSER_UA}\r\n"
        f"Origin: {origin}\r\nReferer: {origin}{path}\r\nCookie: {browser['cookie']}\r\n"
        f"X-Forwarded-For: 10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(head + body)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout=120)
        await reader.read()
    finally:
        writer.close()
    status = int(status_line.split()[1]) if status_line else 0
    return status, time.perf_counter() - started, time.time()


async def _rush(base: str, path: str, origin: str, browsers: list, tag: str, clients: int):
    parts = urllib.parse.urlsplit(base)
    queue = list(range(ATTEMPTS))
    results: list = []

    async def client() -> None:
        while queue:
            n = queue.pop(0)
            browser = browsers[n % len(browsers)]
            body = _body(browser, n, tag, first=n < len(browsers))
            try:
                results.append(
                    await _post(parts.hostname, parts.port, path, origin, browser, body, n)
                )
            except (TimeoutError, OSError):
                results.append((0, 120.0, time.time()))

    started = time.time()
    await asyncio.gather(*(client() for _ in range(clients)))
    return started, time.time(), results


def _latency(results: list) -> dict:
    times = sorted(r[1] * 1000 for r in results)
    by_status: dict[str, int] = {}
    for status, *_ in results:
        by_status[str(status)] = by_status.get(str(status), 0) + 1
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p99_ms": round(times[min(len(times) - 1, int(0.99 * len(times)))], 1),
        "statuses": by_status,
        "server_errors": sum(n for s, n in by_status.items() if s.startswith("5") or s == "0"),
    }


def _mails_sent(since: float, tag: str, expected: int, timeout: float = 180) -> dict:
    """How long the worker took to send every registrant's mail (one per attempt: confirmed
    or waiting list), counted in the stack's mail sink (deploy/local/mail_sink.py)."""
    folder = Path(os.environ.get("PROD_DIR", ROOT / "var" / "prod")) / "mail"
    needle = f"rush-{tag}-".encode()
    seen: set[str] = set()
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        for path in folder.glob("*.eml"):
            if path.name in seen or int(path.name.split("-")[0]) / 1e9 < since:
                continue
            try:
                if needle in path.read_bytes()[:4096]:
                    seen.add(path.name)
            except OSError:
                continue
        if len(seen) >= expected:
            break
        time.sleep(1)
    return {
        "mails": len(seen),
        "seconds_after_rush": round(time.monotonic() - started, 1)
        if len(seen) >= expected
        else None,
    }


def run(stack: Stack) -> dict:
    clients = stack.connections
    made = stack.django(SETUP % {"capacity": CAPACITY})
    rush, ref = made["rush"], made["ref"]
    tag = uuid.uuid4().hex[:6]
    # One browser per attempt (QUICK: one per ten attempts, each sending ten forms).
    visitors = ATTEMPTS // 10 if stack.quick else ATTEMPTS
    prepared = time.time()
    with ThreadPoolExecutor(max_workers=8) as pool:
        browsers = list(pool.map(lambda _: _browser(stack.app, rush["slug"]), range(visitors)))
    forms_seconds = time.time() - prepared
    # The anti-bot stamp wants a few seconds between the page and the POST (a person types).
    time.sleep(max(0.0, 4 - (time.time() - prepared)))

    origin = stack.env["SITE_URL"]
    ref_started, ref_ended, ref_results = asyncio.run(
        _rush(stack.bare, f"/banc/inscription/{ref['id']}/", origin, browsers, "ref" + tag, clients)
    )
    started, ended, results = asyncio.run(
        _rush(stack.app, f"/evenements/{rush['slug']}/inscription/", origin, browsers, tag, clients)
    )
    outcome = stack.django(OUTCOME % {"event": rush["id"], "ref": ref["id"]})
    mails = _mails_sent(started, tag, ATTEMPTS)

    sold_out = (outcome["sold_out_at"] or ended) - started
    confirmed_per_s = outcome["confirmed"] / sold_out if sold_out > 0 else 0.0
    attempts_per_s = ATTEMPTS / (ended - started)
    reference_per_s = ATTEMPTS / (ref_ended - ref_started)
    rush_latency, ref_latency = _latency(results), _latency(ref_results)
    redirects = rush_latency["statuses"].get("302", 0)
    rows = [
        row("confirmed until sell-out", confirmed_per_s, "/s",
            "bare POST + 1 INSERT (req/s)", reference_per_s),
        row("all 2,000 attempts", attempts_per_s, "req/s",
            "bare POST + 1 INSERT", reference_per_s),
        row("p50 of a POST", rush_latency["p50_ms"], "ms", "bare POST p50", ref_latency["p50_ms"]),
        row("p99 of a POST", rush_latency["p99_ms"], "ms", "bare POST p99", ref_latency["p99_ms"]),
    ]  # fmt: skip
    result = {
        "rows": rows,
        "checks": {
            "no 5xx": rush_latency["server_errors"] == 0 and ref_latency["server_errors"] == 0,
            "exactly the capacity confirmed": outcome["confirmed_seats"] == CAPACITY,
            "counter equals the confirmed seats": outcome["counter"] == CAPACITY,
            "every attempt answered by a registration": redirects == ATTEMPTS
            and outcome["registrations"] == ATTEMPTS,
            "one registration per address": outcome["duplicated_emails"] == 0,
        },
        "goals": {
            "≥ 150 confirmed/s until sell-out": confirmed_per_s >= 150,
            "p99 < 1 s": rush_latency["p99_ms"] < 1000,
        },
        "raw": {
            "attempts": ATTEMPTS,
            "capacity": CAPACITY,
            "clients": clients,
            "browsers": visitors,
            "form_pages_per_second": round(visitors / forms_seconds, 1),
            "sold_out_after_s": round(sold_out, 2),
            "rush_seconds": round(ended - started, 2),
            "reference_seconds": round(ref_ended - ref_started, 2),
            "registrant_mails": mails,
            "rush": rush_latency,
            "reference": ref_latency,
            **outcome,
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return result
