"""Template filters of the campaign screens."""

from django import template

from vocations.campaigns.formats import format_euros

register = template.Library()


@register.filter
def euros(cents) -> str:
    """Cents -> "1 234,56 €" (no-break spaces)."""
    if cents in (None, ""):
        return format_euros(0)
    return format_euros(int(cents))
