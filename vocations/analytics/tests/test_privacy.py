"""Privacy rules: no IP, no user agent, no Referer host stored; salts rotate and disappear."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from vocations.analytics import privacy
from vocations.analytics.bots import is_bot
from vocations.analytics.models import DailySalt, Visit, VisitBuffer
from vocations.analytics.salts import rotate_salts, salt_for

from .support import DESKTOP_UA, TEST_IP, TEST_UA, request

pytestmark = pytest.mark.django_db

MIDDLEWARE_PATH = "vocations.analytics.middleware.VisitMiddleware"


@pytest.fixture
def with_middleware(settings):
    # The project's settings install it last; tests make sure it is there, once.
    assert settings.MIDDLEWARE[-1] == MIDDLEWARE_PATH


def _all_stored_text(model) -> str:
    """Every column of every row, as the database returns it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608 (our own table name)
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def test_no_ip_user_agent_or_referer_host_in_stored_rows(client, world, settings):
    settings.ANALYTICS_BUFFER = "database"
    referer = "https://www.secret-referer-host.example/path?q=1"
    for buffered in (True, False):
        settings.ANALYTICS_BUFFER = "database" if buffered else "direct"
        response = client.get(
            f"/l/{world.billboard_link.code}?s=qr&utm_source=affiche",
            REMOTE_ADDR=TEST_IP,
            HTTP_USER_AGENT=TEST_UA,
            HTTP_REFERER=referer,
        )
        assert response.status_code == 302
    buffer_text = _all_stored_text(VisitBuffer)
    from vocations.analytics.services.buffer import DatabaseBuffer
    from vocations.analytics.services.flusher import flush

    assert flush(buffer=DatabaseBuffer()) == 1
    text = _all_stored_text(Visit) + buffer_text
    assert Visit.objects.count() == 2
    for secret in (TEST_IP, "203.0.113", "TestMarker42", "iPhone", "secret-referer-host"):
        assert secret not in text
    visit = Visit.objects.first()
    assert visit.device == "mobile"
    assert visit.referrer == "other"
    assert visit.utm_source == "affiche"
    assert len(visit.visitor_hash) == 16
    # No cookie is ever set by measurement.
    assert not response.cookies


def test_no_cookie_on_public_page(client, world, with_middleware):
    response = client.get("/evenements/", REMOTE_ADDR=TEST_IP, HTTP_USER_AGENT=TEST_UA)
    assert response.status_code == 200
    assert not response.cookies
    assert Visit.objects.filter(source="direct", landing_path="/evenements/").count() == 1
    assert TEST_IP not in _all_stored_text(Visit)


def test_same_person_same_day_same_hash_next_day_different(world):
    now = timezone.now()
    a = privacy.visitor_hash(ip=TEST_IP, user_agent=TEST_UA, when=now)
    b = privacy.visitor_hash(ip=TEST_IP, user_agent=TEST_UA, when=now)
    other_ua = privacy.visitor_hash(ip=TEST_IP, user_agent=DESKTOP_UA, when=now)
    tomorrow = privacy.visitor_hash(ip=TEST_IP, user_agent=TEST_UA, when=now + dt.timedelta(days=1))
    assert a == b
    assert a != other_ua
    assert a != tomorrow
    assert DailySalt.objects.count() == 2


def test_salts_are_random_and_rotated_after_48_hours(world, monkeypatch):
    day = dt.date(2027, 3, 10)
    salts = [salt_for(day + dt.timedelta(days=i)) for i in range(3)]
    assert len(set(salts)) == 3 and all(len(s) == 32 for s in salts)

    def at(day_, hour):
        return timezone.make_aware(dt.datetime.combine(day_, dt.time(hour)))

    # On day+1 at noon: day's salt is 36 h old, kept (visits of last night may still be hashed).
    assert rotate_salts(now=at(day + dt.timedelta(days=1), 12)) == 0
    # At day+2 00:30 the first salt is 48.5 h old: deleted, and gone from the cache too.
    monkeypatch.setattr(timezone, "now", lambda: at(day + dt.timedelta(days=2), 0))
    assert rotate_salts(now=at(day + dt.timedelta(days=2), 0)) == 1
    assert not DailySalt.objects.filter(day=day).exists()
    assert set(DailySalt.objects.values_list("day", flat=True)) == {
        day + dt.timedelta(days=1),
        day + dt.timedelta(days=2),
    }
    # A new salt would be created, never the old one: yesterday's hashes cannot be recomputed.
    assert salt_for(day) not in salts
    assert rotate_salts(now=at(day + dt.timedelta(days=2), 1)) == 1  # the recreated one


