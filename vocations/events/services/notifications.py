"""Mail the organizer's team when its label changes state."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from vocations.accounts.models import Membership
from vocations.core.text import single_line
from vocations.events.models import Label, LabelTransition

SUBJECTS = {
    Label.State.SUBMITTED: "Demande de label reçue : {title}",
    Label.State.LABELLED: "Votre événement est labellisé : {title}",
    Label.State.CHANGES_REQUESTED: "Modifications demandées pour le label : {title}",
    Label.State.REFUSED: "Label refusé : {title}",
}


def label_notification_send(*, transition_id: int) -> int:
    """Send the mail for one label transition; returns how many mails left."""
    transition = (
        LabelTransition.objects.select_related("label__event__organization")
        .filter(pk=transition_id)
        .first()
    )
    if transition is None:
        return 0
    event = transition.label.event
    recipients = sorted(
        Membership.objects.filter(
            organization=event.organization,
            role__in=[Membership.Role.OWNER, Membership.Role.EDITOR],
            user__is_active=True,
        ).values_list("user__email", flat=True)
    )
    if not recipients:
        return 0
    context = {
        "event": event,
        "transition": transition,
        "state_label": Label.State(transition.to_state).label,
        "event_url": f"{settings.SITE_URL}/organisateur/evenements/{event.pk}/",
    }
    subject = single_line(SUBJECTS[transition.to_state].format(title=event.title))
    body = render_to_string("events/emails/label_transition.txt", context)
    return send_mail(subject, body, None, recipients)
