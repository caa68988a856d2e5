"""One nginx started by a benchmark, in a temporary folder, beside the app it measures
(bench/redirects.py, bench/links.py): the configuration's common part, the start, the stop."""

from __future__ import annotations

import subprocess
from pathlib import Path


def nginx_config(
    tmp: Path, *, workers: int, http: str, main: str = "", errors: str = "warn"
) -> str:
    """A whole nginx.conf: every path under ``tmp``, no access log, ``http`` (upstreams,
    servers) inside the http block and ``main`` (load_module, user) before the rest."""
    return f"""{main}worker_processes {workers};
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log {errors};
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
{http}
}}
"""


def start_nginx(tmp: Path, config: str) -> subprocess.Popen:
    """Write ``tmp/nginx.conf`` and start nginx in the foreground on it (stop it with
    ``stop_processes``)."""
    conf = tmp / "nginx.conf"
    conf.write_text(config)
    return subprocess.Popen(["nginx", "-c", str(conf), "-p", str(tmp)])


def stop_processes(processes: list[subprocess.Popen], *, timeout: float = 20) -> None:
    """Terminate the processes a benchmark started, last started first; kill the slow ones."""
    for process in reversed(processes):
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
