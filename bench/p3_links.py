"""P3 tracked links through make prod's nginx, beside nginx's bare 302 in the same run, with the
stored-visit count check.

The stack's own nginx answers ``/l/bench22?s=qr`` from its link map (njs for the salted hash,
the visit written to the visit log before the 302: deploy/nginx/tracked-links*.conf). The
reference is a bare ``return 302`` served by the same nginx (same workers, same main
configuration: a server dropped into ``var/prod/nginx/extra/`` for the run, then removed);
the Django path (the same link with a UTM parameter, which nginx hands to gunicorn) is
measured too, for reference. wrk alternates bare / nginx links / Django, ``stack.rounds``
times (medians kept). Then one more run of the links during which an nginx worker and the
visit pipeline's Celery worker process are killed with SIGKILL; the stack's own worker ingests
the visit log (Celery beat, every 5 s), and every redirect wrk received must be a stored visit.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import threading
import time
from pathlib import Path

from .stack import Stack, row

TITLE = "P3 tracked links (redirects/s)"
CODE = "bench22"
BARE = """# bench/p3_links.py, removed at the end of its run.
server {{
    listen 127.0.0.1:{port};
    access_log off;
    location / {{ return 302 /evenements/; }}
}}
"""
COUNT = (
    "from vocations.analytics.models import Visit\n"
    "result = Visit.objects.filter(link_id={link}).count()"
)


def _children(pid: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True
    ).stdout
    return [int(p) for p in out.split()]


def _pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _reload(env: dict) -> None:
    subprocess.run(env["ANALYTICS_NGINX_RELOAD"].split(), check=True)
    time.sleep(1.5)  # new workers up, old ones gone


def _status(url: str) -> int:
    """The status of one GET, redirects not followed."""
    import urllib.error
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        return urllib.request.build_opener(NoRedirect).open(url, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(stack: Stack) -> dict:  # noqa: PLR0915 - one linear run
    links_dir = stack.env.get("ANALYTICS_NGINX_DIR")
    if not links_dir:
        return {
            "absent": "the stack does not answer tracked links in nginx (no ANALYTICS_NGINX_DIR)"
        }
    var = Path(links_dir).parent
    extra = var / "nginx" / "extra"
    if not extra.is_dir():
        return {"absent": f"{extra} missing: restart the stack (make prod-stop; make prod)"}
    link = stack.django("from bench.fixtures import bench_link\nresult = bench_link()")
    # The link map with the bench link in it, nginx reloaded (what the app does on commit).
    stack.django("from vocations.analytics import nginx_links\nresult = str(nginx_links.export())")
    port = _free_port()
    bare_conf = extra / "bench-bare-302.conf"
    bare_conf.write_text(BARE.format(port=port))
    urls = {
        "bare": f"http://127.0.0.1:{port}/l/{CODE}?s=qr",
        "links": f"{stack.nginx}/l/{CODE}?s=qr",
        "django": f"{stack.nginx}/l/{CODE}?s=qr&utm_source=banc",
    }
    runs: dict[str, list] = {name: [] for name in urls}
    answered = 0
    try:
        _reload(stack.env)
        status = _status(urls["links"])
        if status != 302:
            return {"error": f"/l/{CODE} through nginx answered {status}"}
        before = stack.django(COUNT.format(link=link))
        for _ in range(stack.rounds):
            for name, url in urls.items():
                result = stack._wrk_once(url, False, None)
                runs[name].append(result)
                if name != "bare":
                    answered += result["requests"] - result["non_2xx_3xx"]
        killed = _killing_run(stack, var, urls["links"])
        answered += killed["requests"] - killed["non_2xx_3xx"]
    finally:
        bare_conf.unlink(missing_ok=True)
        _reload(stack.env)
    # The stack's own pipeline ingests the log and the Django buffer (beat, every 5 s).
    started = time.monotonic()
    stored = stack.django(COUNT.format(link=link)) - before
    while stored < answered and time.monotonic() - started < 600:
        time.sleep(5)
        stored = stack.django(COUNT.format(link=link)) - before
    caught_up = round(time.monotonic() - started, 1)

    def median(name: str) -> float:
        return statistics.median(r["requests_per_second"] for r in runs[name])

    bare, links, django = median("bare"), median("links"), median("django")
    # wrk counts the answers it read; a few more may have been answered as it stopped.
    slack = stack.connections * 2 * (stack.rounds + 1)
    return {
        "rows": [
            row(
                "tracked links, nginx + njs (make prod's site)",
                links,
                "req/s",
                "nginx bare 302",
                bare,
            ),
            row(
                "tracked links, Django (UTM: nginx hands them over)",
                django,
                "req/s",
                "nginx bare 302",
                bare,
            ),
        ],  # fmt: skip
        "checks": {
            "every answered visit stored (an nginx worker and the ingesting worker killed)": (
                answered <= stored <= answered + slack
            ),
            "no error on the links": all(
                r["non_2xx_3xx"] == 0 for name in ("links", "django") for r in runs[name]
            ),
        },
        "goals": {"≥ 0.25 of nginx's bare 302": links / bare >= 0.25},
        "raw": {
            "runs": runs,
            "run_with_kills": killed,
            "answered": answered,
            "stored": stored,
            "stored_all_after_s": caught_up,
        },
    }


def _killing_run(stack: Stack, var: Path, url: str) -> dict:
    """wrk on the links; halfway, SIGKILL to an nginx worker and to the process of the visit
    pipeline's Celery worker (its pool child: the one ingesting, replaced by its parent)."""
    killed: list[str] = []

    def strike() -> None:
        time.sleep(stack.duration / 2)
        nginx = _pid(var / "run" / "nginx.pid")
        workers = _children(nginx) if nginx else []
        if workers:
            os.kill(workers[0], signal.SIGKILL)
            killed.append(f"nginx worker {workers[0]}")
        celery = _pid(var / "run" / "celery-analytics.pid")
        pool = _children(celery) if celery else []
        if pool:
            os.kill(pool[0], signal.SIGKILL)
            killed.append(f"analytics worker process {pool[0]}")

    thread = threading.Thread(target=strike)
    thread.start()
    result = stack._wrk_once(url, False, None)
    thread.join()
    return {**result, "killed": killed}
