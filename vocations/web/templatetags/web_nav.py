"""The main navigation of the public site."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()

# (label, route names tried in order, fallback section of the home page).
# Métiers, Événements and Pour qui ? get their own pages later: until a route with one of these
# names exists, the item leads to the matching section of the home page, never to a dead link.
MAIN_NAV = (
    ("Accueil", ("web:home",), None),
    ("Métiers", ("web:trade_list",), "filieres"),
    ("Événements", ("web:event_list",), "evenements"),
    ("Pour qui ?", ("web:audience_list",), "pour-qui"),
)


def _first_route(names: tuple[str, ...]) -> str | None:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def nav_items(current_path: str) -> list[dict]:
    items = []
    for label, names, fallback in MAIN_NAV:
        url = _first_route(names)
        if url is None and fallback is not None:
            url = f"{reverse('web:home')}#{fallback}"
        if url is None:
            continue
        items.append({"label": label, "url": url, "current": url == current_path})
    return items


@register.inclusion_tag("web/includes/main_nav.html", takes_context=True)
def main_nav(context):
    request = context.get("request")
    return {"items": nav_items(request.path if request is not None else "")}
