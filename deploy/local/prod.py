"""The production stack on this machine, from the project's own files (no Docker).

    python deploy/local/prod.py start     # `make prod`
    python deploy/local/prod.py stop      # `make prod-stop`
    python deploy/local/prod.py status
    python deploy/local/prod.py env       # the environment, for `set -a; . var/prod/env`
    python deploy/local/prod.py check-nginx   # both variants of the site pass `nginx -t`

Starts, each with a pid file under ``var/prod/run/``: a private PostgreSQL cluster (fsync on,
a ``vocations`` role with a password, as docs/deployment.md tells an operator to create), Redis
with AOF (``appendfsync everysec``), a local mail relay that writes mails to files
(deploy/local/mail_sink.py: EMAIL_HOST is set, so `check --deploy` passes as in production),
gunicorn (config/gunicorn.conf.py), the Celery workers (the common queue, and the visit
pipeline's queue niced) and beat as separate processes (as the systemd units in
deploy/systemd/ run them), and nginx with the project's own site (deploy/nginx.conf,
plain-HTTP variant, rendered with local paths and ports, tracked links answered by nginx).
Then it migrates, loads the reference and demo data and prints the URL. ``stop`` stops exactly
what ``start`` started (by pid file) and waits until each process is gone.

Everything lives in ``var/prod/`` (ignored by git): delete it for a fresh cluster. Ports and
sizes come from the environment: PROD_PORT (nginx, 8180), PROD_APP_PORT (gunicorn, 8181),
PROD_PG_PORT (54380), PROD_REDIS_PORT (63800), PROD_SMTP_PORT (8125), WEB_WORKERS (2),
WEB_THREADS (1: sync workers), WORKER_CONCURRENCY (1), PROD_DEMO (1: load the demo; 0: not),
PROD_SCALE (small).
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from deploy.nginx_site import render  # noqa: E402

VAR = Path(os.environ.get("PROD_DIR", ROOT / "var" / "prod"))
RUN, LOG = VAR / "run", VAR / "log"
BIN = Path(sys.executable).parent
PYTHON = sys.executable
DB_NAME = DB_USER = "vocations"


def port(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


PORTS = {
    "nginx": port("PROD_PORT", 8180),
    "app": port("PROD_APP_PORT", 8181),
    "pg": port("PROD_PG_PORT", 54380),
    "redis": port("PROD_REDIS_PORT", 63800),
    "smtp": port("PROD_SMTP_PORT", 8125),
}
# Stopped in this order (the reverse of start): nothing is left asking a stopped service.
SERVICES = (
    "nginx", "gunicorn", "celery-beat", "celery-analytics", "celery-worker", "mail-sink",
    "redis", "postgres",
)  # fmt: skip


def log(message: str) -> None:
    print(f"[prod] {message}", flush=True)


def is_root() -> bool:
    return os.geteuid() == 0


def pg_bin() -> Path:
    # Debian's versioned folder first: /usr/local/bin may hold a few links, not psql.
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    if shutil.which("initdb") and shutil.which("psql"):
        return Path(shutil.which("initdb")).parent
    sys.exit("PostgreSQL introuvable : apt-get install -y postgresql")


# nginx's njs module (tracked links answered by nginx, deploy/nginx/tracked-links*.conf).
NJS_MODULES = (
    "/usr/lib/nginx/modules/ngx_http_js_module.so",
    "/usr/lib64/nginx/modules/ngx_http_js_module.so",
    "/etc/nginx/modules/ngx_http_js_module.so",
)


def njs_module() -> str | None:
    return next((path for path in NJS_MODULES if Path(path).exists()), None)


def ensure_tools() -> None:
    def missing() -> list[str]:
        packages = [p for t, p in (("nginx", "nginx"), ("redis-server", "redis-server"))
                    if not shutil.which(t)]  # fmt: skip
        return packages + ([] if njs_module() else ["libnginx-mod-http-js"])

    if missing() and is_root() and shutil.which("apt-get"):
        log(f"apt-get install {' '.join(missing())}")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-q", *missing()], check=True, env=env)
    if missing():
        sys.exit(f"introuvable : {', '.join(missing())} (apt-get install -y {' '.join(missing())})")


def secret(name: str, size: int = 48) -> str:
    path = VAR / "secrets" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
        path.write_text(secrets.token_urlsafe(size) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


def environment() -> dict[str, str]:
    """The application's environment: production settings, plain HTTP on 127.0.0.1."""
    site = f"http://127.0.0.1:{PORTS['nginx']}"
    secret("secret_key", 64)
    return {
        "DEBUG": "0",
        "SECRET_KEY_FILE": str(VAR / "secrets" / "secret_key"),
        "DATABASE_URL": f"postgres://{DB_USER}:{secret('pg_vocations')}@127.0.0.1:"
        f"{PORTS['pg']}/{DB_NAME}",
        "REDIS_URL": f"redis://127.0.0.1:{PORTS['redis']}/0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": site,
        "CSRF_TRUSTED_ORIGINS": site,
        "TRUSTED_PROXY_COUNT": "1",
        # Plain HTTP on this machine: no redirect to https, cookies without the Secure flag
        # (check --deploy accepts it only with an http SITE_URL).
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(PORTS["smtp"]),
        "EMAIL_USE_TLS": "0",
        "SITE_PUBLISHER": "Vocations (pile locale de démonstration)",
        "SITE_CONTACT_EMAIL": "contact@vocations.demo",
        "SITE_DPO_EMAIL": "dpo@vocations.demo",
        "STATIC_ROOT": str(VAR / "staticfiles"),
        "MEDIA_ROOT": str(VAR / "media"),
        "VOCATIONS_VAR_DIR": str(VAR / "app"),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        # Tracked links answered by nginx (docs/deployment.md): the app writes the link map
        # there and reloads nginx; nginx writes the visit log there, the analytics worker
        # (its own queue, niced) ingests it.
        "ANALYTICS_NGINX_DIR": str(VAR / "links"),
        "ANALYTICS_NGINX_RELOAD": f"nginx -c {VAR / 'nginx' / 'nginx.conf'} -p {VAR / 'nginx'} "
        "-s reload",
        "ANALYTICS_QUEUE": "analytics",
    }


