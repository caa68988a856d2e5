from django import template

from vocations.ambassadors.coverage import AUDIENCE_LABELS, CHANNEL_LABELS

register = template.Library()


@register.filter
def channel_label(value: str) -> str:
    return CHANNEL_LABELS.get(value, value)


@register.filter
def audience_label(value: str) -> str:
    return AUDIENCE_LABELS.get(value, value)


@register.filter
def metric(post, name: str) -> int | str:
    """A post's reported figure (from its prefetched metrics), or "—"."""
    for row in post.metrics.all():
        if row.metric == name:
            return row.value
    return "—"
