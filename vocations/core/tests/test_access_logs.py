"""Access logs keep no token, client address, user agent or query string (issue 15, point 7)."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[3]


def gunicorn_conf():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "config/gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/inscription/abc.def:1x:sig/", "/inscription/…/"),
        ("/inscription/abc.def:1x:sig/billet.png", "/inscription/…/billet.png"),
        ("/api/v1/registrations/abc:sig", "/api/v1/registrations/…"),
        ("/organisateur/mot-de-passe/MQ/cbb-0123456789abcdef/", "/organisateur/mot-de-passe/…/"),
        ("/organisateur/mot-de-passe/oublie/", "/organisateur/mot-de-passe/oublie/"),
        ("/evenements/salon/", "/evenements/salon/"),
    ],
)
def test_token_paths_are_redacted(path, logged):
    assert gunicorn_conf().redact_path(path) == logged


def test_the_gunicorn_access_line_names_nothing_personal():
    conf = gunicorn_conf()
    cfg = SimpleNamespace(
        access_log_format=conf.access_log_format,
        accesslog="-",
        errorlog="-",
        loglevel="info",
        logconfig=None,
        logconfig_dict={},
        logconfig_json=None,
        syslog=False,
        disable_redirect_access_to_syslog=False,
        capture_output=False,
        user=0,
        group=0,
        umask=0,
        syslog_addr=None,
        syslog_prefix=None,
        syslog_facility="user",
        dogstatsd_tags="",
        statsd_host=None,
        statsd_prefix="",
    )
    logger = conf.RedactingLogger.__new__(conf.RedactingLogger)
    logger.cfg = cfg
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/inscription/secret-token/?annuler=1",
        "PATH_INFO": "/inscription/secret-token/",
        "QUERY_STRING": "annuler=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux) Chrome/140",
        "HTTP_REFERER": "https://mail.example/inbox/secret-token",
    }
    resp = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    req = SimpleNamespace(headers=[("User-Agent", "Mozilla/5.0")])
    atoms = logger.atoms(resp, req, environ, dt.timedelta(seconds=0, microseconds=5000))
    # Even a format asking for the address, agent, referrer or query gets "-".
    line = (
        '%(h)s %(r)s %(q)s "%(f)s" "%(a)s" %(s)s %(b)s ' + conf.access_log_format
    ) % logger.atoms_wrapper_class(atoms)

    assert "secret-token" not in line
    assert "203.0.113.7" not in line
    assert "Mozilla" not in line
    assert "annuler" not in line
    assert "/inscription/…/" in line and " 200 1234 " in line


def test_nginx_logs_without_client_address():
    # deploy/nginx.conf is a template (deploy/nginx_site.py renders it with the server's paths).
    from deploy.nginx_site import render

    conf = render(variant="tls", log_dir="/var/log/nginx")
    fmt = conf[conf.index("log_format vocations_private") :].split(";", 1)[0]
    for leak in ("$remote_addr", "$http_user_agent", "$http_referer", "$request_uri", "$args"):
        assert leak not in fmt
    assert "access_log /var/log/nginx/vocations.access.log vocations_private;" in conf
