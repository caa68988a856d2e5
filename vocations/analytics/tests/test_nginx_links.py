"""Tracked links answered by a real nginx with njs, built from deploy/nginx/tracked-links*.conf
and the files export_nginx_links writes (collected only when nginx and its njs module are
installed: see conftest.py, which prints a line when they are not).

nginx runs with the real clock; the salts it receives are those of the day nginx says it is,
so the test depends on no clock: the hash nginx wrote must be the one Django computes."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from vocations.analytics import nginx_links, privacy
from vocations.analytics.models import Visit
from vocations.analytics.services import visit_log

from .support import DESKTOP_UA, TEST_UA

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db(transaction=True)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str, *, ua: str = TEST_UA, method: str = "GET"):
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, method=method, headers={"User-Agent": ua})  # noqa: S310
    try:
        response = opener.open(request, timeout=10)  # noqa: S310 (a local http:// URL)
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()
    return response.status, response.headers, response.read().decode()


@pytest.fixture
def nginx(tmp_path, live_server, settings):
    settings.ANALYTICS_NGINX_DIR = str(tmp_path / "files")
    port = _port()
    snippets = ROOT / "deploy" / "nginx"
    http_part = (snippets / "tracked-links-http.conf").read_text()
    server_part = (snippets / "tracked-links.conf").read_text()
    http_part = http_part.replace("/srv/vocations/var/nginx", str(tmp_path / "files"))
    server_part = server_part.replace("/srv/vocations/var/nginx", str(tmp_path / "files"))
    module = next(p for p in NJS_MODULES if Path(p).exists())
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        ""
        # As root nginx's workers would run as "nobody", who cannot enter pytest's folder.
        + ("user root;\n" if os.geteuid() == 0 else "")
        + f"load_module {module};\nworker_processes 1;\ndaemon off;\npid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log warn;\nevents {{}}\nhttp {{\n access_log off;\n"
        f" client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;\n"
        f" fastcgi_temp_path {tmp_path}/f; uwsgi_temp_path {tmp_path}/u;\n"
        f" scgi_temp_path {tmp_path}/s;\n"
        f" upstream vocations_app {{ server {live_server.url.split('//')[1]}; keepalive 4; }}\n"
        f"{http_part}\n server {{\n  listen 127.0.0.1:{port};\n"
        # The proxy headers of deploy/nginx.conf's server block, inherited by the snippet.
        '  proxy_http_version 1.1; proxy_set_header Connection "";\n'
        "  proxy_set_header Host $host;\n"
        "  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        f"  location = /clock {{ return 200 $msec; }}\n{server_part}\n }}\n}}\n"
    )
    # A first export so that nginx can start; the real one follows once nginx gave the time.
    nginx_links.export(reload=False)
    proc = subprocess.Popen([shutil.which("nginx"), "-c", str(conf), "-p", str(tmp_path)])
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            status, _, body = get(base + "/clock")
            break
        except OSError:
            time.sleep(0.05)
    else:
        raise RuntimeError((tmp_path / "error.log").read_text())
    nginx_now = dt.datetime.fromtimestamp(float(body), tz=dt.UTC)
    nginx_links.export(reload=False, now=nginx_now)
    os.kill(proc.pid, 1)  # SIGHUP: reload the files
    time.sleep(0.5)
    yield base, nginx_now
    proc.terminate()
    proc.wait(10)


def test_nginx_redirects_and_logs_the_visit_django_would_have_stored(world, nginx, tmp_path):
    base, nginx_now = nginx
    link = world.billboard_link
    log_path = tmp_path / "files" / "log" / "visits.log"
    status, headers, _ = get(f"{base}/l/{link.code}?s=qr")
    assert status == 302
    # Written before the answer left (a subrequest's unbuffered access log), not after.
    assert log_path.read_text().count("\n") == 1
    assert headers["Cache-Control"] == "no-store"
    location = headers["Location"]
    assert location.startswith(f"/evenements/{world.event.slug}/?v=")
    key = location.split("v=", 1)[1]
    assert privacy.valid_visit_key(key)
    assert get(f"{base}/l/{world.tv_link.code}/", ua="curl/8.5")[0] == 302
    assert log_path.read_text().count("\n") == 2
    # HEAD: Django's same redirect, not a visit; the logging location is not reachable.
    assert get(f"{base}/l/{link.code}", method="HEAD")[0] == 302
    assert get(f"{base}/_vocations_visit")[0] == 404

    log = (tmp_path / "files" / "log" / "visits.log").read_text()
    assert log.count("\n") == 2
    # No IP address, no user agent, not even in part.
    assert "127.0.0.1" not in log and "Mozilla" not in log and "curl" not in log
    stats = visit_log.ingest()
    assert stats["stored"] == 2
    visit = Visit.objects.get(visit_key=key)
    assert (visit.source, visit.device, visit.is_bot, visit.referrer) == (
        "qr",
        "mobile",
        False,
        "none",
    )
    assert (visit.link_id, visit.placement_id, visit.wave_id, visit.campaign_id) == (
        link.pk,
        world.billboard.pk,
        world.wave1.pk,
        world.campaign.pk,
    )
    assert visit.channel == "billboard" and visit.landing_path == f"/evenements/{world.event.slug}/"
    # The same salted hash as Django's, from the same address and user agent.
    assert visit.visitor_hash == privacy.visitor_hash(
        ip="127.0.0.1", user_agent=TEST_UA, when=visit.at
    )
    bot = Visit.objects.exclude(visit_key=key).get()
    assert (bot.is_bot, bot.source, bot.link_id) == (True, "click", world.tv_link.pk)


def test_what_nginx_does_not_know_goes_to_django(world, nginx, tmp_path):
    base, _ = nginx
    # Unknown code: Django's French page.
    status, _, body = get(f"{base}/l/inconnu9")
    assert status == 404 and "Ce lien n'est plus actif" in body.replace("&#x27;", "'")
    # UTM parameters: Django answers (and records) with them, as without nginx.
    status, headers, _ = get(f"{base}/l/{world.social_link.code}?utm_source=presse", ua=DESKTOP_UA)
    assert status == 302 and "utm_source=presse" in headers["Location"]
    assert Visit.objects.get().utm_source == "presse"  # the "direct" buffer of the tests
    log = tmp_path / "files" / "log" / "visits.log"
    assert not log.exists() or log.read_text() == ""


NJS_MODULES = (
    "/usr/lib/nginx/modules/ngx_http_js_module.so",
    "/usr/lib64/nginx/modules/ngx_http_js_module.so",
    "/etc/nginx/modules/ngx_http_js_module.so",
)
