"""The rate-limit helpers: whose address counts, windows, the nginx example's limits."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import RequestFactory

from vocations.core.ratelimit import hit, ip_key

ROOT = Path(__file__).resolve().parents[3]


def request(**meta):
    return RequestFactory().get("/", **meta)


def test_an_ipv6_client_counts_as_its_64(settings):
    one = ip_key(request(REMOTE_ADDR="2001:db8:1:2::1"))
    other = ip_key(request(REMOTE_ADDR="2001:db8:1:2:ffff::9"))
    assert one == other == "2001:db8:1:2::/64"
    assert ip_key(request(REMOTE_ADDR="203.0.113.5")) == "203.0.113.5"


def test_behind_one_proxy_the_forged_first_hop_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    forged = request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9")
    assert ip_key(forged) == "198.51.100.9"


def test_the_window_ends_and_counting_restarts(settings, _fixed_clock):
    settings.RATE_LIMITS = {"demo": "2/m"}
    req = request(REMOTE_ADDR="203.0.113.5")
    assert hit(req, "demo", "x") is None
    assert hit(req, "demo", "x") is None
    wait = hit(req, "demo", "x")
    assert wait is not None and 1 <= wait <= 60
    assert hit(req, "demo", "y") is None  # another key, another count
    _fixed_clock.shift(wait + 1)
    assert hit(req, "demo", "x") is None


def test_nginx_limits_the_abused_doors():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "limit_req_status 429;" in conf
    zones = dict(re.findall(r"limit_req_zone \S+\s+zone=(\w+):\S+\s+rate=(\S+);", conf))
    assert set(zones) == {"vocations_login", "vocations_forms", "vocations_tokens"}
    for path, zone in [
        ("location ~ ^/organisateur/(connexion|mot-de-passe)/", "vocations_login"),
        ("location ~ ^/(evenements/[^/]+/(inscription|presse)/", "vocations_forms"),
        ("location ~ ^/(inscription/|api/v1/registrations/)", "vocations_tokens"),
    ]:
        block = conf[conf.index(path) :]
        assert f"limit_req zone={zone}" in block[: block.index("}")], path
