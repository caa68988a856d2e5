"""``{% with_visit url %}``, ``{{ url|with_visit:visit_key }}`` and ``{% visit_key_field %}``."""

from django import template
from django.utils.html import format_html

from vocations.analytics.carry import visit_key_of, with_visit_key

register = template.Library()


def _key(context) -> str:
    if context.get("visit_key"):
        return context["visit_key"]
    request = context.get("request")
    return visit_key_of(request) if request is not None else ""


@register.simple_tag(takes_context=True, name="with_visit")
def with_visit_tag(context, url: str) -> str:
    return with_visit_key(str(url), _key(context))


@register.filter(name="with_visit")
def with_visit_filter(url: str, key: str) -> str:
    return with_visit_key(str(url), key or "")


@register.simple_tag(takes_context=True)
def visit_key_field(context) -> str:
    key = _key(context)
    if not key:
        return ""
    return format_html('<input type="hidden" name="visit_key" value="{}">', key)


@register.filter
def euros(cents) -> str:
    """Cents → "12 345 €" (no-break spaces); empty for None."""
    if cents is None or cents == "":
        return "—"
    value = round(int(cents) / 100)
    return f"{value:,}".replace(",", "\u00a0") + "\u00a0€"


@register.filter
def thousands(value) -> str:
    return f"{int(value or 0):,}".replace(",", "\u00a0")