def app_env() -> dict[str, str]:
    return {**os.environ, **environment(), "PYTHONPATH": str(ROOT)}


def manage(*args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env or app_env(), check=True)


def as_postgres(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """initdb and the server refuse root: run them as the postgres system user then."""
    if is_root():
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            subprocess.run(
                ["useradd", "--system", "--home-dir", "/var/lib/postgresql", "postgres"],
                check=True,
            )
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, **kwargs)


def start_postgres() -> None:
    pg = pg_bin()
    data, sockets = VAR / "pg" / "data", VAR / "pg" / "run"
    sockets.mkdir(parents=True, exist_ok=True)
    if is_root():
        shutil.chown(VAR / "pg", "postgres")
        shutil.chown(sockets, "postgres")
    superuser = secret("pg_superuser")
    if not (data / "PG_VERSION").exists():
        log(f"initdb {data}")
        pwfile = VAR / "pg" / "pwfile"
        pwfile.write_text(superuser + "\n")
        if is_root():
            shutil.chown(pwfile, "postgres")
        as_postgres(
            [str(pg / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8",
             "--locale=C.UTF-8", "--auth=scram-sha-256", f"--pwfile={pwfile}"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        pwfile.unlink()
    log(f"PostgreSQL on 127.0.0.1:{PORTS['pg']}")
    as_postgres(
        [str(pg / "pg_ctl"), "-D", str(data), "-l", str(VAR / "pg" / "server.log"), "-w",
         "-o", f"-p {PORTS['pg']} -k {sockets} -c listen_addresses=127.0.0.1 "
         "-c max_connections=200", "start"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    # postmaster.pid's first line is the server's pid: copy it beside the others at once, so
    # that a failure below still stops this server.
    pid = (data / "postmaster.pid").read_text().splitlines()[0]
    (RUN / "postgres.pid").write_text(pid + "\n")
    # The role and database an operator creates by hand (docs/deployment.md, same SQL).
    password = secret("pg_vocations")
    env = {**os.environ, "PGPASSWORD": superuser}
    psql = [str(pg / "psql"), "-h", "127.0.0.1", "-p", str(PORTS["pg"]), "-U", "postgres", "-qAt"]
    exists = subprocess.run(
        [*psql, "-c", f"SELECT 1 FROM pg_roles WHERE rolname = '{DB_USER}'"],
        env=env, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    if not exists:
        log(f"role and database {DB_NAME}")
        for sql in (
            f"CREATE ROLE {DB_USER} LOGIN PASSWORD '{password}' CREATEDB",
            f"CREATE DATABASE {DB_NAME} OWNER {DB_USER} ENCODING 'UTF8'",
        ):
            subprocess.run([*psql, "-c", sql], env=env, check=True)
        subprocess.run(
            [*psql, "-d", DB_NAME, "-c", "CREATE EXTENSION IF NOT EXISTS unaccent"],
            env=env, check=True,
        )  # fmt: skip


def start_redis() -> None:
    log(f"Redis on 127.0.0.1:{PORTS['redis']} (AOF, everysec)")
    (VAR / "redis").mkdir(exist_ok=True)
    subprocess.run(
        ["redis-server", "--port", str(PORTS["redis"]), "--bind", "127.0.0.1",
         "--dir", str(VAR / "redis"), "--appendonly", "yes", "--appendfsync", "everysec",
         "--save", "", "--daemonize", "yes", "--pidfile", str(RUN / "redis.pid"),
         "--logfile", str(LOG / "redis.log")],
        check=True,
    )  # fmt: skip
    wait_for(lambda: (RUN / "redis.pid").exists(), "redis.pid")


def spawn(name: str, command: list[str], env: dict[str, str]) -> None:
    """A background process whose pid we write ourselves (those that cannot daemonize)."""
    with open(LOG / f"{name}.log", "ab") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    (RUN / f"{name}.pid").write_text(f"{process.pid}\n")


def start_app(env: dict[str, str]) -> None:
    workers = os.environ.get("WEB_WORKERS", "2")
    threads = os.environ.get("WEB_THREADS", "1")
    log(f"gunicorn on 127.0.0.1:{PORTS['app']} ({workers} workers × {threads} threads)")
    subprocess.run(
        [str(BIN / "gunicorn"), "config.wsgi", "-c", "config/gunicorn.conf.py",
         "--workers", workers, "--threads", threads, "--bind", f"127.0.0.1:{PORTS['app']}",
         "--pid", str(RUN / "gunicorn.pid"), "--daemon",
         "--access-logfile", str(LOG / "gunicorn-access.log"),
         "--error-logfile", str(LOG / "gunicorn.log")],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    celery = [str(BIN / "celery"), "-A", "config"]
    log("Celery workers (common queue; visits, niced) and beat")
    concurrency = os.environ.get("WORKER_CONCURRENCY", "1")
    spawn(
        "celery-worker",
        [*celery, "worker", "--loglevel", "INFO", "-Q", "celery", "--concurrency", concurrency,
         "-n", "common@%h"],
        env,
    )  # fmt: skip
    # The visit pipeline (ANALYTICS_QUEUE): one process at a lower CPU priority, so a spike's
    # ingestion never takes the CPU of gunicorn or delays the mails (docs/deployment.md).
    spawn(
        "celery-analytics",
        ["nice", "-n", "10", *celery, "worker", "--loglevel", "INFO", "-Q", "analytics",
         "--concurrency", "1", "--prefetch-multiplier", "1", "-n", "analytics@%h"],
        env,
    )  # fmt: skip
    spawn(
        "celery-beat",
        [*celery, "beat", "--loglevel", "INFO", "--schedule", str(VAR / "celerybeat-schedule")],
        env,
    )


NGINX_MAIN = """# Generated by deploy/local/prod.py (the site: deploy/nginx.conf).
{user}load_module {njs};
worker_processes auto;
# The site's maps are regular expressions (tracked links, user agents): compiled once, JIT.
pcre_jit on;
pid {run}/nginx.pid;
error_log {log}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    gzip on;
    gzip_types text/css application/javascript application/json image/svg+xml;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {site};
    # Extra servers of a run of `make bench` (bench/p3_links.py: nginx's bare 302 beside the
    # tracked links, same workers); empty otherwise.
    include {extra}/*.conf;
}}
"""


def nginx_conf(upstreams: list[str] | None = None) -> Path:
    folder = VAR / "nginx"
    for sub in ("tmp", "cache"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    site = folder / "vocations.conf"
    site.write_text(
        render(
            variant="http",
            server_name="127.0.0.1 localhost",
            static_root=str(VAR / "staticfiles"),
            media_root=str(VAR / "media"),
            upstreams=upstreams or [f"127.0.0.1:{PORTS['app']}"],
            http_listen=f"127.0.0.1:{PORTS['nginx']}",
            cache_dir=str(folder / "cache"),
            log_dir=str(LOG),
            forms_rate=os.environ.get("PROD_FORMS_RATE", "20r/m"),
            links_dir=str(VAR / "links"),
        )
    )
    user = ""
    if is_root():
        # Workers run as www-data: they write the cache and temporary files.
        user = "user www-data;\n"
        for path in (folder / "tmp", folder / "cache"):
            shutil.chown(path, "www-data")
    main = folder / "nginx.conf"
    (folder / "extra").mkdir(exist_ok=True)
    main.write_text(
        NGINX_MAIN.format(
            user=user, njs=njs_module(), run=RUN, log=LOG, tmp=folder / "tmp", site=site,
            extra=folder / "extra",
        )
    )  # fmt: skip
    return main


def start_nginx() -> None:
    conf = nginx_conf()
    subprocess.run(["nginx", "-t", "-q", "-c", str(conf), "-p", str(VAR / "nginx")], check=True)
    log(f"nginx on 127.0.0.1:{PORTS['nginx']}")
    subprocess.run(["nginx", "-c", str(conf), "-p", str(VAR / "nginx")], check=True)
    wait_for(lambda: (RUN / "nginx.pid").exists(), "nginx.pid")


def wait_for(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what}: rien après {timeout:.0f} s (voir {LOG})")
        time.sleep(0.2)


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def running(name: str) -> int | None:
    path = RUN / f"{name}.pid"
    if not path.exists():
        return None
    try:
        pid = int(path.read_text().split()[0])
        os.kill(pid, 0)
    except (ValueError, IndexError, ProcessLookupError, PermissionError):
        return None
    return pid


def start(args) -> None:
    ensure_tools()
    for folder in (VAR, RUN, LOG, VAR / "mail", VAR / "media"):
        folder.mkdir(parents=True, exist_ok=True)
    already = [name for name in SERVICES if running(name)]
    if already:
        sys.exit(f"déjà lancé : {', '.join(already)} (make prod-stop d'abord)")
    env = app_env()
    (VAR / "env").write_text("".join(f"{k}={v}\n" for k, v in environment().items()))
    try:
        start_postgres()
        start_redis()
        spawn(
            "mail-sink",
            [PYTHON, str(ROOT / "deploy/local/mail_sink.py"), "--port", str(PORTS["smtp"]),
             "--dir", str(VAR / "mail")],
            env,
        )  # fmt: skip
        log("check --deploy, migrate, reference data, collectstatic")
        manage("check", "--deploy", "--fail-level", "ERROR", env=env)
        manage("migrate", "--noinput", "-v", "0", env=env)
        manage("load_reference_data", env=env)
        manage("collectstatic", "--noinput", "-v", "0", env=env)
        if os.environ.get("PROD_DEMO", "1") != "0":
            # Demo accounts are made in development mode only: this stack is a demo, so the
            # demo command alone runs with DEBUG=1 (same database).
            scale = os.environ.get("PROD_SCALE", "small")
            log(f"demo data ({scale})")
            manage("demo_data", "--seed", "1", "--scale", scale, env={**env, "DEBUG": "1"})
        # The link map, salts and njs function nginx needs before it starts (then the app
        # rewrites them itself: a link changed, every hour).
        manage("export_nginx_links", "--no-reload", env=env)
        start_app(env)
        wait_for(lambda: healthy(f"http://127.0.0.1:{PORTS['app']}/sante/"), "gunicorn /sante/")
        start_nginx()
        wait_for(lambda: healthy(f"http://127.0.0.1:{PORTS['nginx']}/sante/"), "nginx /sante/")
    except BaseException:
        log("échec du démarrage : arrêt de ce qui a démarré")
        stop(args)
        raise
    url = f"http://127.0.0.1:{PORTS['nginx']}/"
    log(f"prêt : {url}  (environnement : {VAR / 'env'}, journaux : {LOG})")
    print(url, flush=True)


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        # Reap it if it is our child (spawned in this very process).
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.1)
    return False


def stop(args=None) -> None:
    left = []
    for name in SERVICES:
        pid = running(name)
        if pid is None:
            (RUN / f"{name}.pid").unlink(missing_ok=True)
            continue
        log(f"arrêt de {name} ({pid})")
        if name == "postgres":
            as_postgres(
                [str(pg_bin() / "pg_ctl"), "-D", str(VAR / "pg" / "data"), "-m", "fast", "-w",
                 "stop"],
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
        else:
            os.kill(pid, signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
        if not _wait_gone(pid, 30):
            log(f"{name} ({pid}) ne s'arrête pas : SIGKILL")
            os.kill(pid, signal.SIGKILL)
            if not _wait_gone(pid, 10):
                left.append(f"{name} ({pid})")
        (RUN / f"{name}.pid").unlink(missing_ok=True)
    if left:
        sys.exit(f"encore en marche : {', '.join(left)}")
    log("tout est arrêté")


def status(args) -> None:
    """Exit status: 0 all running, 3 all stopped, 1 some of each."""
    down = 0
    for name in reversed(SERVICES):
        pid = running(name)
        down += pid is None
        print(f"{name:14} {'pid ' + str(pid) if pid else 'arrêté'}")
    sys.exit(0 if not down else 3 if down == len(SERVICES) else 1)


def check_nginx(args) -> None:
    """Both variants of the site, rendered and accepted by `nginx -t` (TLS with a throw-away
    self-signed certificate): the example an operator copies is valid as written."""
    import tempfile

    ensure_tools()
    with tempfile.TemporaryDirectory(prefix="vocations-nginx-") as tmp:
        folder = Path(tmp)
        (folder / "tmp").mkdir()
        (folder / "extra").mkdir()
        # What export_nginx_links writes, reduced to its shape (no database here).
        links = folder / "links"
        (links / "log").mkdir(parents=True)
        (links / "links.map").write_text("")
        (links / "visits.js").write_text(
            "function visit(r) { return ''; }\nexport default {visit};\n"
        )
        (links / "ua.conf").write_text(
            "map $http_user_agent $vocations_ua_bot { default 0; }\n"
            "map $http_user_agent $vocations_ua_device { default desktop; }\n"
        )
        certificate, key = folder / "cert.pem", folder / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=vocations.example.fr", "-keyout", str(key), "-out", str(certificate)],
            check=True, capture_output=True,
        )  # fmt: skip
        for variant in ("tls", "http"):
            site = folder / f"{variant}.conf"
            site.write_text(
                render(
                    variant=variant,
                    root=str(folder),
                    http_listen="127.0.0.1:8080",
                    https_listen="127.0.0.1:8443",
                    cache_dir=str(folder / f"cache-{variant}"),
                    log_dir=str(folder),
                    tls_certificate=str(certificate),
                    tls_certificate_key=str(key),
                    links_dir=str(links),
                )
            )
            main = folder / f"nginx-{variant}.conf"
            main.write_text(
                NGINX_MAIN.format(
                    user="",
                    njs=njs_module(),
                    run=folder,
                    log=folder,
                    tmp=folder / "tmp",
                    site=site,
                    extra=folder / "extra",
                ).replace(f"pid {folder}/nginx.pid", f"pid {folder}/nginx-{variant}.pid")
            )
            subprocess.run(["nginx", "-t", "-q", "-c", str(main), "-p", str(folder)], check=True)
            log(f"nginx -t : variante {variant} valide")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["start", "stop", "status", "env", "check-nginx"])
    args = parser.parse_args()
    if args.command == "env":
        for key, value in environment().items():
            print(f"{key}={value}")
        return
    commands = {"start": start, "stop": stop, "status": status, "check-nginx": check_nginx}
    commands[args.command](args)


if __name__ == "__main__":
    main()
