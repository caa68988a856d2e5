"""Render the nginx site of Vocations from its template, deploy/nginx.conf.

    python deploy/nginx_site.py --variant tls --server-name vocations.example.fr \\
        --root /srv/vocations > /etc/nginx/sites-available/vocations

One template, two variants (``tls``: HTTPS with a port-80 redirect; ``http``: plain HTTP behind
a TLS load balancer, or the local stack of ``make prod``), with the tracked links answered by
nginx (deploy/nginx/tracked-links*.conf inlined; needs the njs module) unless
``--no-tracked-links``. Standard library only: it runs on a
server before the project's virtualenv exists.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"
SNIPPETS = Path(__file__).resolve().parent / "nginx"
VARIANTS = ("tls", "http")
# The folder the tracked-link snippets name; replaced by the site's ANALYTICS_NGINX_DIR.
SNIPPET_DIR = "/srv/vocations/var/nginx"
DJANGO_LINKS = "    location /l/ {\n        proxy_pass http://vocations_app;\n    }"


def _snippet(name: str, links_dir: str | None) -> str:
    """A tracked-link snippet with the site's folder, or (links off) what replaces it."""
    if links_dir is None:
        return DJANGO_LINKS if name == "tracked-links.conf" else ""
    text = (SNIPPETS / name).read_text(encoding="utf-8").replace(SNIPPET_DIR, links_dir)
    indent = "    " if name == "tracked-links.conf" else ""
    return "\n".join(indent + line if line else line for line in text.splitlines())


def render(
    *,
    variant: str,
    server_name: str = "vocations.example.fr",
    root: str = "/srv/vocations",
    static_root: str | None = None,
    media_root: str | None = None,
    upstreams: list[str] | tuple[str, ...] = ("127.0.0.1:8001",),
    http_listen: str = "80",
    https_listen: str = "443",
    cache_dir: str = "/var/cache/nginx/vocations",
    log_dir: str = "/var/log/nginx",
    tls_certificate: str = "/etc/letsencrypt/live/vocations.example.fr/fullchain.pem",
    tls_certificate_key: str = "/etc/letsencrypt/live/vocations.example.fr/privkey.pem",
    forms_rate: str = "20r/m",
    links_dir: str | None = "",
    template: str | None = None,
) -> str:
    """``links_dir``: ANALYTICS_NGINX_DIR, where the app writes the link map (default
    ROOT/var/nginx); None: no tracked links answered by nginx, Django answers /l/."""
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, not {variant!r}")
    if links_dir == "":
        links_dir = f"{root}/var/nginx"
    text = template if template is not None else TEMPLATE.read_text(encoding="utf-8")
    kept: list[str] = []
    section = None  # None: both variants; else the variant the lines belong to
    for line in text.splitlines():
        marker = line.strip()
        if marker in ("#@tls", "#@http"):
            section = marker[2:]
            continue
        if marker == "#@end":
            section = None
            continue
        if section is None or section == variant:
            if marker.startswith("#@include "):
                kept.append(_snippet(marker.split()[1], links_dir))
                continue
            kept.append(line)
    values = {
        "SERVER_NAME": server_name,
        "STATIC_ROOT": (static_root or f"{root}/staticfiles").rstrip("/"),
        "MEDIA_ROOT": (media_root or f"{root}/var/media").rstrip("/"),
        "UPSTREAM_SERVERS": "\n    ".join(f"server {u};" for u in upstreams),
        "HTTP_LISTEN": http_listen,
        "HTTPS_LISTEN": https_listen,
        "CACHE_DIR": cache_dir,
        "LOG_DIR": log_dir,
        "TLS_CERTIFICATE": tls_certificate,
        "TLS_CERTIFICATE_KEY": tls_certificate_key,
        "FORMS_RATE": forms_rate,
    }
    rendered = re.sub(r"@([A-Z_]+)@", lambda m: values[m.group(1)], "\n".join(kept) + "\n")
    return rendered


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", choices=VARIANTS, default="tls")
    parser.add_argument("--server-name", default="vocations.example.fr")
    parser.add_argument("--root", default="/srv/vocations", help="the project's checkout")
    parser.add_argument("--static-root", help="default: ROOT/staticfiles (STATIC_ROOT)")
    parser.add_argument("--media-root", help="default: ROOT/var/media (MEDIA_ROOT)")
    parser.add_argument(
        "--upstream", action="append", help="gunicorn address (repeat for several nodes)"
    )
    parser.add_argument("--http-listen", default="80")
    parser.add_argument("--https-listen", default="443")
    parser.add_argument("--cache-dir", default="/var/cache/nginx/vocations")
    parser.add_argument("--log-dir", default="/var/log/nginx")
    parser.add_argument("--tls-certificate", default=None)
    parser.add_argument("--tls-certificate-key", default=None)
    parser.add_argument("--forms-rate", default="20r/m", help="POSTs per address on forms")
    parser.add_argument(
        "--links-dir", help="ANALYTICS_NGINX_DIR, the tracked links' files (ROOT/var/nginx)"
    )
    parser.add_argument(
        "--no-tracked-links", action="store_true", help="Django answers /l/ (no njs module)"
    )
    args = parser.parse_args(argv)
    live = f"/etc/letsencrypt/live/{args.server_name}"
    sys.stdout.write(
        render(
            variant=args.variant,
            server_name=args.server_name,
            root=args.root,
            static_root=args.static_root,
            media_root=args.media_root,
            upstreams=args.upstream or ["127.0.0.1:8001"],
            http_listen=args.http_listen,
            https_listen=args.https_listen,
            cache_dir=args.cache_dir,
            log_dir=args.log_dir,
            tls_certificate=args.tls_certificate or f"{live}/fullchain.pem",
            tls_certificate_key=args.tls_certificate_key or f"{live}/privkey.pem",
            forms_rate=args.forms_rate,
            links_dir=None if args.no_tracked_links else (args.links_dir or ""),
        )
    )


if __name__ == "__main__":
    main()
