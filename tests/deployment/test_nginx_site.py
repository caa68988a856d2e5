"""The nginx site (deploy/nginx.conf, rendered by deploy/nginx_site.py) says what the app and
the docs say: headers set once (no 400 "Contradictory scheme headers"), kept-alive upstream
connections for every location, and a shared cache whose freshness comes from the app's
`Cache-Control` (a published change visible within 10 s). `nginx -t` on both variants runs in
CI (`deploy/local/prod.py check-nginx`)."""

from __future__ import annotations

import re

import pytest

from deploy.nginx_site import render
from vocations.web.cache import SHARED_MAX_AGE, STALE_WHILE_REVALIDATE


def servers(conf: str) -> list[str]:
    """The text of each top-level `server { … }` block."""
    blocks, depth, current = [], 0, None
    for line in conf.splitlines():
        stripped = line.split("#", 1)[0]
        if current is None and re.match(r"^server\s*\{", stripped):
            current, depth = [], 0
        if current is not None:
            current.append(line)
            depth += stripped.count("{") - stripped.count("}")
            if depth == 0:
                blocks.append("\n".join(current))
                current = None
    return blocks


def directives(conf: str) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in conf.splitlines())
    return [line for line in lines if line]


@pytest.mark.parametrize("variant", ["tls", "http"])
def test_every_server_sets_the_scheme_header_once_and_never_includes_proxy_params(variant):
    conf = render(variant=variant)
    assert "proxy_params" not in "\n".join(directives(conf))
    blocks = servers(conf)
    assert len(blocks) == (2 if variant == "tls" else 1)
    for block in blocks:
        lines = directives(block)
        proto = [d for d in lines if d.startswith("proxy_set_header X-Forwarded-Proto")]
        assert len(proto) == 1, proto
        # Set at server level and inherited: a location with its own proxy_set_header would
        # silently drop Host, X-Forwarded-For and the keep-alive Connection header.
        locations = re.findall(r"location[^{]*\{([^}]*)\}", block)
        assert all("proxy_set_header" not in body for body in locations)
        assert "proxy_http_version 1.1;" in lines
        assert 'proxy_set_header Connection "";' in lines


def test_tls_variant_forwards_https_and_redirects_plain_http_except_the_health_check():
    https, plain = servers(render(variant="tls"))
    assert "listen 443 ssl http2;" in directives(https)
    assert "proxy_set_header X-Forwarded-Proto https;" in directives(https)
    assert "return 301 https://$host$request_uri;" in directives(plain)
    assert "location = /sante/ {" in directives(plain)


def test_http_variant_forwards_its_own_scheme():
    (server,) = servers(render(variant="http", http_listen="127.0.0.1:8180"))
    assert "listen 127.0.0.1:8180;" in directives(server)
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in directives(server)
    assert "ssl_certificate" not in server


def test_upstream_keeps_connections_alive_for_every_node():
    conf = render(variant="tls", upstreams=["10.0.0.1:8001", "10.0.0.2:8001"])
    upstream = re.search(r"upstream vocations_app \{([^}]*)\}", conf).group(1)
    assert directives(upstream) == [
        "server 10.0.0.1:8001;",
        "server 10.0.0.2:8001;",
        "keepalive 32;",
    ]
    # Tracked links go through the same kept-alive upstream (no location of their own rules).
    link = re.search(r"location /l/ \{([^}]*)\}", conf).group(1)
    assert directives(link) == ["proxy_pass http://vocations_app;"]


def test_shared_cache_freshness_is_the_apps_and_stays_within_ten_seconds():
    conf = "\n".join(directives(render(variant="tls")))
    # No proxy_cache_valid: the app's s-maxage decides; no `updating` in proxy_cache_use_stale,
    # which would serve a stale page for as long as an update takes, with no 5 s bound.
    assert "proxy_cache_valid" not in conf
    stale = re.search(r"proxy_cache_use_stale ([^;]*);", conf).group(1).split()
    assert "updating" not in stale
    assert "proxy_cache_background_update on;" in conf
    assert SHARED_MAX_AGE + STALE_WHILE_REVALIDATE <= 10
    # Signed-in visitors and visit-key landings are never served a shared copy.
    assert "proxy_cache_bypass $cookie_sessionid $arg_v;" in conf
    assert "proxy_no_cache $cookie_sessionid $arg_v;" in conf


def test_no_placeholder_is_left_and_paths_are_the_ones_given():
    conf = render(
        variant="http",
        static_root="/srv/x/static",
        media_root="/srv/x/media",
        cache_dir="/var/cache/x",
        log_dir="/var/log/x",
    )
    assert not re.search(r"@[A-Z_]+@", "\n".join(directives(conf)))
    assert "alias /srv/x/static/;" in conf
    assert "alias /srv/x/media/;" in conf
    assert "proxy_cache_path /var/cache/x " in conf
    assert "access_log /var/log/x/vocations.access.log vocations_private;" in conf


@pytest.mark.parametrize("variant", ["tls", "http"])
def test_tracked_links_are_answered_by_nginx_with_django_behind(variant):
    conf = render(variant=variant, root="/srv/x", links_dir="/srv/x/links")
    main = servers(conf)[0]
    # The link map, the njs hash and the visit log, in the folder the app writes.
    assert "js_import vocations_visits from /srv/x/links/visits.js;" in conf
    assert "include /srv/x/links/links.map;" in conf
    assert "/srv/vocations" not in "\n".join(directives(conf))
    log = re.search(r"location = /_vocations_visit \{([^}]*)\}", main).group(1)
    # Unbuffered (no buffer=): each visit is written before its 302 leaves.
    assert directives(log) == [
        "internal;",
        "log_subrequest on;",
        "access_log /srv/x/links/log/visits.log vocations_visits if=$vocations_link_here;",
        "return 403;",
    ]
    # No address, user agent or referrer in the visit log, only what the app computed.
    visit_format = re.search(r"log_format vocations_visits ([^;]*);", conf).group(1)
    assert not re.search(
        r"\$(remote_addr|binary_remote_addr|http_user_agent|http_referer)", visit_format
    )
    # What nginx does not know goes to Django, through the same kept-alive upstream.
    for fallback in (r"location /l/ \{([^}]*)\}", r"location @vocations_links_app \{([^}]*)\}"):
        assert directives(re.search(fallback, main).group(1)) == [
            "proxy_pass http://vocations_app;"
        ]
    assert "error_page 418 = @vocations_links_app;" in main


def test_without_tracked_links_django_answers_every_link_and_no_njs_is_needed():
    conf = render(variant="tls", links_dir=None)
    assert "js_" not in "\n".join(directives(conf))
    link = re.search(r"location /l/ \{([^}]*)\}", conf).group(1)
    assert directives(link) == ["proxy_pass http://vocations_app;"]
