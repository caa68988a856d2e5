"""P1 public pages: home, finder, event page and trade page, each straight to gunicorn and
through nginx, beside nginx serving the same bytes as a static file and a bare Django view;
the event page and the finder also uncached (a new query string per request)."""

from __future__ import annotations

from .stack import Stack, row

TITLE = "P1 public pages (requests/s)"
PICK = """
from django.utils import timezone
from vocations.careers.models import Trade
from vocations.events.selectors import public_events
event = public_events().filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
trade = Trade.objects.exclude(slug="").order_by("pk").first()
result = {"event": event.slug, "trade": trade.slug}
"""


def run(stack: Stack) -> dict:
    picked = stack.django(PICK)
    pages = {
        "home": "/",
        "finder": "/evenements/",
        "event page": f"/evenements/{picked['event']}/",
        "trade page": f"/metiers/{picked['trade']}/",
    }
    bare = stack.wrk(f"{stack.bare}/banc/nu/")
    rows, raw, errors = [], {"bare_django_view": bare}, bare["non_2xx_3xx"]
    folder = stack.static_dir / "banc"
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in pages.items():
        status, body, _ = stack.get(stack.nginx + path)
        file_name = name.replace(" ", "-") + ".html"
        (folder / file_name).write_bytes(body)
        static = stack.wrk(f"{stack.nginx}/static/banc/{file_name}")
        via_nginx = stack.wrk(stack.nginx + path)
        direct = stack.wrk(stack.app + path)
        raw[name] = {"bytes": len(body), "static": static, "nginx": via_nginx, "direct": direct}
        errors += static["non_2xx_3xx"] + via_nginx["non_2xx_3xx"] + direct["non_2xx_3xx"]
        rows.append(
            row(f"{name} through nginx", via_nginx["requests_per_second"], "req/s",
                "nginx, same bytes as a static file", static["requests_per_second"])
        )  # fmt: skip
        rows.append(
            row(f"{name} direct (gunicorn)", direct["requests_per_second"], "req/s",
                "bare Django view", bare["requests_per_second"])
        )  # fmt: skip
    finder_direct = raw["finder"]["direct"]["requests_per_second"]
    for name in ("event page", "finder"):
        uncached = stack.wrk(stack.app + pages[name], uncached=True)
        raw[name]["direct_uncached"] = uncached
        errors += uncached["non_2xx_3xx"]
        rows.append(
            row(f"{name} direct, uncached", uncached["requests_per_second"], "req/s",
                "finder direct", finder_direct)
        )  # fmt: skip
    event_ratio = next(r["ratio"] for r in rows if r["measure"] == "event page through nginx")
    return {
        "rows": rows,
        "checks": {"no 5xx or 4xx on public pages": errors == 0},
        "goals": {"event page through nginx ≥ 0.8 of static": event_ratio >= 0.8},
        "pages": pages,
        "raw": raw,
    }
