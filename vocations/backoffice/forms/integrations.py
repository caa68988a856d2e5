"""Forms of the "API et webhooks" page: a new API token, a new webhook."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from vocations.webhooks.models import EventType


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="Le logiciel ou le partenaire qui l'utilisera, par exemple « CRM ».",
    )
    expires_on = forms.DateField(
        label="Expire le (facultatif)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Après cette date, le jeton ne fonctionne plus. Vide : pas d'expiration.",
    )

    def expires_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        # The whole day counts: the token stops at midnight, Paris time, at its end.
        return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


class WebhookForm(forms.Form):
    url = forms.URLField(
        label="Adresse (URL) qui recevra les envois",
        max_length=500,
        assume_scheme="https",
        help_text="Une adresse publique en https://, par exemple https://crm.exemple.fr/hooks.",
    )
    event_types = forms.MultipleChoiceField(
        label="Événements à recevoir",
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un événement à recevoir."},
    )