def test_rotate_salts_command(world, monkeypatch):
    from django.core.management import call_command

    salt_for(timezone.localdate() - dt.timedelta(days=5))
    salt_for(timezone.localdate())
    call_command("rotate_salts")
    assert list(DailySalt.objects.values_list("day", flat=True)) == [timezone.localdate()]


@pytest.mark.parametrize(
    "ua",
    [
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Twitterbot/1.0",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "WhatsApp/2.23.20.0",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "TelegramBot (like TwitterBot)",
        "",
    ],
)
def test_bots_and_previews_are_flagged(ua):
    assert is_bot(ua)


@pytest.mark.parametrize("ua", [TEST_UA, DESKTOP_UA, "Mozilla/5.0 (iPad; CPU OS 17_0) Safari"])
def test_browsers_are_not_bots(ua):
    assert not is_bot(ua)


def test_bot_visit_is_stored_flagged_and_not_counted(client, world):
    from vocations.analytics.models import VisitHourly
    from vocations.analytics.services.rollups import rollup_visits

    client.get(f"/l/{world.tv_link.code}", HTTP_USER_AGENT="LinkedInBot/1.0")
    client.get(f"/l/{world.tv_link.code}", HTTP_USER_AGENT=TEST_UA)
    assert list(Visit.objects.order_by("is_bot").values_list("is_bot", flat=True)) == [
        False,
        True,
    ]
    rollup_visits(since=timezone.now() - dt.timedelta(hours=1))
    assert sum(VisitHourly.objects.values_list("visits", flat=True)) == 1


def test_head_is_never_recorded(client, world, with_middleware):
    assert client.head(f"/l/{world.tv_link.code}").status_code == 302
    assert client.head("/evenements/").status_code == 200
    assert Visit.objects.count() == 0


def test_middleware_skips_back_office_internal_navigation_and_carried_keys(
    client, world, with_middleware
):
    client.get("/organisateur/connexion/", HTTP_USER_AGENT=TEST_UA)
    client.get("/api/v1/events/", HTTP_USER_AGENT=TEST_UA)
    client.get("/evenements/", HTTP_USER_AGENT=TEST_UA, HTTP_REFERER="http://testserver/")
    client.get("/evenements/?v=" + "a" * 22, HTTP_USER_AGENT=TEST_UA)
    client.get("/page-qui-n-existe-pas/", HTTP_USER_AGENT=TEST_UA)
    assert Visit.objects.count() == 0
    client.get("/evenements/", HTTP_USER_AGENT=TEST_UA, HTTP_REFERER="https://www.google.fr/")
    assert Visit.objects.get().referrer == "search"


def test_utm_values_of_10_kb_are_cut_and_cleaned(client, world):
    huge = "é" * 10_000
    response = client.get(
        f"/l/{world.social_link.code}",
        {"utm_source": huge, "utm_campaign": "vague\x00\r\n1\u202e", "utm_term": "x" * 10_240},
        HTTP_USER_AGENT=TEST_UA,
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.utm_source == "é" * 100
    assert visit.utm_campaign == "vague1"
    assert visit.utm_term == "x" * 100
    assert len(response["Location"]) < 1000


def test_forwarded_for_is_used_only_behind_trusted_proxies(settings):
    req = request(HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9", ip="10.0.0.1")
    assert privacy.client_ip(req) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    # The entry our proxy appended, not the one the client wrote itself.
    assert privacy.client_ip(req) == "198.51.100.9"


@pytest.mark.parametrize(
    ("referer", "category"),
    [
        ("", "none"),
        ("https://www.google.com/search?q=x", "search"),
        ("https://www.qwant.com/", "search"),
        ("https://l.facebook.com/l.php", "social"),
        ("https://t.co/abc", "social"),
        ("https://bigt.com/", "other"),
        ("https://www.linkedin.com/feed/", "social"),
        ("https://mail.google.com/mail/u/0/", "email"),
        ("http://testserver/evenements/", "internal"),
        ("not a url at all", "other"),
    ],
)
def test_referrer_categories(referer, category):
    assert privacy.referrer_category(request(HTTP_REFERER=referer)) == category


@pytest.mark.parametrize(
    ("ua", "device"),
    [
        (TEST_UA, "mobile"),
        ("Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36", "mobile"),
        ("Mozilla/5.0 (Linux; Android 13; SM-X200) Safari/537.36", "tablet"),
        ("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)", "tablet"),
        (DESKTOP_UA, "desktop"),
    ],
)
def test_device_classes(ua, device):
    assert privacy.device_class(ua) == device
